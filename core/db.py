"""Read replica opt-in (config/db_router.py routes; DATABASE_REPLICA_URL configures the "replica" alias).

Reads go to the replica only inside `use_replica()`, and only while the primary is not in a transaction, nothing
has been written in the current request or task, and the client did not write in the last
DATABASE_REPLICA_STICKY_SECONDS (ReadYourWritesMiddleware below): a replica lags, so code that must see its own
writes, and a buyer who has just saved a favorite or sent an inquiry, never read from it.
Without a "replica" alias `use_replica()` changes nothing.

The marks live in context variables: set by the router on a write, cleared when a request starts and finishes
(request_started / request_finished) and when a worker starts a task (task_prerun, wired in config/celery.py), so
nothing carries over from one request or task to the next one served by the same thread.
"""

import hashlib
import logging
import math
import time
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connections

log = logging.getLogger(__name__)

REPLICA = "replica"
# Set on the response of a request that wrote: the time of the write (Unix seconds). Not a secret and not signed:
# a client can only use it to send its own reads to the primary, for at most the sticky window.
STICKY_COOKIE = "silkway_wrote"
# The same mark for clients that keep no cookies (API and agent tokens): by a hash of the Authorization header.
STICKY_CACHE_PREFIX = "core.db.wrote:"

_replica_wanted: ContextVar[bool] = ContextVar("replica_wanted", default=False)
_wrote: ContextVar[bool] = ContextVar("wrote_to_primary", default=False)
_blind: ContextVar[bool] = ContextVar("blind_writes", default=False)
# Whether the client wrote within the sticky window: False, True, or a check run on the first opted-in read.
_client_wrote: ContextVar[bool | Callable[[], bool]] = ContextVar("client_wrote_recently", default=False)


@contextmanager
def use_replica():
    """Let the reads inside go to the replica (see the module docstring for when they still stay on the primary).
    `with use_replica():` or `@use_replica()`; a generator context manager, so each call (and each thread of a
    threaded server) gets its own context token."""
    token = _replica_wanted.set(True)
    try:
        yield
    finally:
        _replica_wanted.reset(token)


def replica_wanted() -> bool:
    return _replica_wanted.get()


@contextmanager
def blind_writes():
    """Writes inside are bookkeeping nobody reads back right away (a search's log line, its click counter): they do
    not keep the request, nor its client for the sticky window, on the primary. Without it every search, which
    logs itself, would send the searcher's next pages to the primary. Used like use_replica()."""
    token = _blind.set(True)
    try:
        yield
    finally:
        _blind.reset(token)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def note_write() -> None:
    """Called for every write (the router's db_for_write): the rest of the request reads from the primary, and its
    client for the sticky window after it (unless inside `blind_writes()`)."""
    if not _blind.get():
        _wrote.set(True)


def wrote_this_request() -> bool:
    return _wrote.get()


def client_wrote_recently() -> bool:
    """Whether the client of the current request wrote within DATABASE_REPLICA_STICKY_SECONDS (looked up once per
    request, on its first read that could go to the replica)."""
    value = _client_wrote.get()
    if callable(value):
        value = bool(value())
        _client_wrote.set(value)
    return value


def forget_writes(**_kwargs) -> None:
    _wrote.set(False)
    _client_wrote.set(False)


def forget_writes_at_task_start(task=None, **_kwargs) -> None:
    """task_prerun: a worker thread runs task after task, and each starts with nothing written. An eager task (the
    embedded default runs them inside the request or task that queued them) is part of its caller: its writes pin
    the caller's later reads to the primary, and the caller's writes pin the task's."""
    request = getattr(task, "request", None)
    if request is not None and request.is_eager:
        return
    forget_writes()


request_started.connect(forget_writes, dispatch_uid="core.db.forget_writes_started")
request_finished.connect(forget_writes, dispatch_uid="core.db.forget_writes_finished")


# --- read your writes across requests ------------------------------------------------------------------------------


def sticky_seconds() -> float:
    return float(getattr(settings, "DATABASE_REPLICA_STICKY_SECONDS", 0) or 0)


def _token_key(request) -> str | None:
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if not authorization:
        return None
    return STICKY_CACHE_PREFIX + hashlib.sha256(authorization.encode()).hexdigest()


def _wrote_within(request, window: float) -> bool:
    now = time.time()
    try:
        wrote_at = float(request.COOKIES.get(STICKY_COOKIE, ""))
    except ValueError:
        wrote_at = math.nan
    # Either side of now: the web node that set it may run a little ahead of this one (NaN compares false).
    if now - window < wrote_at < now + window:
        return True
    key = _token_key(request)
    if key is None:
        return False
    try:
        return cache.get(key) is not None
    except Exception:  # the cache is down: the primary is never stale
        log.warning("read-your-writes mark unreadable; reading from the primary", exc_info=True)
        return True


def _mark_write(request, response, window: float) -> None:
    lifetime = math.ceil(window)
    response.set_cookie(
        STICKY_COOKIE,
        f"{time.time():.3f}",
        max_age=lifetime,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    key = _token_key(request)
    if key is not None:
        try:
            cache.set(key, 1, timeout=lifetime)
        except Exception:  # the cookie still works for browsers; a token client may read a lagging replica
            log.warning("read-your-writes mark not stored", exc_info=True)


class ReadYourWritesMiddleware:
    """A client that wrote reads from the primary for DATABASE_REPLICA_STICKY_SECONDS afterwards.

    The response of a request that wrote (the router saw a write) carries a short-lived cookie with the time of the
    write, and, when the request was authenticated by an Authorization header (API and agent clients, which may keep
    no cookies), the same mark goes into the cache under a hash of that header. While either is fresh, the client's
    opted-in reads stay on the primary: a buyer who saved a favorite and then lists products sees it. Does nothing
    without a replica alias or with a window of 0.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        window = sticky_seconds()
        if window <= 0 or not replica_configured():
            return self.get_response(request)
        _client_wrote.set(lambda: _wrote_within(request, window))
        response = self.get_response(request)
        if wrote_this_request():
            _mark_write(request, response, window)
        return response
