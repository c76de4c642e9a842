"""The ASGI entry point (uvicorn: the site and /mcp) closes database connections after each request: its request
threads come and go, and persistent per-thread connections piled up until PostgreSQL refused new clients."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT_MAX_AGE = (
    "import config.asgi; from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])"
)


def conn_max_age(**env):
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_CONN_MAX_AGE"}
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings", DATABASE_URL="postgres://silkway@127.0.0.1:5432/silkway", **env
    )
    return subprocess.run(
        [sys.executable, "-c", PRINT_MAX_AGE], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_asgi_closes_connections_after_each_request_unless_told_otherwise():
    assert conn_max_age() == "0"
    assert conn_max_age(DATABASE_CONN_MAX_AGE="30") == "30"
