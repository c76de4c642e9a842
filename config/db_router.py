"""Database router for the read replica (DATABASE_REPLICA_URL, see config/settings.py and README "Read replica").

Rules:
- Writes, migrations and every read that did not opt in go to "default".
- A read inside `core.db.use_replica()` goes to "replica" when that alias exists, the primary is not inside a
  transaction (atomic block), nothing was written earlier in the same request or task, and the client did not write
  within DATABASE_REPLICA_STICKY_SECONDS (core.db.ReadYourWritesMiddleware); otherwise to "default".
- Relations between objects from the two aliases are allowed: the replica is a copy of the same database.
"""

from django.db import DEFAULT_DB_ALIAS, connections

from core.db import REPLICA, client_wrote_recently, note_write, replica_wanted, wrote_this_request


def replica_usable() -> bool:
    return (
        REPLICA in connections.settings
        and replica_wanted()
        and not wrote_this_request()
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        and not client_wrote_recently()  # last: it may look in the cache, once per request
    )


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if replica_usable() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        note_write()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
