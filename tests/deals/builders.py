"""Deals in every state, built through the real services (sourcing's RFQ and quote, then deals' contract and order
services), for tests of pages, the API, the admin and the services themselves.

    quote = accepted_quote(buyer, supplier_a)
    order = order_at("shipped", quote=quote, seller=seller_a, operator=operator)
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from deals.models import Contract, DisputeReason, DocumentKind, Evidence, Order, ShipmentStage, Side
from deals.services import contracts, disputes, orders
from sourcing import services as sourcing
from sourcing.models import RFQRecipient

# The smallest file every PDF reader (and deals.documents) accepts.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_file(name="bill-of-lading.pdf", data=PDF_BYTES):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def accepted_quote(buyer, supplier, *, payment_terms="T/T 30% deposit, 70% against B/L copy", currency="USD"):
    """An RFQ for two products sent to `supplier`, quoted with price tiers, and accepted by `buyer`."""
    today = timezone.localdate()
    rfq = sourcing.rfq_create(
        buyer=buyer,
        title="Solar panels and batteries",
        lines=[
            {
                "product_name": "Monocrystalline solar panel 550 W",
                "quantity": 200,
                "unit": "piece",
                "specs": [{"name": "Power", "value": "550 W"}],
            },
            {"product_name": "LiFePO4 battery 48 V 100 Ah", "quantity": 20, "unit": "piece"},
        ],
        quote_deadline=today + timedelta(days=7),
        currency="USD",
        incoterm="CIF",
        incoterm_place="Rotterdam",
        destination_country="NL",
        requirements=[{"key": "cert:CE", "label": "CE certificate"}],
        message="Please pack on pallets with corner protectors.",
    )
    sourcing.rfq_send(rfq=rfq, buyer=buyer, supplier_ids=[supplier.pk])
    recipient = RFQRecipient.objects.get(rfq=rfq, supplier=supplier)
    panel, battery = rfq.lines.order_by("position")
    quote = sourcing.quote_submit(
        recipient=recipient,
        currency=currency,
        incoterm="CIF",
        incoterm_place="Rotterdam",
        lead_time_days=30,
        payment_terms=payment_terms,
        valid_until=today + timedelta(days=30),
        lines=[
            {
                "rfq_line": panel.pk,
                "tiers": [{"min_quantity": 100, "unit_price": "62.50"}, {"min_quantity": 500, "unit_price": "58.00"}],
            },
            {"rfq_line": battery.pk, "tiers": [{"min_quantity": 10, "unit_price": "410.00"}]},
        ],
        answers=[{"key": "cert:CE", "answer": "meets"}],
        notes="Each pallet carries 30 panels with corner protectors.",
    )
    return sourcing.quote_accept(quote=quote, buyer=buyer)


def signed_contract(quote, *, seller) -> Contract:
    """Drafted offline, accepted by both sides as drafted: signed, with its order awaiting payment."""
    contract = contracts.contract_open(quote=quote)
    contract = contracts.contract_draft(contract_id=contract.pk)
    version = contract.versions.order_by("-number").first()
    contracts.contract_accept(
        contract=contract, version=version, actor=quote.rfq.buyer, side=Side.BUYER, signatory="Anna Buyer"
    )
    return contracts.contract_accept(
        contract=contract, version=version, actor=seller, side=Side.SUPPLIER, signatory="Li Seller"
    )


STAGES = (
    "awaiting_payment",
    "cancelled",
    "funded",
    "in_production",
    "shipped",
    "delivered",
    "released",
    "disputed",
    "refunded",
    "partially_released",
)


def order_at(stage, *, quote, seller, operator) -> Order:
    """An order walked to `stage` the way the people involved would get it there."""
    assert stage in STAGES, stage
    buyer = quote.rfq.buyer
    order = Order.objects.get(contract=signed_contract(quote, seller=seller))
    if stage == "awaiting_payment":
        return order
    if stage == "cancelled":
        return orders.order_cancel(order=order, actor=buyer, reason="Found the panels locally.")
    order = orders.order_confirm_payment(
        order=order, operator=operator, amount=order.total, currency=order.currency, provider_reference="BANK-REF-1"
    )
    if stage == "funded":
        return order
    order = orders.order_start_production(order=order, actor=seller)
    if stage == "in_production":
        return order
    shipment = orders.shipment_add(order=order, actor=seller, mode="sea", carrier="COSCO", tracking_number="COSU123456")
    now = timezone.now()
    orders.document_upload(
        order=order, actor=seller, side=Side.SUPPLIER, kind=DocumentKind.BILL_OF_LADING, file=pdf_file()
    )
    orders.shipment_event_record(
        shipment=shipment,
        actor=seller,
        stage=ShipmentStage.BOOKED,
        occurred_at=now - timedelta(days=3),
        location="Ningbo",
    )
    orders.shipment_event_record(
        shipment=shipment,
        actor=seller,
        stage=ShipmentStage.DEPARTED,
        occurred_at=now - timedelta(days=2),
        location="Ningbo",
    )
    order.refresh_from_db()
    if stage == "shipped":
        return order
    if stage in ("disputed", "refunded", "partially_released"):
        dispute = disputes.dispute_open(
            order=order,
            buyer=buyer,
            reason=DisputeReason.QUALITY,
            description="Twelve panels arrived with cracked glass; photos attached.",
            requested_refund="1000.00",
            files=[pdf_file("photos.pdf")],
        )
        if stage == "disputed":
            order.refresh_from_db()
            return order
        disputes.dispute_answer(
            dispute=dispute,
            actor=seller,
            answer="The cracks happened in transit; the carrier's survey report is attached.",
        )
        decision = "refund" if stage == "refunded" else "partial"
        disputes.dispute_decide(
            dispute=dispute,
            operator=operator,
            decision=decision,
            refund_amount="1000.00",
            note="The survey shows the damage was in the supplier's packing.",
        )
        order.refresh_from_db()
        return order
    orders.shipment_event_record(
        shipment=shipment, actor=seller, stage=ShipmentStage.DELIVERED, occurred_at=now, location="Rotterdam"
    )
    order = orders.order_confirm_delivery(order=order, actor=buyer)
    if stage == "delivered":
        return order
    for milestone in order.milestones.filter(status="held").order_by("position"):
        orders.milestone_release(milestone=milestone, actor=buyer)
    order.refresh_from_db()
    assert order.status == "released", order.status
    return order


__all__ = ["Evidence", "STAGES", "accepted_quote", "order_at", "pdf_file", "signed_contract"]
