"""The read replica router (config/db_router.py, core/db.py): opted-in reads go to the "replica" alias, writes never.

The alias is a test mirror of default (as config/settings.py configures it from DATABASE_REPLICA_URL), added here
when the environment has none, so the routing runs against a second alias on SQLite and on PostgreSQL alike.
Transactional tests: inside the `db` fixture's transaction every read stays on the primary, by rule.

Read your writes (core.db.ReadYourWritesMiddleware): a client that wrote reads from the primary for
DATABASE_REPLICA_STICKY_SECONDS, by a cookie or, for token clients without cookies, a cache mark. The per-request
mark is cleared when a request starts and when a worker starts a task (two tasks in a row in one real worker thread).
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from config.db_router import ReplicaRouter
from conversations.models import Conversation
from core.db import REPLICA, STICKY_COOKIE, forget_writes, note_write, use_replica, wrote_this_request
from marketplace.models import Favorite, Product
from search.engine import product_search
from search.models import SearchLog
from search.services import search_index_products
from tests.api.helpers import client_for, make_product
from tests.factories import BuyerFactory, CategoryFactory, SupplierFactory

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


# --- read your writes: a client that wrote reads from the primary for a while -----------------------------------------

FAVORITES = "/api/v1/me/favorites/products/"
PRODUCTS = "/api/v1/products/"


@pytest.fixture
def sticky(settings):
    settings.DATABASE_REPLICA_STICKY_SECONDS = 5
    cache.clear()  # token clients' marks
    return settings


def _routed(client, url, **extra):
    """The response, and the queries it ran on the replica and on the primary."""
    with CaptureQueriesContext(connections[REPLICA]) as replica, CaptureQueriesContext(connections["default"]) as prim:
        response = client.get(url, **extra)
    assert response.status_code == 200, response.content
    return response, replica.captured_queries, prim.captured_queries


def _listed(response):
    return [item["id"] for item in response.json()["results"]]


def _catalog(queries):
    """The queries that read the catalog (a token's user is looked up on the primary, before the opted-in read)."""
    return [q["sql"] for q in queries if "marketplace_product" in q["sql"]]


@BOTH
def test_a_buyer_who_saved_a_favorite_lists_products_from_the_primary(product, sticky):
    buyer = BuyerFactory()
    api = client_for(buyer)  # keeps cookies, as a browser or the mobile app's cookie jar does
    before = time.time()
    saved = api.post(FAVORITES, {"product": product.pk}, format="json")
    assert saved.status_code == 201, saved.content
    cookie = saved.cookies[STICKY_COOKIE]
    assert before - 0.001 <= float(cookie.value) <= time.time() + 0.001  # written to the millisecond
    assert cookie["max-age"] == 5 and cookie["httponly"] and cookie["samesite"] == "Lax"

    response, on_replica, on_primary = _routed(api, PRODUCTS)
    assert _listed(response) == [product.pk]
    assert on_replica == [] and on_primary

    # Another buyer, who wrote nothing, is served by the replica meanwhile.
    response, on_replica, on_primary = _routed(client_for(BuyerFactory()), PRODUCTS)
    assert _listed(response) == [product.pk] and on_replica and on_primary == []
    # Once the window has passed (the browser drops the cookie then; one sent late is ignored), the replica again.
    api.cookies[STICKY_COOKIE] = str(time.time() - 5.5)
    response, on_replica, on_primary = _routed(api, PRODUCTS)
    assert on_replica and on_primary == []
    assert STICKY_COOKIE not in response.cookies  # reading sets nothing


@BOTH
def test_a_token_client_without_cookies_who_wrote_reads_from_the_primary(product, sticky):
    sticky.DATABASE_REPLICA_STICKY_SECONDS = 1
    buyer = BuyerFactory()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(buyer).access_token}")
    assert api.post(FAVORITES, {"product": product.pk}, format="json").status_code == 201
    api.cookies.clear()  # a client that keeps none: the mark is found by its Authorization header

    _, on_replica, on_primary = _routed(api, PRODUCTS)
    assert on_replica == [] and _catalog(on_primary)
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(BuyerFactory()).access_token}")
    _, on_replica, on_primary = _routed(other, PRODUCTS)
    assert _catalog(on_replica) and _catalog(on_primary) == []

    time.sleep(1.1)  # the window (1 s here) passes
    _, on_replica, on_primary = _routed(api, PRODUCTS)
    assert _catalog(on_replica) and _catalog(on_primary) == []


@BOTH
def test_a_buyer_who_sent_an_inquiry_searches_on_the_primary_while_searches_alone_stay_on_the_replica(
    product, sticky, client
):
    # Searching writes a log line (bookkeeping, core.db.blind_writes): it pins nothing, so paging stays on the replica.
    for _ in range(2):
        response, on_replica, _ = _routed(client, "/search/", data={"q": "teapot"})
        assert on_replica and STICKY_COOKIE not in response.cookies
    assert SearchLog.objects.count() == 2

    buyer = BuyerFactory()
    client.force_login(buyer)
    sent = client.post(product.get_absolute_url(), {"quantity": 500, "body": "Price for 500 teapots, FOB Ningbo?"})
    assert sent.status_code == 302, sent.content
    [inquiry] = Conversation.objects.filter(buyer=buyer)
    assert inquiry.topic == product and STICKY_COOKIE in sent.cookies
    response, on_replica, on_primary = _routed(client, "/search/", data={"q": "teapot"})
    assert on_replica == [] and on_primary
    assert product.title in response.content.decode()


@BOTH
def test_the_write_mark_does_not_outlive_its_request_and_a_window_of_zero_turns_stickiness_off(product, settings):
    settings.DATABASE_REPLICA_STICKY_SECONDS = 0
    api = client_for(BuyerFactory())
    saved = api.post(FAVORITES, {"product": product.pk}, format="json")
    assert saved.status_code == 201 and STICKY_COOKIE not in saved.cookies
    assert Favorite.objects.count() == 1
    _, on_replica, on_primary = _routed(api, PRODUCTS)  # the same thread's next request: nothing written in it
    assert on_replica and on_primary == []


@BOTH
@pytest.mark.parametrize("value", ["not-a-time", "nan", "inf", "an hour ahead"])
def test_a_cookie_that_is_not_a_recent_write_is_ignored(product, sticky, value):
    api = APIClient()
    api.cookies[STICKY_COOKIE] = str(time.time() + 3600) if value == "an hour ahead" else value
    _, on_replica, on_primary = _routed(api, PRODUCTS)
    assert on_replica and on_primary == []


def test_without_a_replica_nothing_is_marked(monkeypatch, db, sticky):
    monkeypatch.delitem(connections.settings, REPLICA, raising=False)
    supplier = SupplierFactory()
    saved = client_for(BuyerFactory()).post(
        "/api/v1/me/favorites/suppliers/", {"supplier": supplier.slug}, format="json"
    )
    assert saved.status_code == 201, saved.content
    assert Favorite.objects.count() == 1 and STICKY_COOKIE not in saved.cookies


# --- the mark is cleared when a worker starts a task ------------------------------------------------------------------

BROKER_URL = (
    os.environ.get("CELERY_TEST_BROKER_URL") or os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/15"
)


@pytest.fixture(scope="module")
def probe_app():
    """A worker app like production's (JSON, acks late) with two probe tasks: one writes, one asks the router.
    One per module: Celery keeps the first callable registered under a task name."""
    try:
        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2).ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis at {BROKER_URL} is required for this test: {error}")
    app = Celery("silkway-replica-test")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=BROKER_URL,
        result_backend=BROKER_URL,
        task_always_eager=False,
        task_default_queue="silkway-replica-test",
        task_routes={},
        worker_hijack_root_logger=False,
    )

    @app.task(name="tests.replica_probe_write_task")
    def write_task():
        CategoryFactory()
        return wrote_this_request()

    @app.task(name="tests.replica_probe_read_task")
    def read_task():
        with use_replica():
            return {"wrote": wrote_this_request(), "reads_from": router.db_for_read(Product)}

    app.probes = (write_task, read_task)
    yield app
    from config.celery import app as project_app

    project_app.set_current()


@BOTH
def test_a_task_after_one_that_wrote_may_read_from_the_replica(replica_alias, probe_app):
    write_task, read_task = probe_app.probes
    # One worker thread (the solo pool) runs both, one after the other, as a worker process does.
    with start_worker(probe_app, perform_ping_check=False, queues=["silkway-replica-test"], pool="solo"):
        assert write_task.delay().get(timeout=30) is True
        assert read_task.delay().get(timeout=30) == {"wrote": False, "reads_from": REPLICA}


@BOTH
def test_an_eager_task_is_part_of_its_caller_and_keeps_its_mark(replica_alias, probe_app):
    _, read_task = probe_app.probes
    note_write()  # the request that queues the task (embedded default: run in-process) has written
    assert read_task.apply().get() == {"wrote": True, "reads_from": DEFAULT_DB_ALIAS}
    assert wrote_this_request()


def test_the_replica_and_blind_write_marks_are_safe_in_concurrent_threads():
    """A threaded server (gunicorn gthread, runserver) runs one decorated function in many threads at once: each
    call keeps its own context token (one shared token raised "created in a different Context" under load)."""
    import threading

    from core.db import blind_writes, replica_wanted, use_replica

    barrier = threading.Barrier(8)
    errors = []

    @use_replica()
    @blind_writes()
    def read():
        barrier.wait(timeout=5)
        return replica_wanted()

    def run():
        try:
            assert read() is True and replica_wanted() is False
        except Exception as error:  # noqa: BLE001 — collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
