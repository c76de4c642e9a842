"""The storefront's delivery, dispute and rating figures, recomputed from the platform's activity record: unknown
without orders (never zero), a 12-month window, and the nightly pass that lets old orders age out."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from rankings.services import (
    supplier_activity_record,
    supplier_order_metrics_recompute,
    supplier_order_metrics_recompute_all,
)
from suppliers.models import Supplier
from tests.factories import BuyerFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def order(supplier, ref, *, days_ago=10, on_time=True, disputed=False):
    supplier_activity_record(
        supplier=supplier,
        kind="order",
        source_ref=ref,
        occurred_at=timezone.now() - timedelta(days=days_ago),
        order_value_usd=Decimal("1000"),
        delivered_on_time=on_time,
        disputed=disputed,
    )


def test_no_orders_means_unknown_not_zero():
    supplier = SupplierFactory()
    figures = supplier_order_metrics_recompute(supplier_id=supplier.pk)
    assert figures == {"on_time_delivery_rate": None, "dispute_rate": None, "rating_average": None, "rating_count": 0}


def test_rates_and_rating_from_the_last_twelve_months():
    supplier, buyer = SupplierFactory(), BuyerFactory()
    order(supplier, "o1")
    order(supplier, "o2", on_time=False)
    order(supplier, "o3", disputed=True)
    order(supplier, "o4", days_ago=400, on_time=False, disputed=True)  # outside the window
    for ref, stars in (("r1", 5), ("r2", 4)):
        supplier_activity_record(
            supplier=supplier, kind="rating", source_ref=ref, occurred_at=timezone.now(), buyer=buyer, rating=stars
        )
    supplier_order_metrics_recompute(supplier_id=supplier.pk)
    supplier = Supplier.objects.get(pk=supplier.pk)
    assert supplier.on_time_delivery_rate == Decimal("66.67")
    assert supplier.dispute_rate == Decimal("33.33")
    assert (supplier.rating_average, supplier.rating_count) == (Decimal("4.50"), 2)
    assert supplier.metrics_updated_at is not None


def test_the_nightly_pass_lets_old_orders_age_out():
    supplier = SupplierFactory()
    order(supplier, "recent", days_ago=5)
    supplier_order_metrics_recompute(supplier_id=supplier.pk)
    from rankings.models import SupplierActivity

    SupplierActivity.objects.filter(source_ref="recent").update(occurred_at=timezone.now() - timedelta(days=366))
    assert supplier_order_metrics_recompute_all() == 1
    assert Supplier.objects.get(pk=supplier.pk).on_time_delivery_rate is None
