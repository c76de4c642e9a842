"""What every visitor sees alike, cached: the catalog pages' main content (template fragments), search results and
the API's product lists. One rule invalidates it all: a saved or deleted row of a model that those pages show
(each app names its own in its AppConfig.ready) bumps one version, on commit, and every key carries the version.
Writes that bypass signals (queryset.update, bulk_create: supplier metrics, index rebuilds) show within
PUBLIC_CACHE_SECONDS, or at once where the writer calls public_cache_invalidate() itself.

The cache is the default one: local memory in the embedded default (per process), Redis in production
(REDIS_CACHE_URL), shared by every web process, so one bump reaches them all. PUBLIC_CACHE_SECONDS=0 turns it off.
"""

import hashlib
import time
from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "public-cache:version"
T = TypeVar("T")


def public_cache_seconds() -> int:
    return int(getattr(settings, "PUBLIC_CACHE_SECONDS", 300))


def public_cache_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY, 0)
    return version


def public_cache_invalidate() -> None:
    cache.set(VERSION_KEY, time.time_ns(), None)


def public_cache_key(*parts: Any) -> str:
    """A short key for any parts (URLs, query strings, languages), with the current version in it."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"public-cache:{public_cache_version()}:{digest}"


def public_cached(parts: tuple, compute: Callable[[], T]) -> T:
    """compute() once per version and PUBLIC_CACHE_SECONDS for these key parts; computed every time when off."""
    seconds = public_cache_seconds()
    if seconds <= 0:
        return compute()
    key = public_cache_key(*parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def _changed(sender, using=None, **kwargs) -> None:
    # After the commit: a page rendered between the write and the commit must not be cached under the new version.
    transaction.on_commit(public_cache_invalidate, using=using)


def invalidate_public_cache_on_change(*models) -> None:
    """Any save or delete of these models (and changes of their many-to-many fields) invalidates the public cache."""
    for model in models:
        uid = f"public-cache:{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}:{field.name}")


class PublicCacheContext:
    """In templates as `public_cache`: {% cache public_cache.seconds "name" LANGUAGE_CODE public_cache.version %}.
    The version is read from the cache only when a template asks for it."""

    @cached_property
    def seconds(self) -> int:
        return public_cache_seconds()

    @cached_property
    def version(self) -> int | str:
        if self.seconds <= 0:  # off: a key no fragment stored earlier (while it was on) can match
            return f"off-{time.time_ns()}"
        return public_cache_version()


def context_processor(request) -> dict:
    return {"public_cache": PublicCacheContext()}
