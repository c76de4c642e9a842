"""One deal from the accepted quote to a rated delivery, each step by the person who takes it, as the embedded
default runs it (on-commit tasks executed, offline AI): the contract is drafted from the quote, edited, signed,
paid into escrow, produced, shipped, delivered, paid out on evidence, and rated; the supplier's record follows."""

from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from deals.models import ContractStatus, LedgerKind, MilestoneStatus, Order, OrderStatus, ShipmentStage, Side
from deals.services import contracts, disputes, orders
from deals.services.ledger import escrow_balance, ledger_imbalances
from rankings.models import SupplierActivity
from suppliers.models import Supplier

from .builders import pdf_file

pytestmark = pytest.mark.django_db


def test_a_deal_from_accepted_quote_to_rated_delivery(contract, buyer, seller_a, supplier_a, operator, committed):
    # Accepting the quote opened the contract and its on-commit task drafted version 1 from the quote.
    assert contract.status == ContractStatus.NEGOTIATING
    draft = contract.versions.get()
    terms = draft.parsed
    # 2,000 boards at the 1,000+ tier (4.10) and 500 trays at the 100+ tier (7.25).
    assert terms.total == Decimal("2000") * Decimal("4.10") + Decimal("500") * Decimal("7.25") == Decimal("11825.00")

    # The supplier moves the delivery a week later; the buyer accepts that version and signs, then the supplier.
    later = terms.delivery_date + timezone.timedelta(days=7)
    proposal = contracts.contract_propose(
        contract=contract,
        actor=seller_a,
        side=Side.SUPPLIER,
        changes={"delivery_date": later.isoformat()},
        note="Chinese New Year closes the factory for a week.",
    )
    assert proposal.number == 2 and proposal.parsed.delivery_date == later
    contracts.contract_accept(contract=contract, version=proposal, actor=buyer, side=Side.BUYER, signatory="Anna Buyer")
    with committed():
        contract = contracts.contract_accept(
            contract=contract, version=proposal, actor=seller_a, side=Side.SUPPLIER, signatory="Li Seller"
        )
    assert contract.status == ContractStatus.SIGNED and contract.signed_version_id == proposal.pk
    order = Order.objects.get(contract=contract)
    assert order.delivery_due == later and order.total == Decimal("11825.00")
    assert order.status == OrderStatus.AWAITING_PAYMENT

    # The buyer wires the money; an operator confirms it; the supplier hears of it.
    instructions = orders.order_payment_instructions(order=order)
    assert instructions.reference == order.payment_reference and instructions.amount == order.total
    mail.outbox.clear()
    with committed():
        order = orders.order_confirm_payment(
            order=order, operator=operator, amount=instructions.amount, currency="USD", provider_reference="MT103-77"
        )
    assert order.status == OrderStatus.FUNDED and mail.outbox[0].to == ["seller-a@example.com"]

    # Production; the buyer releases the deposit on it.
    order = orders.order_start_production(order=order, actor=seller_a)
    deposit, balance = order.milestones.order_by("position")
    orders.milestone_release(milestone=deposit, actor=buyer, idempotency_key="deposit-1")

    # The goods leave with a bill of lading; the buyer releases the balance against it.
    shipment = orders.shipment_add(order=order, actor=seller_a, mode="sea", carrier="Maersk", tracking_number="MSKU1")
    bill = orders.document_upload(
        order=order, actor=seller_a, side=Side.SUPPLIER, kind="bill_of_lading", file=pdf_file()
    )
    for stage in (ShipmentStage.BOOKED, ShipmentStage.DEPARTED):
        orders.shipment_event_record(shipment=shipment, actor=seller_a, stage=stage, location="Ningbo", document=bill)
    orders.milestone_release(milestone=balance, actor=buyer)
    for stage in (ShipmentStage.ARRIVED, ShipmentStage.CUSTOMS_CLEARED, ShipmentStage.DELIVERED):
        orders.shipment_event_record(shipment=shipment, actor=seller_a, stage=stage, location="Rotterdam")

    # The buyer confirms delivery: everything was paid out, so the order completes.
    order = orders.order_confirm_delivery(order=order, actor=buyer)
    assert order.status == OrderStatus.RELEASED and order.closed_at
    assert all(m.status == MilestoneStatus.RELEASED for m in order.milestones.all())
    assert escrow_balance(order=order) == 0 and ledger_imbalances() == []
    assert sorted(order.ledger_transactions.values_list("kind", flat=True)) == sorted(
        [LedgerKind.FUNDING, LedgerKind.RELEASE, LedgerKind.RELEASE]
    )

    # The rating and the completed order reach the supplier's record and the Top suppliers board's inputs.
    disputes.review_create(order=order, buyer=buyer, supplier_rating=5, product_rating=4, comment="As agreed.")
    supplier = Supplier.objects.get(pk=supplier_a.pk)
    assert (supplier.rating_average, supplier.rating_count) == (Decimal("5.00"), 1)
    assert supplier.on_time_delivery_rate == Decimal("100.00") and supplier.dispute_rate == Decimal("0.00")
    assert set(SupplierActivity.objects.filter(supplier=supplier_a).values_list("kind", flat=True)) == {
        "order",
        "rating",
    }

    # The audit trail tells the story in order, with who did each step.
    contract_story = list(order.contract.events.filter(order=None).values_list("action", "side"))
    assert contract_story == [
        ("contract_opened", Side.SYSTEM),
        ("contract_drafted", Side.PLATFORM),
        ("contract_proposed", Side.SUPPLIER),
        ("contract_accepted", Side.BUYER),
        ("contract_accepted", Side.SUPPLIER),
        ("contract_signed", Side.SUPPLIER),
    ]
    order_story = [action for action, _side in order.events.values_list("action", "side")]
    assert order_story[:4] == ["order_created", "payment_confirmed", "production_started", "milestone_released"]
    assert order_story[-2:] == ["completed", "reviewed"]
