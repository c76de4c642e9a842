"""API throttles whose rates follow settings at request time.

They count in the cache aliased "throttle" when CACHES names one, else in the default cache. The count is only as
shared as that cache: a process-local one (local memory, the embedded default) counts per worker process, so with
several workers a client gets about the rate times the number of workers. Production points it at Redis
(REDIS_CACHE_URL); the system check core.W001 (core/checks.py) warns when DEBUG is off and it is process-local."""

from django.conf import settings
from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

THROTTLE_CACHE_ALIAS = "throttle"


def throttle_cache_alias() -> str:
    """The cache alias the throttles count in: "throttle" if CACHES configures it, else "default"."""
    return THROTTLE_CACHE_ALIAS if THROTTLE_CACHE_ALIAS in settings.CACHES else "default"


class _LiveRates:
    """DRF copies the rates once at import; read them per request, so settings overrides (tests, env) apply.
    The cache likewise: looked up per request, by alias."""

    @property
    def THROTTLE_RATES(self):  # noqa: N802 - DRF's attribute name
        return api_settings.DEFAULT_THROTTLE_RATES

    @property
    def cache(self):
        return caches[throttle_cache_alias()]


class AnonThrottle(_LiveRates, AnonRateThrottle):
    pass


class UserThrottle(_LiveRates, UserRateThrottle):
    pass


class AuthThrottle(_LiveRates, SimpleRateThrottle):
    """The stricter scope on login, refresh, registration and logout: per client address, signed in or not."""

    scope = "auth"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
