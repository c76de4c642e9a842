"""The upgrade from today's schema: rows written before the search models moved out of marketplace (marketplace
0010) are read through the search app's models after marketplace 0011 and search 0001, on SQLite and PostgreSQL."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from search.models import ProductSearchDocument, SearchLog
from tests.migrations import just_before, latest_nodes, migrate_to

MOVE = ("marketplace", "0011_search_models_to_search_app")


# An early upgrade step. On SQLite it rebuilds every later table twice (a minute of CI), and SQLite databases are the
# embedded demo, seeded afresh: it runs where production data lives, on PostgreSQL (the CI's first pass).
@pytest.mark.skipif(connection.vendor != "postgresql", reason="upgrade step checked on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_rows_survive_the_move_to_the_search_app():
    latest = latest_nodes()
    try:
        old = migrate_to(just_before(MOVE))
        assert "productsearchdocument" in old.all_models["marketplace"] and "search" not in old.all_models
        Supplier = old.get_model("suppliers", "Supplier")
        Category = old.get_model("marketplace", "Category")
        Product = old.get_model("marketplace", "Product")
        Document = old.get_model("marketplace", "ProductSearchDocument")
        Quantity = old.get_model("marketplace", "SearchQuantity")
        Log = old.get_model("marketplace", "SearchLog")
        supplier = Supplier.objects.create(name="Old Factory", slug="old-factory", kind="factory", country="CN")
        category = Category.objects.create(slug="old-tools", name="Old Tools", sector="industrial")
        product = Product.objects.create(
            supplier=supplier,
            category=category,
            title="Legacy Drill",
            slug="legacy",
            lead_time_days=10,
            status="published",
            published_at=timezone.now(),
        )
        document = Document.objects.create(
            product=product,
            supplier=supplier,
            category=category,
            language="en",
            moq=100,
            lead_time_days=10,
            currency="USD",
            cert_codes="|CE|",
            supplier_kind="factory",
            supplier_country="CN",
        )
        Quantity.objects.create(document=document, unit="V", low=18, high=18)
        Log.objects.create(query="legacy drill", normalized="legacy drill", language="en", result_count=1)

        migrate_to(latest)

        moved = ProductSearchDocument.objects.select_related("product", "category").get(product_id=product.pk)
        assert moved.product.title == "Legacy Drill" and moved.category.slug == "old-tools"
        assert moved.cert_codes == "|CE|" and moved.supplier_kind == "factory"
        assert [(q.unit, q.low, q.high) for q in moved.quantities.all()] == [("V", 18.0, 18.0)]
        log = SearchLog.objects.get()
        assert (log.query, log.result_count) == ("legacy drill", 1)
        assert log.created_at > timezone.now() - datetime.timedelta(minutes=5)
        # The tables kept their names; the backend-specific objects created by marketplace 0005/0006 are there.
        assert ProductSearchDocument._meta.db_table == "marketplace_productsearchdocument"
        tables = connection.introspection.table_names()
        assert {
            "marketplace_productsearchdocument",
            "marketplace_searchquantity",
            "marketplace_searchterm",
            "marketplace_searchlog",
        } <= set(tables)
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                assert "marketplace_search_fts" in tables
            else:
                columns = {
                    c.name
                    for c in connection.introspection.get_table_description(cursor, "marketplace_productsearchdocument")
                }
                assert {"vector", "rank_vector"} <= columns
        # Permissions granted on the models follow them: their content types moved too.
        ContentType.objects.clear_cache()
        assert ContentType.objects.filter(app_label="search", model="searchlog").exists()
        assert not ContentType.objects.filter(app_label="marketplace", model="searchlog").exists()
    finally:
        migrate_to(latest)  # leave the schema as every other test expects it
