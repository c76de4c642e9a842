"""Security headers on every kind of response (pages, the admin, the API and its docs), the CSP nonce on inline
scripts, and `check --deploy` clean with the production variables README documents."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb")


def assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    directives = dict((part.split(" ", 1) + [""])[:2] for part in (piece.strip() for piece in csp.split(";")) if part)
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    policy = response.headers["Permissions-Policy"]
    for feature in DENIED_FEATURES:
        assert f"{feature}=()" in policy
    return directives


def nonce_of(response):
    match = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
    assert match, response.headers["Content-Security-Policy"]
    return match.group(1)


@pytest.mark.django_db
def test_pages_carry_the_policy_headers(client):
    response = client.get(reverse("marketplace:home"))
    assert response.status_code == 200
    assert_security_headers(response)
    # No inline event handlers anywhere in the base layout; its behaviour comes from a static file.
    html = response.content.decode()
    assert not re.search(r"\son[a-z]+=", html)
    assert "js/silkway.js" in html


@pytest.mark.django_db
def test_inline_script_carries_the_requests_nonce(client):
    response = client.get(reverse("search:search"), {"q": "bamboo"})
    assert response.status_code == 200
    nonce = nonce_of(response)
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.content.decode())
    assert scripts, "the search page has an inline script"
    for attributes in scripts:
        assert f'nonce="{nonce}"' in attributes
    # A fresh nonce per response.
    assert nonce_of(client.get(reverse("search:search"), {"q": "bamboo"})) != nonce


@pytest.mark.django_db
def test_admin_carries_the_policy_headers(client):
    assert_security_headers(client.get(reverse("admin:login")))
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["api-docs", "api-redoc"])
def test_api_docs_carry_the_policy_and_nonce_their_inline_code(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_security_headers(response)
    nonce = nonce_of(response)
    html = response.content.decode()
    assert "fonts.googleapis.com" not in html  # same-origin only
    inline = re.findall(r"<(?:script|style)(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline
    for attributes in inline:
        assert f'nonce="{nonce}"' in attributes


@pytest.mark.django_db
def test_api_responses_carry_the_policy_headers(api):
    response = api.get("/api/v1/products/")
    assert response.status_code in {200, 401}
    assert_security_headers(response)
    not_found = api.get("/api/v1/no-such-thing/")
    assert not_found.status_code == 404
    assert "Permissions-Policy" in not_found.headers


PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x7Qm2pL9vR4tY8wK1zN6bH3jF5dS0aG7cV2eX9uT4iO8yP1qW6rE3",
    "DJANGO_ALLOWED_HOSTS": "silkway.example",
    # Several gunicorn workers share the API throttles' counts through it (core.W001); the check does not connect.
    "REDIS_CACHE_URL": "redis://redis:6379/1",
}


def run_manage(*args, env=None):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_"))}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_documented_production_variables(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION_ENV, "SILKWAY_VAR_DIR": str(tmp_path)}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_keeps_djangos_defaults_and_production_turns_them_on(tmp_path):
    show = (
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
        " s.SESSION_COOKIE_SECURE, getattr(s, 'SECURE_PROXY_SSL_HEADER', None), s.USE_X_FORWARDED_HOST)"
    )
    env = {"SILKWAY_VAR_DIR": str(tmp_path)}
    debug = run_manage("shell", "-v", "0", "-c", show, env=env)
    assert debug.stdout.split() == ["False", "0", "False", "None", "False"], debug.stderr
    production = run_manage("shell", "-v", "0", "-c", show, env={**env, **PRODUCTION_ENV})
    assert production.stdout.strip() == "True 31536000 True ('HTTP_X_FORWARDED_PROTO', 'https') False", (
        production.stderr
    )
    behind_other_proxy = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        show,
        env={
            **env,
            **PRODUCTION_ENV,
            "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Scheme=https",
            "DJANGO_USE_X_FORWARDED_HOST": "true",
        },
    )
    assert behind_other_proxy.stdout.strip().endswith("('HTTP_X_SCHEME', 'https') True"), behind_other_proxy.stderr
