"""Load test of GET /api/v1/products/ under gunicorn, measured with wrk (Debian package `wrk`).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/silkway_bench   # the 100,000-product seed
    .venv/bin/python bench/api_product_list.py --duration 20 --connections 4 --workers 2

Starts gunicorn (production settings: DEBUG off, throttles lifted so the limiter is not what is measured), runs
each scenario with wrk for --duration seconds after a short warm-up, and prints p50/p95/p99 latency and
throughput. wrk's own report has no p95, so a small Lua `done` hook prints the percentiles.
Not run by the test suite.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

LUA = """
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.2f %.2f %.2f %.1f %d %d\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), summary.requests, errors))
end
"""


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        import json

        return json.loads(response.read())


def wait_ready(base, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            fetch(f"{base}/api/v1/categories/")
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer in time")


def scenarios(base):
    categories = fetch(f"{base}/api/v1/categories/")
    top = categories[0]["slug"]
    # A deep page: follow `next` 50 times (page 51 of 20), the keyset cursor's whole point.
    url = f"{base}/api/v1/products/"
    for _ in range(50):
        url = fetch(url)["next"]
    return [
        ("default list (relevance)", "/api/v1/products/"),
        ("page 51 via cursor", url.removeprefix(base)),
        ("ordering=price", "/api/v1/products/?ordering=price"),
        (f"category={top} (with sub-categories)", f"/api/v1/products/?category={top}"),
        ("verified+moq_max+certification", "/api/v1/products/?verified=true&moq_max=500&certification=CE"),
        ("q=cordless drill", "/api/v1/products/?q=cordless%20drill"),
        ("q=Bohrmaschine (German)", "/api/v1/products/?q=Bohrmaschine"),
        ("page_size=100", "/api/v1/products/?page_size=100"),
    ]


def run_wrk(url, *, duration, connections, threads, script):
    output = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-s",
            script,
            "-H",
            "Accept: application/json",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"RESULT (\S+) (\S+) (\S+) (\S+) (\d+) (\d+)", output)
    if not match:
        raise SystemExit(f"unexpected wrk output:\n{output}")
    p50, p95, p99, rps = (float(match.group(i)) for i in range(1, 5))
    return p50, p95, p99, rps, int(match.group(5)), int(match.group(6))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL to the seeded benchmark database.")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk).")

    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-secret"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "API_THROTTLE_ANON": "100000000/minute",
        "API_THROTTLE_USER": "100000000/minute",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            str(BASE_DIR / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=sys.stderr,
    )
    try:
        wait_ready(base)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
            handle.write(LUA)
            script = handle.name
        print(
            f"gunicorn {args.workers} workers, wrk {args.threads} thread(s) x {args.connections} connections, "
            f"{args.duration}s per scenario"
        )
        print(f"{'scenario':42s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s} {'req/s':>8s} {'errors':>7s}")
        for name, path in scenarios(base):
            run_wrk(
                base + path, duration=args.warmup, connections=args.connections, threads=args.threads, script=script
            )
            p50, p95, p99, rps, _count, errors = run_wrk(
                base + path,
                duration=args.duration,
                connections=args.connections,
                threads=args.threads,
                script=script,
            )
            print(f"{name:42s} {p50:8.1f} {p95:8.1f} {p99:8.1f} {rps:8.1f} {errors:7d}", flush=True)
        os.unlink(script)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
