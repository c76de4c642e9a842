"""One search interface, one implementation per database (the Wagtail pattern).

settings.SEARCH_BACKEND picks it: "postgres", "sqlite" or "auto" (the default: whatever the default database is).
"""

from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from .base import SearchBackend


@lru_cache(maxsize=4)
def _backend(name: str) -> SearchBackend:
    if name == "postgres":
        from .postgres import PostgresBackend

        return PostgresBackend()
    if name == "sqlite":
        from .sqlite import SQLiteBackend

        return SQLiteBackend()
    raise ImproperlyConfigured(f'SEARCH_BACKEND must be "auto", "postgres" or "sqlite", not {name!r}.')


def get_backend() -> SearchBackend:
    name = getattr(settings, "SEARCH_BACKEND", "auto") or "auto"
    if name == "auto":
        name = "postgres" if connection.vendor == "postgresql" else "sqlite"
    return _backend(name)
