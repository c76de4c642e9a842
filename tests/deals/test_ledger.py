"""The ledger invariant: whatever happens to orders, every movement sums to zero, escrow never goes negative, what
escrow holds for an order equals its held milestones, and a closed order holds nothing. Entries are never changed."""

import random
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum

from deals.models import (
    Account,
    ImmutableError,
    LedgerEntry,
    LedgerTransaction,
    MilestoneStatus,
    Order,
    OrderStatus,
)
from deals.services import disputes, orders
from deals.services.ledger import escrow_balance, ledger_imbalances, ledger_record

from .builders import STAGES, accepted_quote, order_at

pytestmark = pytest.mark.django_db


def held(order: Order) -> Decimal:
    return order.milestones.filter(status=MilestoneStatus.HELD).aggregate(s=Sum("amount"))["s"] or Decimal(0)


def assert_invariant():
    assert ledger_imbalances() == []
    assert (LedgerEntry.objects.aggregate(s=Sum("amount"))["s"] or 0) == 0
    for order in Order.objects.all():
        if order.status in (OrderStatus.AWAITING_PAYMENT, OrderStatus.CANCELLED):
            assert escrow_balance(order=order) == 0
        elif order.status != OrderStatus.DISPUTED:
            assert escrow_balance(order=order) == held(order), order.status
        if order.is_closed:
            assert escrow_balance(order=order) == 0


@pytest.mark.parametrize("stage", STAGES)
def test_the_ledger_balances_in_every_state(buyer, supplier_a, seller_a, operator, stage):
    order_at(stage, quote=accepted_quote(buyer, supplier_a), seller=seller_a, operator=operator)
    assert_invariant()


def test_random_walks_over_many_orders_keep_the_ledger_balanced(buyer, supplier_a, seller_a, operator):
    rng = random.Random(20261204)
    made = [
        order_at(
            rng.choice(["funded", "in_production", "shipped", "delivered"]),
            quote=accepted_quote(buyer, supplier_a),
            seller=seller_a,
            operator=operator,
        )
        for _ in range(4)
    ]
    for _step in range(40):
        order = Order.objects.get(pk=rng.choice(made).pk)
        action = rng.choice(["release", "release", "dispute", "decide", "deliver"])
        try:
            if action == "release" and (milestones := list(order.milestones.filter(status="held"))):
                orders.milestone_release(milestone=rng.choice(milestones), actor=rng.choice([buyer, operator]))
            elif action == "dispute":
                disputes.dispute_open(
                    order=order,
                    buyer=buyer,
                    reason="quality",
                    description="x" * 30,
                    requested_refund=str(rng.randint(1, 500)),
                )
            elif action == "decide" and hasattr(order, "dispute"):
                disputes.dispute_answer(dispute=order.dispute, actor=seller_a, answer="y" * 30)
                disputes.dispute_decide(
                    dispute=order.dispute,
                    operator=operator,
                    decision=rng.choice(["refund", "release", "partial"]),
                    refund_amount=str(rng.randint(1, 50)),
                    note="decided",
                )
            elif action == "deliver":
                orders.order_confirm_delivery(order=order, actor=buyer)
        except (ValidationError, PermissionDenied):
            pass  # a refused step must leave everything as it was: the invariant below says so
        assert_invariant()


def test_an_unbalanced_or_overdrawn_movement_is_refused(buyer, supplier_a, seller_a, operator):
    order = order_at("funded", quote=accepted_quote(buyer, supplier_a), seller=seller_a, operator=operator)
    with pytest.raises(ValidationError, match="does not hold"):
        ledger_record(order=order, kind="release", amount=order.total + 1, provider="manual")
    with pytest.raises(ValidationError):
        ledger_record(order=order, kind="refund", amount=0, provider="manual")
    assert_invariant()


def test_ledger_rows_are_never_changed_or_deleted(buyer, supplier_a, seller_a, operator):
    order = order_at("funded", quote=accepted_quote(buyer, supplier_a), seller=seller_a, operator=operator)
    txn = LedgerTransaction.objects.get(order=order)
    entry = txn.entries.get(account=Account.ESCROW)
    entry.amount = Decimal("1")
    with pytest.raises(ImmutableError):
        entry.save()
    with pytest.raises(ImmutableError):
        txn.delete()
    with pytest.raises(ImmutableError):
        order.events.first().save()
    assert escrow_balance(order=order) == order.total
