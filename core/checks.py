"""System checks for core's plumbing (registered in CoreConfig.ready())."""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import Tags, Warning, register

from .api.throttles import throttle_cache_alias


@register(Tags.caches)
def throttle_cache_is_shared(app_configs, **kwargs):
    """With DEBUG off, the API throttles must count in a cache every worker process shares: in local memory each
    gunicorn worker counts on its own (two workers let through about twice the rate), and a dummy cache counts
    nothing at all. Debugging and tests keep the embedded local-memory cache."""
    if settings.DEBUG:
        return []
    alias = throttle_cache_alias()
    backend = caches[alias]
    if not isinstance(backend, LocMemCache | DummyCache):
        return []
    return [
        Warning(
            (
                f"The API throttles count in the {alias!r} cache, a DummyCache, which stores nothing: the API is not "
                "throttled at all."
            )
            if isinstance(backend, DummyCache)
            else (
                f"The API throttles count in the {alias!r} cache, a LocMemCache, which each worker process keeps for "
                "itself: with N workers a client gets N times every throttle rate."
            ),
            hint="Set REDIS_CACHE_URL (e.g. redis://redis:6379/1) so every worker shares one count, or configure "
            f"CACHES[{alias!r}] with a shared backend.",
            id="core.W001",
        )
    ]
