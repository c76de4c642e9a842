"""What the load benchmarks share: a web server (gunicorn's sync or gthread workers, or uvicorn) started with
production settings on the database in DATABASE_URL, and wrk (Debian package `wrk`) driven by a Lua script that
cycles through many paths and prints percentiles.

wrk's own report has no p95, so the script's `done` hook prints p50/p95/p99, throughput and the errors by kind.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

LUA = """
paths = {%(paths)s}
local counter = 0

init = function(args)
  counter = math.random(#paths)
end

request = function()
  counter = counter %% #paths + 1
  return wrk.format("GET", paths[counter])
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT %%.2f %%.2f %%.2f %%.1f %%d %%d %%d %%d\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), summary.requests, summary.errors.status,
    summary.errors.timeout, summary.errors.connect + summary.errors.read + summary.errors.write))
end
"""

# Production settings as the README's production section sets them, behind a TLS-terminating proxy (wrk sends the
# proxy's X-Forwarded-Proto), with throttles lifted so the limiter is not what is measured.
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "bench-only-secret-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "API_THROTTLE_ANON": "100000000/minute",
    "API_THROTTLE_USER": "100000000/minute",
    "DJANGO_LOG_LEVEL": "WARNING",
    "ADS_IMPRESSION_FLUSH_SECONDS": "3600",
}
HEADERS = ["X-Forwarded-Proto: https", "Accept-Language: en"]


@dataclass
class Result:
    p50: float
    p95: float
    p99: float
    rps: float
    requests: int
    non_2xx: int
    timeouts: int
    socket_errors: int


def fetch(url, accept="application/json"):
    request = urllib.request.Request(url, headers={"Accept": accept, "X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
    return json.loads(body) if accept == "application/json" else body.decode()


def require_tools():
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL to the seeded database (README: make seed, or bench/README.md).")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk).")


def free_port() -> int:
    """A port nothing listens on: a server left over from an earlier run must not answer for this one."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def web_server(*, port: int | None = None, workers: int, worker_class: str = "sync", threads: int = 1, extra_env=None):
    port = port or free_port()
    env = {**os.environ, **PRODUCTION_ENV, **(extra_env or {})}
    # Production serves hashed static names from the collected manifest (WhiteNoise), as the README's steps do.
    env.setdefault("DJANGO_STATIC_ROOT", str(Path(tempfile.gettempdir()) / "silkway-bench-static"))
    subprocess.run(
        [str(BASE_DIR / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    if worker_class == "asgi":  # what the README deploys for the site and /mcp together
        command = [
            str(BASE_DIR / ".venv/bin/uvicorn"),
            "config.asgi:application",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--backlog",
            "2048",
            "--log-level",
            "warning",
            "--no-access-log",
        ]
    else:
        command = [
            str(BASE_DIR / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--threads",
            str(threads),
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ]
    server = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=sys.stderr)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch(f"{base}/healthz", accept="text/plain")
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the web server did not answer in time") from None
                time.sleep(0.3)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def run_wrk(base: str, paths: list[str], *, duration: int, connections: int, threads: int = 2, timeout: int = 10):
    lua_paths = ", ".join(json.dumps(path) for path in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(LUA % {"paths": lua_paths})
        script = handle.name
    try:
        command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", f"{timeout}s"]
        for header in HEADERS:
            command += ["-H", header]
        output = subprocess.run([*command, "-s", script, base], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script)
    match = re.search(r"RESULT " + " ".join([r"(\S+)"] * 8), output)
    if not match:
        raise SystemExit(f"unexpected wrk output:\n{output}")
    values = match.groups()
    return Result(*(float(v) for v in values[:4]), *(int(v) for v in values[4:]))
