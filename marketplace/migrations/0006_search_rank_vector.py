"""PostgreSQL only: a compact ranking vector (titles, keywords, attributes, category names: weights A and B).

The full vector (with descriptions in nine languages, ~3.4 kB) is TOASTed, and ranking thousands of matches
read it back row by row; matching stays on the full vector's GIN index, ranking reads this one (~1.5 kB, inline).
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE marketplace_productsearchdocument ADD COLUMN rank_vector tsvector NOT NULL DEFAULT ''",
    "UPDATE marketplace_productsearchdocument SET rank_vector = ts_filter(vector, '{a,b}')",
]
BACKWARD = ["ALTER TABLE marketplace_productsearchdocument DROP COLUMN rank_vector"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0005_search")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
