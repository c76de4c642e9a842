"""Sessions built through live.services, relative to one `now` (no sleeping: services and selectors take `now`)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from live import services
from tests.factories import ProductFactory


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def make_session(now):
    def make(supplier, *, start_in=timedelta(hours=2), hours=1, products=(), **fields):
        starts_at = now + start_in
        fields.setdefault("title", f"Factory tour at {supplier.name}")
        fields.setdefault("stream_url", "https://www.youtube.com/live/abc123")
        return services.session_create(
            supplier=supplier,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours),
            products=products,
            now=min(now, starts_at - timedelta(minutes=1)),
            **fields,
        )

    return make


@pytest.fixture
def product_a(supplier_a):
    return ProductFactory(supplier=supplier_a, title="Alpha Cordless Drill 18V")


@pytest.fixture
def product_b(supplier_b):
    return ProductFactory(supplier=supplier_b, title="Beta Vacuum Tumbler")
