"""The ledger: the only way money moves in deals. Each movement is one LedgerTransaction whose entries sum to zero;
escrow never goes below zero for an order. Callers hold the order's row lock."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from ..models import Account, LedgerEntry, LedgerKind, LedgerTransaction, Order, PaymentMilestone

# What each kind of movement does, as (account, sign) pairs: money in is positive.
MOVEMENTS = {
    LedgerKind.FUNDING: ((Account.BUYER_PAYMENTS, -1), (Account.ESCROW, +1)),
    LedgerKind.RELEASE: ((Account.ESCROW, -1), (Account.SUPPLIER_PAYOUTS, +1)),
    LedgerKind.REFUND: ((Account.ESCROW, -1), (Account.BUYER_REFUNDS, +1)),
}


def escrow_balance(*, order: Order) -> Decimal:
    """What the platform holds for this order right now."""
    total = LedgerEntry.objects.filter(transaction__order=order, account=Account.ESCROW).aggregate(s=Sum("amount"))["s"]
    return total or Decimal("0")


def ledger_record(
    *,
    order: Order,
    kind: str,
    amount: Decimal,
    provider: str,
    provider_reference: str = "",
    milestone: PaymentMilestone | None = None,
    actor=None,
    memo: str = "",
) -> LedgerTransaction:
    """Write one balanced movement. Refuses a non-positive amount, a currency other than the order's, and anything
    that would take more out of escrow than it holds."""
    amount = Decimal(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("An amount must be more than zero.")})
    if kind != LedgerKind.FUNDING and amount > escrow_balance(order=order):
        raise ValidationError({"amount": _("Escrow does not hold that much for this order.")})
    entries = [(account, sign * amount) for account, sign in MOVEMENTS[LedgerKind(kind)]]
    if sum(value for _account, value in entries) != 0:  # the table above is the invariant; keep it honest
        raise AssertionError("unbalanced ledger movement")
    txn = LedgerTransaction.objects.create(
        order=order,
        kind=kind,
        currency=order.currency,
        amount=amount,
        milestone=milestone,
        provider=provider,
        provider_reference=provider_reference,
        memo=memo[:300],
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(transaction=txn, account=account, amount=value, currency=order.currency)
            for account, value in entries
        ]
    )
    return txn


def ledger_imbalances() -> list[dict]:
    """Every check the ledger must pass, as a list of problems (empty when it balances): each transaction sums to
    zero, no order's escrow is negative, and a closed order holds nothing. The operator admin shows this."""
    problems = []
    unbalanced = (
        LedgerEntry.objects.values("transaction_id")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .values_list("transaction_id", "total")
    )
    problems += [{"transaction": pk, "problem": f"entries sum to {total}"} for pk, total in unbalanced]
    escrow = (
        LedgerEntry.objects.filter(account=Account.ESCROW)
        .values("transaction__order_id", "transaction__order__status")
        .annotate(held=Sum("amount"))
    )
    for row in escrow:
        if row["held"] < 0:
            problems.append({"order": row["transaction__order_id"], "problem": f"escrow is negative: {row['held']}"})
        elif row["held"] > 0 and row["transaction__order__status"] in ("released", "refunded", "partially_released"):
            problems.append(
                {"order": row["transaction__order_id"], "problem": f"closed but escrow holds {row['held']}"}
            )
    return problems
