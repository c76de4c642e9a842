"""The read replica router (config/db_router.py, core/db.py): opted-in reads go to the "replica" alias, writes never.

The alias is a test mirror of default (as config/settings.py configures it from DATABASE_REPLICA_URL), added here
when the environment has none, so the routing runs against a second alias on SQLite and on PostgreSQL alike.
Transactional tests: inside the `db` fixture's transaction every read stays on the primary, by rule.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.test.utils import CaptureQueriesContext

from config.db_router import ReplicaRouter
from core.db import REPLICA, forget_writes, use_replica, wrote_this_request
from marketplace.models import Product
from search.engine import product_search
from search.services import search_index_products
from tests.api.helpers import make_product
from tests.factories import CategoryFactory

ROOT = Path(__file__).resolve().parents[2]
BOTH = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])


@pytest.fixture(scope="module")
def replica_alias(django_db_setup):
    added = REPLICA not in connections.settings
    if added:
        connections.settings[REPLICA] = {**connections[DEFAULT_DB_ALIAS].settings_dict, "TEST": {"MIRROR": "default"}}
    routers = router.__dict__.get("routers")
    router.__dict__["routers"] = [ReplicaRouter()]
    yield
    if routers is None:
        router.__dict__.pop("routers", None)
    else:
        router.__dict__["routers"] = routers
    if added:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


@pytest.fixture(autouse=True)
def _no_writes_noted():
    forget_writes()
    yield
    forget_writes()


@pytest.fixture
def product(replica_alias, transactional_db):
    made = make_product(title="Replica routed teapot")
    search_index_products(product_ids=[made.pk])
    forget_writes()  # as at the start of the next request
    return made


def _writes(queries):
    return [q["sql"] for q in queries if q["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]


@BOTH
def test_product_search_reads_from_the_replica(product):
    with CaptureQueriesContext(connections[REPLICA]) as replica, CaptureQueriesContext(connections["default"]) as prim:
        result = product_search(q="teapot")
    assert [p.pk for p in result.hits] == [product.pk]
    assert any("search" in q["sql"].lower() for q in replica.captured_queries)
    # No table is read on the primary (on PostgreSQL the query's lexemes, a table-less function call, may be).
    assert [q["sql"] for q in prim.captured_queries if 'FROM "' in q["sql"]] == []


@BOTH
def test_api_product_list_reads_from_the_replica(product, client):
    with CaptureQueriesContext(connections[REPLICA]) as replica, CaptureQueriesContext(connections["default"]) as prim:
        response = client.get("/api/v1/products/")
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [product.pk]
    assert replica.captured_queries
    assert prim.captured_queries == []


@BOTH
def test_writes_go_to_the_primary_and_pin_later_reads_there(product):
    with (
        CaptureQueriesContext(connections[REPLICA]) as replica,
        CaptureQueriesContext(connections["default"]) as prim,
        use_replica(),
    ):
        Product.objects.filter(pk=product.pk).update(title="Renamed teapot")
        CategoryFactory()
        assert wrote_this_request()
        assert Product.objects.get(pk=product.pk).title == "Renamed teapot"
    assert replica.captured_queries == []
    assert len(_writes(prim.captured_queries)) >= 2


@BOTH
def test_reads_outside_use_replica_or_inside_a_transaction_stay_on_the_primary(product):
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        assert list(Product.objects.values_list("pk", flat=True)) == [product.pk]
        with transaction.atomic():
            assert [p.pk for p in product_search(q="teapot").hits] == [product.pk]
    assert replica.captured_queries == []


def test_without_a_replica_alias_reads_stay_on_the_primary(monkeypatch):
    monkeypatch.delitem(connections.settings, REPLICA, raising=False)
    with use_replica():
        assert ReplicaRouter().db_for_read(Product) == DEFAULT_DB_ALIAS
    assert ReplicaRouter().allow_migrate(REPLICA, "marketplace") is False


def _settings_with(**env):
    code = (
        "import json; from config import settings as s; "
        "print(json.dumps({'aliases': sorted(s.DATABASES), 'routers': getattr(s, 'DATABASE_ROUTERS', []), "
        "'test': s.DATABASES.get('replica', {}).get('TEST'), 'name': s.DATABASES.get('replica', {}).get('NAME')}))"
    )
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, check=True
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_settings_add_the_replica_alias_only_when_configured():
    assert _settings_with() == {"aliases": ["default"], "routers": [], "test": None, "name": None}
    configured = _settings_with(DATABASE_REPLICA_URL="postgres://reader@replica.internal:5432/silkway")
    assert configured == {
        "aliases": ["default", "replica"],
        "routers": ["config.db_router.ReplicaRouter"],
        "test": {"MIRROR": "default"},
        "name": "silkway",
    }
