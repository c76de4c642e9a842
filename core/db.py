"""Read replica opt-in (config/db_router.py routes; DATABASE_REPLICA_URL configures the "replica" alias).

Reads go to the replica only inside `use_replica()`, and only while the primary is not in a transaction and nothing
has been written in the current request: a replica lags, so code that must see its own writes never reads from it.
Without a "replica" alias `use_replica()` changes nothing.
"""

from contextlib import ContextDecorator
from contextvars import ContextVar

from django.core.signals import request_finished, request_started

REPLICA = "replica"

_replica_wanted: ContextVar[bool] = ContextVar("replica_wanted", default=False)
_wrote: ContextVar[bool] = ContextVar("wrote_to_primary", default=False)


class use_replica(ContextDecorator):  # noqa: N801 - used like a function: `with use_replica():` / `@use_replica()`
    """Let the reads inside go to the replica (see the module docstring for when they still stay on the primary)."""

    def __enter__(self):
        self._token = _replica_wanted.set(True)
        return self

    def __exit__(self, *exc):
        _replica_wanted.reset(self._token)
        return False


def replica_wanted() -> bool:
    return _replica_wanted.get()


def note_write() -> None:
    """Called for every write (the router's db_for_write): the rest of the request reads from the primary."""
    _wrote.set(True)


def wrote_this_request() -> bool:
    return _wrote.get()


def forget_writes(**_kwargs) -> None:
    _wrote.set(False)


request_started.connect(forget_writes, dispatch_uid="core.db.forget_writes_started")
request_finished.connect(forget_writes, dispatch_uid="core.db.forget_writes_finished")
