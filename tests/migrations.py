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
    # An app unapplied completely ((app, None)) has no state to read.
    return executor.loader.project_state([target for target in targets if target[1] is not None]).apps


def just_before(node):
    """Targets that put the database just before migration `node`: its app at the migration before it, every other
    app at its newest migration that does not depend on `node` (so the historical models match the tables)."""
    graph = MigrationExecutor(connection).loader.graph
    later = set(graph.backwards_plan(node))  # node itself and everything that needs it
    app = node[0]
    parents = [parent for parent in graph.node_map[node].parents if parent.key[0] == app]
    targets = [parents[0].key if parents else (app, None)]
    for leaf in graph.leaf_nodes():
        if leaf[0] == app:
            continue
        if leaf not in later:
            targets.append(leaf)
            continue
        kept = [n for n in graph.nodes if n[0] == leaf[0] and n not in later]
        # The newest kept migration of that app: the one with the longest plan behind it.
        targets.append(max(kept, key=lambda n: len(graph.forwards_plan(n))) if kept else (leaf[0], None))
    return targets
