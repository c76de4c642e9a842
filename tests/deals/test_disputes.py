"""Disputes (opened with evidence before the window closes, answered, decided by an operator, money through the
ledger) and reviews (once, after delivery, feeding the supplier's rating and the Top suppliers board)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from deals.models import (
    Dispute,
    DisputeStatus,
    DocumentKind,
    LedgerKind,
    LedgerTransaction,
    MilestoneStatus,
    Order,
    OrderStatus,
    Review,
)
from deals.services import disputes, orders
from deals.services.ledger import escrow_balance, ledger_imbalances
from rankings.models import SupplierActivity
from suppliers.models import Supplier

from .builders import accepted_quote, order_at, pdf_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def quote(buyer, supplier_a, seller_a):
    return accepted_quote(buyer, supplier_a)


def open_dispute(order, buyer, **overrides):
    fields = {
        "order": order,
        "buyer": buyer,
        "reason": "quality",
        "description": "Twelve panels arrived with cracked glass; photos attached.",
        "requested_refund": "1000.00",
        "files": [pdf_file("photos.pdf")],
    }
    fields.update(overrides)
    return disputes.dispute_open(**fields)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": "bored"}, "reason"),
        ({"description": "bad"}, "description"),
        ({"requested_refund": "-5"}, "requested_refund"),
        ({"requested_refund": "many"}, "requested_refund"),
        ({"requested_refund": "20700.01"}, "requested_refund"),  # more than escrow holds
    ],
)
def test_bad_disputes_are_refused_and_nothing_changes(quote, buyer, seller_a, operator, overrides, field):
    order = order_at("shipped", quote=quote, seller=seller_a, operator=operator)
    with pytest.raises(ValidationError) as caught:
        open_dispute(order, buyer, **overrides)
    assert field in caught.value.message_dict
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SHIPPED and not Dispute.objects.exists()


def test_a_dispute_freezes_escrow_until_decided(quote, buyer, seller_a, operator):
    order = order_at("shipped", quote=quote, seller=seller_a, operator=operator)
    dispute = open_dispute(order, buyer)
    order.refresh_from_db()
    assert order.status == OrderStatus.DISPUTED and dispute.status_before == OrderStatus.SHIPPED
    assert dispute.documents.get().kind == DocumentKind.DISPUTE_EVIDENCE
    balance = order.milestones.get(position=2)
    with pytest.raises(ValidationError, match="in dispute"):
        orders.milestone_release(milestone=balance, actor=buyer)
    with pytest.raises(ValidationError, match="already"):
        open_dispute(order, buyer)  # one dispute per order


def test_only_the_buyer_opens_and_only_the_supplier_answers(quote, buyer, other_buyer, seller_a, seller_b, operator):
    order = order_at("in_production", quote=quote, seller=seller_a, operator=operator)
    with pytest.raises(PermissionDenied):
        open_dispute(order, other_buyer)
    dispute = open_dispute(order, buyer)
    with pytest.raises(PermissionDenied):
        disputes.dispute_answer(dispute=dispute, actor=seller_b, answer="Not our order, but let us answer anyway.")
    with pytest.raises(ValidationError) as caught:
        disputes.dispute_answer(dispute=dispute, actor=seller_a, answer="No.")
    assert "answer" in caught.value.message_dict
    disputes.dispute_answer(dispute=dispute, actor=seller_a, answer="The glass cracked in transit; see survey.")
    assert Dispute.objects.get(pk=dispute.pk).status == DisputeStatus.ANSWERED


def test_no_dispute_before_payment_or_after_the_protection_window(quote, buyer, seller_a, operator):
    unpaid = order_at("awaiting_payment", quote=quote, seller=seller_a, operator=operator)
    with pytest.raises(ValidationError, match="while money is held"):
        open_dispute(unpaid, buyer)
    other = accepted_quote(buyer, unpaid.supplier, payment_terms="30% deposit, 70% after delivery")
    delivered = order_at("delivered", quote=other, seller=seller_a, operator=operator)
    Order.objects.filter(pk=delivered.pk).update(protection_until=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="protection window closed"):
        open_dispute(delivered, buyer, requested_refund="10")


def test_the_operator_waits_for_the_answer_or_its_deadline(quote, buyer, seller_a, operator):
    order = order_at("shipped", quote=quote, seller=seller_a, operator=operator)
    dispute = open_dispute(order, buyer)
    with pytest.raises(ValidationError, match="may answer until"):
        disputes.dispute_decide(dispute=dispute, operator=operator, decision="refund", note="Photos are clear.")
    with pytest.raises(PermissionDenied):
        disputes.dispute_decide(dispute=dispute, operator=buyer, decision="refund", note="I win.")
    Dispute.objects.filter(pk=dispute.pk).update(answer_due=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError) as caught:
        disputes.dispute_decide(dispute=dispute, operator=operator, decision="refund", note=" ")
    assert "note" in caught.value.message_dict
    disputes.dispute_decide(dispute=dispute, operator=operator, decision="refund", note="Photos are clear.")
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED and escrow_balance(order=order) == 0


@pytest.mark.parametrize(
    ("decision", "refund", "status", "refunded", "released", "milestones"),
    [
        ("refund", None, OrderStatus.REFUNDED, "14490.00", "0", MilestoneStatus.REFUNDED),
        ("release", None, OrderStatus.RELEASED, "0", "14490.00", MilestoneStatus.RELEASED),
        ("partial", "1000", OrderStatus.PARTIALLY_RELEASED, "1000.00", "13490.00", MilestoneStatus.SETTLED),
    ],
)
def test_decisions_move_what_escrow_holds_through_a_balanced_ledger(
    quote, buyer, seller_a, operator, decision, refund, status, refunded, released, milestones
):
    # Shipped: the 30% deposit (6,210.00) was released on production start; the 70% (14,490.00) is held.
    order = order_at("shipped", quote=quote, seller=seller_a, operator=operator)
    orders.milestone_release(milestone=order.milestones.get(position=1), actor=buyer)
    dispute = open_dispute(order, buyer)
    disputes.dispute_answer(dispute=dispute, actor=seller_a, answer="The glass cracked in transit; see survey.")
    mail.outbox.clear()
    disputes.dispute_decide(dispute=dispute, operator=operator, decision=decision, refund_amount=refund, note="Seen.")
    order.refresh_from_db()
    assert order.status == status and order.closed_at and escrow_balance(order=order) == 0
    moved = {
        kind: sum((t.amount for t in LedgerTransaction.objects.filter(order=order, kind=kind)), Decimal(0))
        for kind in (LedgerKind.REFUND, LedgerKind.RELEASE)
    }
    assert moved[LedgerKind.REFUND] == Decimal(refunded)
    assert moved[LedgerKind.RELEASE] == Decimal("6210.00") + Decimal(released)
    assert order.milestones.get(position=2).status == milestones
    assert ledger_imbalances() == []
    activity = SupplierActivity.objects.get(kind="order", source_ref=f"deals.order:{order.pk}")
    assert activity.disputed is True
    assert Supplier.objects.get(pk=order.supplier_id).dispute_rate == Decimal("100.00")
    with pytest.raises(ValidationError, match="already decided"):
        disputes.dispute_decide(dispute=dispute, operator=operator, decision="release", note="Changed my mind.")


def test_a_partial_refund_must_be_less_than_what_is_held(quote, buyer, seller_a, operator):
    order = order_at("shipped", quote=quote, seller=seller_a, operator=operator)
    dispute = open_dispute(order, buyer)
    disputes.dispute_answer(dispute=dispute, actor=seller_a, answer="The glass cracked in transit; see survey.")
    for amount in ("20700.00", "0", None):
        with pytest.raises(ValidationError) as caught:
            disputes.dispute_decide(
                dispute=dispute, operator=operator, decision="partial", refund_amount=amount, note="x"
            )
        assert "refund_amount" in caught.value.message_dict
    assert Order.objects.get(pk=order.pk).status == OrderStatus.DISPUTED
    assert not LedgerTransaction.objects.exclude(kind=LedgerKind.FUNDING).exists()


def test_overdue_answers_are_reported_to_operators_once(
    quote, buyer, seller_a, operator, django_capture_on_commit_callbacks
):
    order = order_at("shipped", quote=quote, seller=seller_a, operator=operator)
    dispute = open_dispute(order, buyer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert disputes.dispute_remind_overdue(now=timezone.now()) == 0
        assert disputes.dispute_remind_overdue(now=dispute.answer_due + timedelta(minutes=1)) == 1
        assert disputes.dispute_remind_overdue(now=dispute.answer_due + timedelta(days=1)) == 0
    assert [m.to for m in mail.outbox] == [[operator.email]]
    assert f"/admin/deals/dispute/{dispute.pk}/" in mail.outbox[0].body


# --- reviews ----------------------------------------------------------------------------------------------------


def test_a_review_after_delivery_feeds_the_suppliers_rating(quote, buyer, supplier_a, seller_a, operator):
    order = order_at("released", quote=quote, seller=seller_a, operator=operator)
    review = disputes.review_create(order=order, buyer=buyer, supplier_rating=4, product_rating="5", comment="Good.")
    assert (review.supplier_rating, review.product_rating) == (4, 5)
    supplier = Supplier.objects.get(pk=supplier_a.pk)
    assert supplier.rating_average == Decimal("4.00") and supplier.rating_count == 1
    assert SupplierActivity.objects.get(kind="rating").source_ref == f"deals.review:{review.pk}"
    with pytest.raises(ValidationError, match="already rated"):
        disputes.review_create(order=order, buyer=buyer, supplier_rating=5, product_rating=5)
    assert Review.objects.count() == 1


def test_reviews_are_refused_before_delivery_out_of_range_or_by_someone_else(
    quote, buyer, other_buyer, seller_a, operator
):
    order = order_at("shipped", quote=quote, seller=seller_a, operator=operator)
    with pytest.raises(ValidationError, match="delivered"):
        disputes.review_create(order=order, buyer=buyer, supplier_rating=5, product_rating=5)
    with pytest.raises(ValidationError) as caught:
        disputes.review_create(order=order, buyer=buyer, supplier_rating=6, product_rating="x")
    assert set(caught.value.message_dict) == {"supplier_rating", "product_rating"}
    with pytest.raises(PermissionDenied):
        disputes.review_create(order=order, buyer=other_buyer, supplier_rating=1, product_rating=1)
    assert not Review.objects.exists() and not SupplierActivity.objects.filter(kind="rating").exists()
