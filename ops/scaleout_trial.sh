#!/usr/bin/env bash
# The README's production steps, followed once from a fresh clone and timed, scaled out on one machine:
#   ops/scaleout_trial.sh [REPO]           (default: this checkout's committed HEAD)
# Two web nodes (gunicorn, 2 sync workers each), uvicorn for /mcp, and two Celery workers (one for default/metrics/ai, one for batch) with
# beat, sharing PostgreSQL (DATABASE_URL's server, a new database), Redis (broker db 5, cache db 6) and one media
# directory. Then it checks what a load balancer in front of the nodes needs: both ready; a buyer who signed up on
# node A is signed in on node B (sessions in the database); a product changed by one process is shown changed by both
# nodes at once (the public cache's version lives in the shared Redis); a task queued by a node is run by a worker.
# Everything it started is stopped and its database dropped at the end. Needs PostgreSQL, Redis and git.
# No TLS proxy here: HTTPS redirect and secure cookies are off for the trial (production keeps them on).
set -euo pipefail

REPO="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
PG="${TRIAL_PG:-postgres://postgres@127.0.0.1:5432}"
REDIS="${TRIAL_REDIS:-redis://127.0.0.1:6379}"
PYTHON="${PYTHON:-python3}"
WORK="$(mktemp -d /tmp/silkway-scaleout.XXXXXX)"
DB="silkway_scaleout_$$"
PIDS=()

step_started=0
step() { step_started=$EPOCHREALTIME; printf '%-58s' "$1"; }
done_step() { printf '%6.1f s\n' "$(echo "$EPOCHREALTIME - $step_started" | bc)"; }
free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  dropdb --if-exists "--maintenance-db=$PG/postgres" "$DB" 2>/dev/null || psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY="scaleout-trial-$(head -c 32 /dev/urandom | base64 | tr -dc A-Za-z0-9)"
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SECURE_COOKIES=false DJANGO_SECURE_HSTS_SECONDS=0
export DATABASE_URL="$PG/$DB"
export CELERY_BROKER_URL="$REDIS/5" REDIS_CACHE_URL="$REDIS/6"
export DJANGO_STATIC_ROOT="$WORK/static" DJANGO_MEDIA_ROOT="$WORK/media" DJANGO_PRIVATE_MEDIA_ROOT="$WORK/private"
export DJANGO_LOG_LEVEL=WARNING

total_started=$EPOCHREALTIME
step "git clone"; git clone --quiet "$REPO" "$WORK/silkway"; done_step
cd "$WORK/silkway"
step "python -m venv, pip install -r requirements.txt"
"$PYTHON" -m venv .venv && .venv/bin/pip install --quiet -r requirements.txt 2>&1 | grep -v "^WARNING: Location" || true
done_step
BIN="$WORK/silkway/.venv/bin"
step "createdb, manage.py migrate --noinput"
psql "$PG/postgres" -qc "CREATE DATABASE $DB" && "$BIN/python" manage.py migrate --noinput -v0; done_step
step "manage.py collectstatic --noinput"; "$BIN/python" manage.py collectstatic --noinput -v0; done_step
step "a small catalog to look at (seed_demo, 300 products)"
"$BIN/python" manage.py seed_demo --suppliers 20 --products 300 --no-inquiries >"$WORK/seed.log" 2>&1; done_step
step "manage.py check --deploy (TLS settings off for the trial)"
"$BIN/python" manage.py check --deploy --fail-level ERROR >"$WORK/check.log" 2>&1; done_step

step "2 web nodes (gunicorn x 2), /mcp (uvicorn), 2 workers, beat"
PORT_A=$(free_port); PORT_B=$(free_port); PORT_MCP=$(free_port)
for port in "$PORT_A" "$PORT_B"; do
  "$BIN/gunicorn" config.wsgi:application --bind "127.0.0.1:$port" --workers 2 --log-level warning \
    >>"$WORK/web.log" 2>&1 &
  PIDS+=($!)
done
"$BIN/uvicorn" config.asgi:application --host 127.0.0.1 --port "$PORT_MCP" --workers 1 --proxy-headers \
  --log-level warning --no-access-log >>"$WORK/web.log" 2>&1 &
PIDS+=($!)
"$BIN/celery" -A config worker -Q default,metrics,ai -n interactive@%h -c 1 -l warning >>"$WORK/worker.log" 2>&1 &
PIDS+=($!)
"$BIN/celery" -A config worker -Q batch -n batch@%h -c 1 -l warning >>"$WORK/worker.log" 2>&1 &
PIDS+=($!)
"$BIN/celery" -A config beat -l warning -s "$WORK/beat-schedule" >>"$WORK/beat.log" 2>&1 &
PIDS+=($!)
for port in "$PORT_A" "$PORT_B" "$PORT_MCP"; do
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    sleep 0.5
  done
done
done_step

step "checks across the nodes"
"$BIN/python" - "$PORT_A" "$PORT_B" "$PORT_MCP" <<'PY'
import http.cookiejar, json, os, re, subprocess, sys, urllib.parse, urllib.request

node_a, node_b, mcp = (f"http://127.0.0.1:{port}" for port in sys.argv[1:4])
jar = http.cookiejar.CookieJar()
browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def get(url):
    with browser.open(url, timeout=30) as response:
        return response.status, response.geturl(), response.read().decode()


def manage(code):
    command = [".venv/bin/python", "manage.py", "shell", "-v", "0", "-c", code]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


for node in (node_a, node_b):
    with urllib.request.urlopen(f"{node}/readyz", timeout=10) as response:
        checks = json.loads(response.read())["checks"]
    assert checks == {"database": "ok", "cache": "ok", "broker": "ok"}, checks

# Sign up on node A, then node B knows the buyer: the session is in the shared database.
_, _, page = get(f"{node_a}/accounts/signup/")
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
form = {"csrfmiddlewaretoken": token, "email": "trial@example.com", "first_name": "Ada", "last_name": "Trial",
        "company_name": "Trial Imports", "country": "DE", "preferred_language": "en", "preferred_currency": "EUR",
        "password1": "a-long-trial-passphrase-42", "password2": "a-long-trial-passphrase-42"}
request = urllib.request.Request(f"{node_a}/accounts/signup/", data=urllib.parse.urlencode(form).encode(),
                                 headers={"Referer": f"{node_a}/accounts/signup/"})
browser.open(request, timeout=30).read()
status, final_url, page = get(f"{node_b}/inquiries/")
assert status == 200 and "/accounts/login/" not in final_url and "Sign out" in page, final_url

# A catalog row changed by another process shows changed on both nodes at once (the cache version is shared).
product_id = manage(
    "from marketplace.models import Product; print(Product.objects.filter(status='published').order_by('pk')[0].pk)"
)
title = manage(f"from marketplace.models import Product; print(Product.objects.get(pk={product_id}).title)")
for node in (node_a, node_b):
    assert title in get(f"{node}/products/{product_id}/")[2]
manage(f"from marketplace.models import Product; p = Product.objects.get(pk={product_id}); "
       "p.title = 'Trial Drill Hawk'; p.save()")
for node in (node_a, node_b):
    heading = re.search(r"<h1>(.*?)</h1>", get(f"{node}/products/{product_id}/")[2]).group(1)
    assert heading == "Trial Drill Hawk", (node, heading)

# The MCP server answers an agent's first message (the front server routes /mcp to uvicorn).
hello = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18",
         "capabilities": {}, "clientInfo": {"name": "scaleout-trial", "version": "1"}}}
request = urllib.request.Request(f"{mcp}/mcp", data=json.dumps(hello).encode(), headers={
    "Content-Type": "application/json", "Accept": "application/json, text/event-stream"})
with urllib.request.urlopen(request, timeout=30) as response:
    assert response.status == 200 and b'"serverInfo"' in response.read()

# A task queued here runs on a worker (the batch queue: a leaderboard run), and its result comes back.
result = manage("from rankings.tasks import leaderboard_generate_all_task as t; print(t.delay().get(timeout=180))")
assert "'status': 'succeeded'" in result, result
print("    all passed", end="")
PY
done_step
printf '%-58s%6.1f s\n' "in all" "$(echo "$EPOCHREALTIME - $total_started" | bc)"
