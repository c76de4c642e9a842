"""seed_deals_demo walks demo deals to every order state through the deals services, keeps the ledger balanced, feeds
the suppliers' records, and never duplicates on re-run."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from deals.models import (
    Contract,
    ContractStatus,
    ContractVersion,
    Dispute,
    DisputeStatus,
    DocumentKind,
    LedgerTransaction,
    Order,
    OrderDocument,
    OrderStatus,
    Review,
    ShipmentEvent,
)
from deals.services.ledger import ledger_imbalances
from rankings.models import SupplierActivity

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def counts():
    return {
        "contracts": Contract.objects.count(),
        "versions": ContractVersion.objects.count(),
        "orders": Order.objects.count(),
        "ledger": LedgerTransaction.objects.count(),
        "documents": OrderDocument.objects.count(),
        "disputes": Dispute.objects.count(),
        "reviews": Review.objects.count(),
        "activity": SupplierActivity.objects.count(),
    }


def test_seed_deals_demo_has_every_state_balances_and_is_idempotent(django_capture_on_commit_callbacks):
    call_command("seed_demo", "--suppliers", "40", "--products", "120", "--seed", "7", stdout=io.StringIO())
    # The sourcing demo's accepted quote (buyer-de) becomes the contract under negotiation.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_sourcing_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_deals_demo", stdout=out)
    first = counts()

    assert set(Order.objects.values_list("status", flat=True)) == set(OrderStatus.values)
    assert ledger_imbalances() == []
    assert {d.status for d in Dispute.objects.filter(order__status=OrderStatus.DISPUTED)} == {
        DisputeStatus.OPEN,
        DisputeStatus.ANSWERED,
    }
    # Spread over several buyers and suppliers, every one a demo login.
    assert Order.objects.values("buyer").distinct().count() >= 8
    assert Order.objects.values("supplier").distinct().count() >= 8
    assert not Order.objects.exclude(buyer__email__regex=r"^buyer-[a-z]{2}@demo\.silkway\.test$").exists()

    # Contracts: one under negotiation with two versions, one waiting for the buyer's signature, and a signed one
    # edited by both sides with a note.
    unsigned = Contract.objects.filter(status=ContractStatus.NEGOTIATING)
    assert any(c.versions.count() == 2 and not c.versions.exclude(buyer_signatory="").exists() for c in unsigned)
    latest = [c.versions.order_by("-number").first() for c in unsigned]
    assert any(v.supplier_signatory and not v.buyer_signatory for v in latest)
    edited = Contract.objects.filter(status=ContractStatus.SIGNED, versions__author_side="supplier").filter(
        versions__author_side="buyer"
    )
    assert edited.exists()
    assert ContractVersion.objects.filter(contract__in=edited).exclude(note="").exists()

    # Shipping evidence is real PDF, shipments are tracked and dated in the past, in stage order.
    shipped = Order.objects.get(status=OrderStatus.SHIPPED)
    assert shipped.shipments.exclude(tracking_number="").exists()
    documents = list(
        OrderDocument.objects.filter(kind__in=[DocumentKind.BILL_OF_LADING, DocumentKind.INSPECTION_REPORT])
    )
    assert {d.kind for d in documents} == {DocumentKind.BILL_OF_LADING, DocumentKind.INSPECTION_REPORT}
    for document in documents:
        with document.file.open("rb") as handle:
            data = handle.read()
        assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    now = timezone.now()
    assert not ShipmentEvent.objects.filter(occurred_at__gt=now).exists()
    delivered = Order.objects.get(status=OrderStatus.DELIVERED)
    assert delivered.delivered_at < now < delivered.protection_until
    # Dated as a story: completed orders were delivered weeks ago, after they were paid.
    for order in Order.objects.filter(status=OrderStatus.RELEASED):
        assert (
            order.funded_at
            < order.shipped_at
            < order.delivered_at
            <= order.closed_at
            < now - timezone.timedelta(days=7)
        )

    # Closed orders and reviews reached the suppliers' records (on-time, disputes, ratings).
    refs = set(SupplierActivity.objects.filter(source_ref__startswith="deals.").values_list("source_ref", flat=True))
    closed = Order.objects.filter(
        status__in=[OrderStatus.RELEASED, OrderStatus.REFUNDED, OrderStatus.PARTIALLY_RELEASED]
    )
    assert closed.count() >= 4
    assert {f"deals.order:{pk}" for pk in closed.values_list("pk", flat=True)} <= refs
    assert {f"deals.review:{pk}" for pk in Review.objects.values_list("pk", flat=True)} <= refs
    assert "Orders by state" in out.getvalue() and "buyer-" in out.getvalue()

    again = io.StringIO()
    call_command("seed_deals_demo", stdout=again)
    assert counts() == first
    assert "0 deals created" in again.getvalue()
    assert ledger_imbalances() == []
