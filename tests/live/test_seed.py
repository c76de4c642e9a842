"""seed_live_demo: sessions live now, upcoming and ended for demo suppliers, made again (not added) on a re-run."""

from io import StringIO

import pytest
from django.core.management import call_command

from demo import catalog
from live.models import LiveRegistration, LiveSession
from tests.factories import BuyerFactory, ProductFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def test_seed_live_demo(now):
    suppliers = [SupplierFactory(slug=f"demo-{n}") for n in range(2)]
    for supplier in suppliers:
        ProductFactory.create_batch(2, supplier=supplier)
    BuyerFactory(email=catalog.BUYERS[0]["email"])
    call_command("seed_live_demo", stdout=StringIO())
    sessions = list(LiveSession.objects.all())
    statuses = sorted(session.status() for session in sessions)
    assert statuses.count("live") == 1 and statuses.count("ended") == 1 and statuses.count("upcoming") == 4
    assert all(set(s.products.values_list("supplier", flat=True)) == {s.supplier_id} for s in sessions)
    assert len({s.language for s in sessions}) >= 3
    assert LiveRegistration.objects.exists()
    call_command("seed_live_demo", stdout=StringIO())
    assert LiveSession.objects.count() == len(sessions)
