"""Fixtures shared by all tests. Tests run on whatever DATABASE_URL says: PostgreSQL in CI, SQLite by default."""

import os

import pytest
from rest_framework.test import APIClient

from .api.helpers import client_for
from .factories import BuyerFactory, MembershipFactory, SupplierFactory, UserFactory

PASSWORD = "pass-1234-word"


def pytest_configure(config):
    # Tests call tasks in-process unless a test starts a real worker (tests/config/test_celery.py).
    from config.celery import app

    app.conf.task_always_eager = True


def pytest_collection_modifyitems(config, items):
    """DATABASE_FREE_TESTS=no leaves out the tests that never touch a database: CI runs the suite once per database
    (PostgreSQL, then SQLite), and these give the same answer on both, so they run in the first pass only."""
    if os.environ.get("DATABASE_FREE_TESTS", "yes") != "no":
        return
    kept, left_out = [], []
    for item in items:
        uses_database = item.get_closest_marker("django_db") or "_django_db_helper" in item.fixturenames
        (kept if uses_database else left_out).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _no_public_cache(settings):
    """The public cache (core/public_cache.py) is dropped on commit, and most tests never commit: it is off unless
    a test turns it on (tests/core/test_public_cache.py)."""
    settings.PUBLIC_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _no_buffered_counts(settings):
    """Sponsored impressions and product views are buffered per process (core/counters.py): each test starts and
    ends with none, so no test sees another's and nothing is left to flush at exit into a dropped test database;
    and no batch falls due by the clock inside a slow test (its writes would count in a bounded-queries block).
    Tests of the flushing call it or set the size or the period themselves."""
    from ads import impressions
    from marketplace import stats

    settings.ADS_IMPRESSION_FLUSH_SECONDS = settings.PRODUCT_VIEW_FLUSH_SECONDS = 3600

    for counter in (impressions.counter, stats.counter):
        counter.clear()
    yield
    for counter in (impressions.counter, stats.counter):
        counter.clear()


@pytest.fixture(autouse=True)
def _fresh_page_rate_limits():
    """Page rate limits (core/ratelimit.py) count per address in the throttles' cache, and every test comes from
    127.0.0.1: start each test with no attempts counted."""
    from django.core.cache import caches

    from core.api.throttles import throttle_cache_alias

    caches[throttle_cache_alias()].clear()


def _uses_database(request) -> bool:
    return request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def sourcing_reference_data(request):
    """Exchange rates, freight, duty and market rows come from a data migration, and a transactional test (the
    browser tests, the parallel index rebuild) flushes every table when it ends: reload them when a later test
    finds them gone."""
    if not _uses_database(request):
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
    from sourcing.models import DutyRate, ExchangeRate, FreightRate, MarketRequirement
    from sourcing.reference import reference_data_load

    if not ExchangeRate.objects.exists():
        reference_data_load(
            ExchangeRate=ExchangeRate, FreightRate=FreightRate, DutyRate=DutyRate, MarketRequirement=MarketRequirement
        )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what a block queues on commit (tasks, e-mails), as after a real commit: `with committed(): ...`."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _english_unless_asked():
    """Each test starts in English: a test client request in another language leaves that language active."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def supplier_a(db):
    return SupplierFactory(name="Alpha Tools Co., Ltd.", slug="alpha-tools")


@pytest.fixture
def supplier_b(db):
    return SupplierFactory(name="Beta Housewares Co., Ltd.", slug="beta-housewares")


@pytest.fixture
def seller_a(supplier_a):
    return MembershipFactory(supplier=supplier_a, user=UserFactory(email="seller-a@example.com")).user


@pytest.fixture
def seller_b(supplier_b):
    return MembershipFactory(supplier=supplier_b, user=UserFactory(email="seller-b@example.com")).user


@pytest.fixture
def buyer(db):
    return BuyerFactory(email="buyer@example.com")


@pytest.fixture
def other_buyer(db):
    return BuyerFactory(email="other-buyer@example.com")


@pytest.fixture
def operator(db):
    return UserFactory(email="ops@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def seller_a_client(client, seller_a):
    client.force_login(seller_a)
    return client


# --- API clients (JWT, as the mobile apps use it) ---------------------------------------------------------------


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def buyer_api(buyer):
    return client_for(buyer)


@pytest.fixture
def other_buyer_api(other_buyer):
    return client_for(other_buyer)


@pytest.fixture
def seller_a_api(seller_a):
    return client_for(seller_a)


@pytest.fixture
def seller_b_api(seller_b):
    return client_for(seller_b)
