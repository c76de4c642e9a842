"""The escrow order through its services: every transition allowed from where it may happen and refused elsewhere,
releases only on evidence, the ledger after each step, idempotency, who may act, and the deadline sweep."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from deals.models import (
    DealEvent,
    DocumentKind,
    LedgerKind,
    LedgerTransaction,
    MilestoneStatus,
    Order,
    OrderDocument,
    OrderStatus,
    PaymentMilestone,
    ShipmentStage,
    Side,
)
from deals.services import orders
from deals.services.ledger import escrow_balance, ledger_imbalances
from suppliers.models import Supplier

from .builders import accepted_quote, order_at, pdf_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def quote(buyer, supplier_a, seller_a):
    return accepted_quote(buyer, supplier_a)


def at(stage, quote, seller_a, operator):
    return order_at(stage, quote=quote, seller=seller_a, operator=operator)


def test_the_order_is_the_signed_contract_with_its_milestones(quote, seller_a, operator):
    order = at("awaiting_payment", quote, seller_a, operator)
    terms = order.version.parsed
    # 200 panels at the 100+ tier and 20 batteries: the quote's own numbers, nothing re-typed.
    assert order.total == Decimal("200") * Decimal("62.50") + Decimal("20") * Decimal("410.00") == Decimal("20700.00")
    assert order.currency == "USD" and order.version_id == order.contract.signed_version_id
    milestones = list(order.milestones.order_by("position"))
    assert [m.percent for m in milestones] == [Decimal("30"), Decimal("70")]
    assert [m.evidence for m in milestones] == ["production_start", "bill_of_lading"]
    assert sum(m.amount for m in milestones) == order.total
    assert order.delivery_due == terms.delivery_date
    assert order.payment_reference == f"SWE-{order.contract_id:06d}"


def test_payment_must_match_the_contract_exactly(quote, seller_a, operator):
    order = at("awaiting_payment", quote, seller_a, operator)
    for amount, currency, field in (
        ("20699.99", "USD", "amount"),
        ("20700.00", "EUR", "currency"),
        ("abc", "USD", "amount"),
    ):
        with pytest.raises(ValidationError) as caught:
            orders.order_confirm_payment(order=order, operator=operator, amount=amount, currency=currency)
        assert field in caught.value.message_dict
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and not LedgerTransaction.objects.exists()
    order = orders.order_confirm_payment(order=order, operator=operator, amount="20700", currency="usd")
    assert order.status == OrderStatus.FUNDED and order.funded_at
    assert escrow_balance(order=order) == Decimal("20700.00")
    assert ledger_imbalances() == []


def test_only_an_operator_confirms_payment(quote, buyer, seller_a, operator):
    order = at("awaiting_payment", quote, seller_a, operator)
    for actor in (buyer, seller_a):
        with pytest.raises(PermissionDenied):
            orders.order_confirm_payment(order=order, operator=actor, amount=order.total, currency="USD")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT


def test_payment_confirmed_twice_with_one_key_counts_once_and_without_it_is_refused(quote, seller_a, operator):
    order = at("awaiting_payment", quote, seller_a, operator)
    for _ in range(2):
        orders.order_confirm_payment(
            order=order, operator=operator, amount=order.total, currency="USD", idempotency_key="k-1"
        )
    with pytest.raises(ValidationError, match="Payment cannot be confirmed"):
        orders.order_confirm_payment(order=order, operator=operator, amount=order.total, currency="USD")
    assert LedgerTransaction.objects.filter(kind=LedgerKind.FUNDING).count() == 1


@pytest.mark.parametrize(
    ("stage", "action"),
    [
        ("awaiting_payment", "start_production"),
        ("funded", "confirm_delivery"),
        ("in_production", "confirm_delivery"),
        ("shipped", "start_production"),
        ("delivered", "cancel"),
        ("released", "cancel"),
        ("released", "start_production"),
        ("cancelled", "start_production"),
        ("funded", "cancel"),
    ],
)
def test_transitions_not_allowed_from_a_state_are_refused_and_change_nothing(
    quote, buyer, seller_a, operator, stage, action
):
    order = at(stage, quote, seller_a, operator)
    before = (order.status, DealEvent.objects.count(), LedgerTransaction.objects.count())
    call = {
        "start_production": lambda: orders.order_start_production(order=order, actor=seller_a),
        "confirm_delivery": lambda: orders.order_confirm_delivery(order=order, actor=buyer),
        "cancel": lambda: orders.order_cancel(order=order, actor=buyer, reason="Changed my mind"),
    }[action]
    with pytest.raises(ValidationError):
        call()
    order.refresh_from_db()
    assert (order.status, DealEvent.objects.count(), LedgerTransaction.objects.count()) == before


def test_the_happy_path_moves_through_every_state_with_an_audit_trail(quote, buyer, seller_a, operator):
    order = at("released", quote, seller_a, operator)
    assert order.status == OrderStatus.RELEASED and order.closed_at
    transitions = list(order.events.exclude(to_status="").values_list("from_status", "to_status"))
    assert transitions == [
        ("", "awaiting_payment"),
        ("awaiting_payment", "funded"),
        ("funded", "in_production"),
        ("in_production", "shipped"),
        ("shipped", "delivered"),
        ("delivered", "released"),
    ]
    assert escrow_balance(order=order) == 0 and ledger_imbalances() == []
    assert all(m.status == MilestoneStatus.RELEASED for m in order.milestones.all())
    actors = dict(order.events.filter(action="milestone_released").values_list("side", "actor"))
    assert actors == {Side.BUYER: buyer.pk}


def test_a_milestone_is_released_only_on_its_evidence(quote, buyer, seller_a, operator):
    order = at("funded", quote, seller_a, operator)
    deposit, balance = order.milestones.order_by("position")
    with pytest.raises(ValidationError, match="Production started"):
        orders.milestone_release(milestone=deposit, actor=buyer)
    orders.order_start_production(order=order, actor=seller_a)
    orders.milestone_release(milestone=deposit, actor=buyer)
    with pytest.raises(ValidationError, match="Bill of lading"):
        orders.milestone_release(milestone=balance, actor=buyer)
    # A bill of lading the buyer uploads is not the supplier's evidence.
    orders.document_upload(order=order, actor=buyer, side=Side.BUYER, kind=DocumentKind.BILL_OF_LADING, file=pdf_file())
    with pytest.raises(ValidationError, match="Bill of lading"):
        orders.milestone_release(milestone=balance, actor=buyer)
    orders.document_upload(
        order=order, actor=seller_a, side=Side.SUPPLIER, kind=DocumentKind.BILL_OF_LADING, file=pdf_file()
    )
    orders.milestone_release(milestone=balance, actor=buyer)
    order.refresh_from_db()
    # Everything is paid out but the goods are not delivered: the order stays open until they are.
    assert order.status == OrderStatus.IN_PRODUCTION and escrow_balance(order=order) == 0
    assert ledger_imbalances() == []


def test_two_release_clicks_give_one_release(quote, buyer, seller_a, operator):
    order = at("in_production", quote, seller_a, operator)
    deposit = order.milestones.get(position=1)
    orders.milestone_release(milestone=deposit, actor=buyer, idempotency_key="click-1")
    orders.milestone_release(milestone=deposit, actor=buyer, idempotency_key="click-1")  # the same request again
    with pytest.raises(ValidationError, match="already"):
        orders.milestone_release(milestone=deposit, actor=buyer, idempotency_key="click-2")
    assert LedgerTransaction.objects.filter(kind=LedgerKind.RELEASE).count() == 1
    with pytest.raises(ValidationError, match="another action"):
        orders.order_confirm_delivery(order=order, actor=buyer, idempotency_key="click-1")


def test_nobody_else_releases_the_buyers_milestone(quote, buyer, other_buyer, seller_a, seller_b, operator):
    order = at("in_production", quote, seller_a, operator)
    deposit = order.milestones.get(position=1)
    for actor in (other_buyer, seller_a, seller_b):
        with pytest.raises(PermissionDenied):
            orders.milestone_release(milestone=deposit, actor=actor)
    assert PaymentMilestone.objects.get(pk=deposit.pk).status == MilestoneStatus.HELD


def test_another_supplier_cannot_act_on_the_order(quote, seller_a, seller_b, operator):
    order = at("funded", quote, seller_a, operator)
    with pytest.raises(PermissionDenied):
        orders.order_start_production(order=order, actor=seller_b)
    with pytest.raises(PermissionDenied):
        orders.shipment_add(order=order, actor=seller_b, mode="sea", carrier="X", tracking_number="1")
    with pytest.raises(PermissionDenied):
        orders.document_upload(
            order=order, actor=seller_b, side=Side.SUPPLIER, kind=DocumentKind.BILL_OF_LADING, file=pdf_file()
        )
    assert Order.objects.get(pk=order.pk).status == OrderStatus.FUNDED and not OrderDocument.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bill-of-lading.pdf", b"MZ\x90\x00 this is an executable", "not a real PDF"),
        ("bill-of-lading.pdf", b"", "empty"),
        ("bill-of-lading.exe", b"%PDF-1.4 %%EOF", "PDF or a photo"),
        ("photo.jpg", b"%PDF-1.4\n%%EOF", "not a real JPEG"),
        ("bl.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024) + b"%%EOF", "at most 10 MB"),
    ],
)
def test_a_document_that_is_not_what_it_says_is_refused(quote, seller_a, operator, name, data, message):
    order = at("in_production", quote, seller_a, operator)
    with pytest.raises(ValidationError, match=message):
        orders.document_upload(
            order=order,
            actor=seller_a,
            side=Side.SUPPLIER,
            kind=DocumentKind.BILL_OF_LADING,
            file=SimpleUploadedFile(name, data),
        )
    assert not OrderDocument.objects.exists()


def test_a_real_photo_is_accepted_and_stored_under_a_generated_name(quote, seller_a, operator):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    order = at("in_production", quote, seller_a, operator)
    document = orders.document_upload(
        order=order,
        actor=seller_a,
        side=Side.SUPPLIER,
        kind=DocumentKind.PRODUCTION_PHOTO,
        file=SimpleUploadedFile("../../etc/passwd.png", buffer.getvalue()),
    )
    assert document.content_type == "image/png" and document.original_name == "passwd.png"
    assert "passwd" not in document.file.name and len(document.sha256) == 64


def test_shipment_stages_come_in_order_and_departure_ships_the_order(quote, buyer, seller_a, operator):
    order = at("in_production", quote, seller_a, operator)
    with pytest.raises(ValidationError) as caught:
        orders.shipment_add(order=order, actor=seller_a, mode="zeppelin", carrier=" ", tracking_number="")
    assert set(caught.value.message_dict) == {"mode", "carrier", "tracking_number"}
    shipment = orders.shipment_add(order=order, actor=seller_a, mode="sea", carrier="COSCO", tracking_number="C1")
    now = timezone.now()
    orders.shipment_event_record(shipment=shipment, actor=seller_a, stage=ShipmentStage.DEPARTED, occurred_at=now)
    with pytest.raises(ValidationError, match="later stage"):
        orders.shipment_event_record(shipment=shipment, actor=seller_a, stage=ShipmentStage.BOOKED)
    with pytest.raises(ValidationError, match="already recorded"):
        orders.shipment_event_record(shipment=shipment, actor=seller_a, stage=ShipmentStage.DEPARTED)
    with pytest.raises(ValidationError, match="before the previous"):
        orders.shipment_event_record(
            shipment=shipment, actor=seller_a, stage=ShipmentStage.ARRIVED, occurred_at=now - timedelta(days=1)
        )
    with pytest.raises(ValidationError, match="future"):
        orders.shipment_event_record(
            shipment=shipment, actor=seller_a, stage=ShipmentStage.ARRIVED, occurred_at=now + timedelta(days=2)
        )
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED and order.shipped_at == now
    assert order.confirm_delivery_by is None
    orders.shipment_event_record(shipment=shipment, actor=seller_a, stage=ShipmentStage.DELIVERED)
    order.refresh_from_db()
    assert order.confirm_delivery_by > timezone.now() + timedelta(days=6)


def test_goods_do_not_leave_before_production_starts(quote, seller_a, operator):
    order = at("funded", quote, seller_a, operator)
    shipment = orders.shipment_add(order=order, actor=seller_a, mode="air", carrier="DHL", tracking_number="D1")
    orders.shipment_event_record(shipment=shipment, actor=seller_a, stage=ShipmentStage.BOOKED)
    with pytest.raises(ValidationError, match="Start production"):
        orders.shipment_event_record(shipment=shipment, actor=seller_a, stage=ShipmentStage.DEPARTED)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.FUNDED


def test_cancel_only_before_payment_with_a_reason(quote, buyer, other_buyer, seller_a, operator):
    order = at("awaiting_payment", quote, seller_a, operator)
    with pytest.raises(PermissionDenied):
        orders.order_cancel(order=order, actor=other_buyer, reason="not mine")
    with pytest.raises(ValidationError) as caught:
        orders.order_cancel(order=order, actor=buyer, reason=" ")
    assert "reason" in caught.value.message_dict
    order = orders.order_cancel(order=order, actor=buyer, reason="Found a closer supplier")
    assert order.status == OrderStatus.CANCELLED and order.closed_at


def test_e_mails_follow_the_order(quote, buyer, seller_a, operator, django_capture_on_commit_callbacks):
    order = at("awaiting_payment", quote, seller_a, operator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        orders.order_confirm_payment(order=order, operator=operator, amount=order.total, currency="USD")
    with django_capture_on_commit_callbacks(execute=True):
        orders.order_start_production(order=order, actor=seller_a)
    assert [m.to for m in mail.outbox] == [["seller-a@example.com"], ["buyer@example.com"]]
    assert order.number in mail.outbox[0].subject and "/seller/deals/order/" in mail.outbox[0].body


# --- deadlines --------------------------------------------------------------------------------------------------


def test_the_sweep_confirms_delivery_and_releases_on_evidence_after_the_review_period(quote, buyer, seller_a, operator):
    order = at("shipped", quote, seller_a, operator)
    shipment = order.shipments.get()
    orders.shipment_event_record(shipment=shipment, actor=seller_a, stage=ShipmentStage.DELIVERED)
    order.refresh_from_db()
    assert orders.deals_sweep(now=timezone.now())["deliveries_confirmed"] == 0  # the buyer still has time
    later = order.confirm_delivery_by + timedelta(minutes=1)
    Order.objects.filter(pk=order.pk).update(confirm_delivery_by=timezone.now() - timedelta(minutes=1))
    done = orders.deals_sweep(now=later)
    order.refresh_from_db()
    assert done["deliveries_confirmed"] == 1 and order.delivered_at is not None
    # Production started and the B/L arrived more than the review period before `later`: both are released, and
    # with nothing held the delivered order completes.
    assert done["milestones_released"] == 2
    assert order.status == OrderStatus.RELEASED
    assert set(order.events.filter(action="milestone_released").values_list("side", flat=True)) == {Side.SYSTEM}
    assert orders.deals_sweep(now=later) == {
        "deliveries_confirmed": 0,
        "milestones_released": 0,
        "disputes_reminded": 0,
        "reminders_sent": 0,
    }


def test_the_sweep_waits_for_evidence_and_for_the_protection_window(buyer, supplier_a, seller_a, operator):
    quote = accepted_quote(buyer, supplier_a, payment_terms="30% deposit, 70% after delivery")
    order = order_at("delivered", quote=quote, seller=seller_a, operator=operator)
    deposit, on_delivery = order.milestones.order_by("position")
    assert on_delivery.evidence == "delivery"
    soon = timezone.now() + timedelta(days=8)
    assert orders.deals_sweep(now=soon)["milestones_released"] == 1  # the deposit, on production start
    assert PaymentMilestone.objects.get(pk=on_delivery.pk).status == MilestoneStatus.HELD
    after_window = order.protection_until + timedelta(minutes=1)
    assert orders.deals_sweep(now=after_window)["milestones_released"] == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.RELEASED and ledger_imbalances() == []


def test_delivery_is_confirmed_by_the_sweep_only_after_the_period(quote, seller_a, operator):
    order = at("shipped", quote, seller_a, operator)
    with pytest.raises(ValidationError):
        orders.order_confirm_delivery(order=order)  # no carrier delivery yet, no buyer: nothing to confirm


def test_completed_orders_feed_the_supplier_record(quote, buyer, supplier_a, seller_a, operator):
    at("released", quote, seller_a, operator)
    supplier = Supplier.objects.get(pk=supplier_a.pk)
    assert supplier.on_time_delivery_rate == Decimal("100.00") and supplier.dispute_rate == Decimal("0.00")
    from rankings.models import SupplierActivity

    activity = SupplierActivity.objects.get(kind="order", supplier=supplier_a)
    assert activity.order_value_usd == Decimal("20700.00") and activity.delivered_on_time is True


@pytest.mark.parametrize(
    ("incoterm", "shipped_days", "delivered_days", "expected"),
    [
        ("CIF", -1, 20, True),  # loaded on board before the date: on time, however long the voyage
        ("CIF", 3, 20, False),
        ("DDP", -10, 2, False),  # delivered at the destination after the date
        ("DDP", -10, -1, True),
    ],
)
def test_on_time_is_judged_where_the_incoterm_says_delivery_happens(
    quote, seller_a, operator, incoterm, shipped_days, delivered_days, expected
):
    from deals.models import ContractVersion

    order = at("released", quote, seller_a, operator)
    terms = dict(order.version.terms, incoterm=incoterm)
    ContractVersion.objects.filter(pk=order.version_id).update(terms=terms)  # as if the contract said so
    due = order.delivery_due

    def moment(days):
        return timezone.make_aware(timezone.datetime.combine(due + timedelta(days=days), timezone.datetime.min.time()))

    Order.objects.filter(pk=order.pk).update(shipped_at=moment(shipped_days), delivered_at=moment(delivered_days))
    assert orders.order_delivered_on_time(Order.objects.get(pk=order.pk)) is expected


def test_an_order_refunded_before_shipping_is_late_only_once_its_date_passed(quote, seller_a, operator):
    order = at("refunded", quote, seller_a, operator)  # refunded while shipped in the builder; pretend it never left
    Order.objects.filter(pk=order.pk).update(shipped_at=None)
    order = Order.objects.get(pk=order.pk)
    assert orders.order_delivered_on_time(order) is None
    Order.objects.filter(pk=order.pk).update(closed_at=timezone.now() + timedelta(days=400))
    assert orders.order_delivered_on_time(Order.objects.get(pk=order.pk)) is False


def test_reminders_go_once_before_each_deadline(quote, buyer, seller_a, operator, django_capture_on_commit_callbacks):
    from deals.services import disputes as dispute_services

    shipped = at("shipped", quote, seller_a, operator)
    orders.shipment_event_record(shipment=shipped.shipments.get(), actor=seller_a, stage=ShipmentStage.DELIVERED)
    shipped.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert orders.deadline_reminders_send(now=timezone.now()) == 0  # a week left: too early
        day_before = shipped.confirm_delivery_by - timedelta(days=1)
        assert orders.deadline_reminders_send(now=day_before) == 1
        assert orders.deadline_reminders_send(now=day_before + timedelta(hours=1)) == 0  # once
    assert [m.to for m in mail.outbox] == [["buyer@example.com"]]
    assert "confirm delivery by" in mail.outbox[0].subject and f"/deals/orders/{shipped.pk}/" in mail.outbox[0].body

    # The supplier hears before its dispute answer is due; the buyer before the protection window closes.
    other = accepted_quote(buyer, shipped.supplier, payment_terms="30% deposit, 70% after delivery")
    delivered = order_at("delivered", quote=other, seller=seller_a, operator=operator)
    dispute_services.dispute_open(
        order=shipped,
        buyer=buyer,
        reason="quality",
        description="Cracked glass on twelve panels, photos attached.",
        requested_refund="100",
    )
    shipped.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = orders.deadline_reminders_send(now=shipped.dispute.answer_due - timedelta(hours=2))
        assert sent == 1
        sent = orders.deadline_reminders_send(now=delivered.protection_until - timedelta(hours=3))
        assert sent == 1
    assert [m.to for m in mail.outbox] == [["seller-a@example.com"], ["buyer@example.com"]]
    assert "Answer the dispute" in mail.outbox[0].subject and "protection ends" in mail.outbox[1].subject


def test_no_protection_reminder_when_nothing_is_held(quote, buyer, seller_a, operator):
    order = at("delivered", quote, seller_a, operator)
    for milestone in order.milestones.filter(status="held"):
        orders.milestone_release(milestone=milestone, actor=buyer)
    order.refresh_from_db()
    assert order.status == OrderStatus.RELEASED
    assert orders.deadline_reminders_send(now=order.protection_until - timedelta(hours=1)) == 0
