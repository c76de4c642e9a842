"""Where the API throttles count, and the system check that, with DEBUG off, that cache is shared by every worker
process (a process-local cache let 2 gunicorn workers answer 239 of 400 rapid requests against 120/minute)."""

import pytest
from django.core.cache import caches
from django.core.checks import run_checks
from django.test import override_settings

from core.checks import throttle_cache_is_shared

pytestmark = pytest.mark.django_db

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
DUMMY = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
# Building a Redis cache opens no connection, so no server is needed to check it.
REDIS = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://redis.invalid:6379/1"}


def w001(messages):
    return [message for message in messages if message.id == "core.W001"]


@pytest.mark.parametrize(
    "caches_setting,alias,backend",
    [
        ({"default": LOCMEM}, "default", "LocMemCache"),
        ({"default": DUMMY}, "default", "DummyCache"),
        ({"default": REDIS, "throttle": LOCMEM}, "throttle", "LocMemCache"),  # the throttles' own alias wins
    ],
)
def test_check_warns_when_not_debugging_and_the_throttle_cache_is_process_local(caches_setting, alias, backend):
    with override_settings(DEBUG=False, CACHES=caches_setting):
        (warning,) = w001(run_checks())  # registered by CoreConfig.ready(), and run by `manage.py check`
        assert warning.level == 30  # a warning: a single-process deployment is still served
        assert f"{alias!r} cache, a {backend}" in warning.msg
        assert "REDIS_CACHE_URL" in warning.hint
        assert w001(throttle_cache_is_shared(None)) == [warning]


@pytest.mark.parametrize(
    "debug,caches_setting",
    [
        (True, {"default": LOCMEM}),  # the embedded default: debugging, tests, the demo
        (False, {"default": REDIS}),  # REDIS_CACHE_URL set
        (False, {"default": LOCMEM, "throttle": REDIS}),  # only the throttles' alias needs sharing
    ],
)
def test_check_is_silent_when_debugging_or_the_throttle_cache_is_shared(debug, caches_setting):
    with override_settings(DEBUG=debug, CACHES=caches_setting):
        assert w001(run_checks()) == []


def test_throttles_count_in_the_throttle_alias_when_configured(api, settings):
    settings.CACHES = {
        "default": {**LOCMEM, "LOCATION": "throttle-test-default"},
        "throttle": {**LOCMEM, "LOCATION": "throttle-test-throttle"},
    }
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "1000/minute", "auth": "1000/minute"},
    }
    assert [api.get("/api/v1/categories/").status_code for _ in range(3)] == [200, 200, 429]
    assert caches["throttle"].get("throttle_anon_127.0.0.1")
    assert caches["default"].get("throttle_anon_127.0.0.1") is None
    caches["throttle"].clear()
    assert api.get("/api/v1/categories/").status_code == 200  # the count was there and nowhere else
