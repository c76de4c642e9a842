"""Fixtures shared by all tests. Tests run on whatever DATABASE_URL says: PostgreSQL in CI, SQLite by default."""

import pytest

from .factories import BuyerFactory, MembershipFactory, SupplierFactory, UserFactory

PASSWORD = "pass-1234-word"


def pytest_configure(config):
    # Tests call tasks in-process unless a test starts a real worker (tests/config/test_celery.py).
    from config.celery import app

    app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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
