"""Moving the test database along the migration graph, for upgrade tests (mark them django_db(transaction=True))."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def latest_nodes():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate_to(targets):
    """Migrate to `targets` and return the historical apps at that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # the applied set changed: reload before reading the state
    return executor.loader.project_state(targets).apps
