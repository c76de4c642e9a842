"""Liveness and readiness probes for load balancers and orchestrators: no auth, no session, no CSP header.

/healthz — the process answers (touches nothing else). /readyz — the database, every configured cache and, when
CELERY_BROKER_URL is set, the broker are reachable: 200 with the checks, 503 naming the one that failed.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2


def check_database():
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()


def check_caches():
    key = f"readyz:{uuid.uuid4().hex}"
    for alias in settings.CACHES:
        cache = caches[alias]
        cache.set(key, "1", timeout=5)
        if cache.get(key) != "1" and not isinstance(cache, DummyCache):
            raise RuntimeError(f"cache {alias!r} did not return what was written")
        cache.delete(key)


def check_broker():
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_SECONDS) as connection:
        connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)


def readiness_checks():
    checks = {"database": check_database, "cache": check_caches}
    if getattr(settings, "CELERY_BROKER_URL", ""):
        checks["broker"] = check_broker
    return checks


@never_cache
@require_safe
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_safe
def readyz(request):
    results, ready = {}, True
    for name, check in readiness_checks().items():
        try:
            check()
        except Exception as exc:  # any failure means "not ready"; the reason goes to the log, its type to the probe
            logger.warning("readiness check %s failed: %r", name, exc)
            results[name] = f"failed: {exc.__class__.__name__}"
            ready = False
        else:
            results[name] = "ok"
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": results}, status=200 if ready else 503)
