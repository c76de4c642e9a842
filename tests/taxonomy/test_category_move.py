"""Category moved from marketplace to taxonomy with its table untouched: an existing database keeps every row."""

import pytest
from django.db import connection

from tests.migrations import latest_nodes, migrate_to

BEFORE = [
    ("marketplace", "0010_search_quantity_in_range"),
    ("suppliers", "0002_supplier_leaderboard_standing"),
    ("rankings", "0001_initial"),
]


# An early upgrade step. On SQLite it rebuilds every later table twice (a minute of CI), and SQLite databases are the
# embedded demo, seeded afresh: it runs where production data lives, on PostgreSQL (the CI's first pass).
@pytest.mark.skipif(connection.vendor != "postgresql", reason="upgrade step checked on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_upgrade_from_marketplace_category_keeps_rows():
    latest = latest_nodes()
    try:
        old = migrate_to(BEFORE)
        OldCategory = old.get_model("marketplace", "Category")
        parent = OldCategory.objects.create(
            slug="vehicles", name="Vehicles", sector="industrial", names={"de": "Fahrzeuge"}
        )
        OldCategory.objects.create(slug="e-scooters", name="Electric Scooters", sector="consumer", parent=parent)
        Supplier = old.get_model("suppliers", "Supplier")
        supplier = Supplier.objects.create(name="Old Co", slug="old-co", kind="factory")
        old.get_model("suppliers", "ProductionCapacity").objects.create(
            supplier=supplier, category=parent, product_line="Scooters", quantity=100
        )

        new = migrate_to(latest)
        Category = new.get_model("taxonomy", "Category")
        child = Category.objects.get(slug="e-scooters")
        assert child.parent.slug == "vehicles"
        assert child.parent.names == {"de": "Fahrzeuge"}
        capacity = new.get_model("suppliers", "ProductionCapacity").objects.get(product_line="Scooters")
        assert capacity.category_id == child.parent_id
    finally:
        migrate_to(latest)
