"""/healthz answers while the process runs; /readyz reports the database, the caches and the broker, and names the
one that is unreachable (here: a cache or broker pointed at a closed port)."""

import socket

import pytest
from django.test import override_settings


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the socket is closed


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: any database access here would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "Content-Security-Policy" not in response.headers  # no CSP noise on probes
    assert "no-cache" in response.headers["Cache-Control"]
    assert client.head("/healthz").status_code == 200


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="")
def test_readyz_is_ready_when_database_and_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert "Content-Security-Policy" not in response.headers


@pytest.mark.django_db
def test_readyz_names_an_unreachable_cache(client):
    unreachable = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
    }
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, "sessions": unreachable},
        CELERY_BROKER_URL="",
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"].startswith("failed")


@pytest.mark.django_db
def test_readyz_checks_the_broker_only_when_one_is_configured(client):
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{closed_port()}/0"):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "broker": response.json()["checks"]["broker"]}
    assert response.json()["checks"]["broker"].startswith("failed")


def test_health_endpoints_need_no_allowed_redirect(settings, client):
    # Load balancers probe over plain HTTP: no HTTPS redirect for the probes, one for everything else.
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
