"""Clicks at the same moment, on PostgreSQL with real connections: one contract per accepted quote, one release per
milestone, one funding per order, whatever the race."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from deals.models import Contract, LedgerKind, LedgerTransaction, MilestoneStatus, PaymentMilestone
from deals.services import orders
from deals.services.ledger import ledger_imbalances
from sourcing import services as sourcing
from sourcing.models import Quote, QuoteStatus

from .builders import accepted_quote, order_at

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with row locks and concurrent writers")


def race(*calls) -> list[str]:
    """Run the calls at once, each on its own connection; what each returned ("ok") or refused."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_acceptances_of_one_quote_give_one_contract(buyer, supplier_a, seller_a):
    accepted = accepted_quote(buyer, supplier_a)
    # Put the quote back to submitted, as if neither click had landed yet, and click twice.
    Quote.objects.filter(pk=accepted.pk).update(status=QuoteStatus.SUBMITTED, decided_at=None)
    accepted.rfq.__class__.objects.filter(pk=accepted.rfq_id).update(status="sent")
    Contract.objects.filter(quote=accepted).delete()
    quote = Quote.objects.get(pk=accepted.pk)
    outcomes = race(
        lambda: sourcing.quote_accept(quote=quote, buyer=buyer), lambda: sourcing.quote_accept(quote=quote, buyer=buyer)
    )
    assert sorted(outcomes)[-1] == "ok" and outcomes.count("ok") == 1, outcomes
    assert Contract.objects.filter(quote=quote).count() == 1


def test_two_release_clicks_at_once_give_one_release(buyer, supplier_a, seller_a, operator):
    order = order_at("in_production", quote=accepted_quote(buyer, supplier_a), seller=seller_a, operator=operator)
    deposit = order.milestones.get(position=1)
    outcomes = race(
        lambda: orders.milestone_release(milestone=deposit, actor=buyer, idempotency_key="tab-1"),
        lambda: orders.milestone_release(milestone=deposit, actor=buyer, idempotency_key="tab-2"),
    )
    assert outcomes.count("ok") == 1 and any("already" in o for o in outcomes), outcomes
    assert LedgerTransaction.objects.filter(kind=LedgerKind.RELEASE).count() == 1
    assert PaymentMilestone.objects.get(pk=deposit.pk).status == MilestoneStatus.RELEASED
    assert ledger_imbalances() == []


def test_the_same_key_from_two_tabs_at_once_acts_once(buyer, supplier_a, seller_a, operator):
    order = order_at("in_production", quote=accepted_quote(buyer, supplier_a), seller=seller_a, operator=operator)
    deposit = order.milestones.get(position=1)
    outcomes = race(
        lambda: orders.milestone_release(milestone=deposit, actor=buyer, idempotency_key="same"),
        lambda: orders.milestone_release(milestone=deposit, actor=buyer, idempotency_key="same"),
    )
    assert outcomes == ["ok", "ok"], outcomes  # the second sees the first's key and returns its outcome
    assert LedgerTransaction.objects.filter(kind=LedgerKind.RELEASE).count() == 1


def test_two_payment_confirmations_at_once_fund_once(buyer, supplier_a, seller_a, operator):
    order = order_at("awaiting_payment", quote=accepted_quote(buyer, supplier_a), seller=seller_a, operator=operator)
    confirm = lambda: orders.order_confirm_payment(  # noqa: E731
        order=order, operator=operator, amount=order.total, currency=order.currency
    )
    outcomes = race(confirm, confirm)
    assert outcomes.count("ok") == 1, outcomes
    assert LedgerTransaction.objects.filter(kind=LedgerKind.FUNDING).count() == 1
