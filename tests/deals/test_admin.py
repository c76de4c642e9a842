"""Deals in the admin: sellers read, negotiate and sign their own supplier's contracts and act on its orders (never
another supplier's: 404 on every screen, download and POST); every action goes through a service and a refusal is a
message with nothing changed. Operators confirm payments, decide disputes, and read the ledger and the audit trail,
which no admin can add to, change or delete. Deals are built through the services (tests/deals/builders.py)."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse

from deals.models import (
    Contract,
    ContractStatus,
    DealEvent,
    Dispute,
    DisputeStatus,
    LedgerEntry,
    LedgerTransaction,
    Order,
    OrderDocument,
    OrderStatus,
    Shipment,
    ShipmentEvent,
)
from deals.services import contracts, disputes, orders
from deals.services.ledger import escrow_balance, ledger_imbalances
from suppliers.admin_scoping import SupplierScopedMixin, seller_site

from .builders import accepted_quote, order_at, pdf_file, signed_contract

pytestmark = pytest.mark.django_db


def body(response):
    return response.content.decode()


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def operator_client(operator):
    # Its own client: seller_a_client takes the default one, and a test may use both.
    client = Client()
    client.force_login(operator)
    return client


def contract_for(buyer, supplier):
    """A drafted contract (version 1) waiting for both sides."""
    quote = accepted_quote(buyer, supplier)
    # The draft task runs on commit, which a test transaction never reaches: draft it here, as the task would.
    contract = contracts.contract_draft(contract_id=Contract.objects.get(quote=quote).pk)
    assert contract.status == ContractStatus.NEGOTIATING, contract.error
    return contract


def contract_url(contract, view="change"):
    return reverse(f"seller:deals_contract_{view}", args=[contract.pk])


def order_url(order, view="change"):
    return reverse(f"seller:deals_order_{view}", args=[order.pk])


def post_action(client, order, action, data=None, **extra):
    return client.post(order_url(order), {"_action": action, **(data or {})}, follow=True, **extra)


def snapshot(order):
    """Everything an order action could change."""
    order = Order.objects.get(pk=order.pk)
    return (
        order.status,
        order.production_started_at,
        order.shipped_at,
        Shipment.objects.filter(order=order).count(),
        ShipmentEvent.objects.filter(shipment__order=order).count(),
        OrderDocument.objects.filter(order=order).count(),
        LedgerTransaction.objects.filter(order=order).count(),
        DealEvent.objects.filter(order=order).count(),
    )


# --- seller: contracts -------------------------------------------------------------------------------------------


def test_seller_lists_and_opens_only_own_contracts(seller_a_client, buyer, other_buyer, supplier_a, supplier_b):
    mine = contract_for(buyer, supplier_a)
    theirs = contract_for(other_buyer, supplier_b)
    listing = seller_a_client.get(reverse("seller:deals_contract_changelist"))
    page = body(listing)
    assert listing.status_code == 200
    assert mine.number in page and theirs.number not in page
    assert buyer.buyer_profile.company_name in page and other_buyer.buyer_profile.company_name not in page
    assert buyer.email not in page

    response = seller_a_client.get(contract_url(mine))
    page = body(response)
    assert response.status_code == 200
    for text in ("Payment through Silkway escrow", "Source", "Accept and sign", "Propose changes", "Rotterdam"):
        assert text in page, text

    for view in ("change", "history"):
        response = seller_a_client.get(contract_url(theirs, view))
        assert response.status_code == 404
        assert other_buyer.buyer_profile.company_name not in body(response)
    pdf = reverse("seller:deals_contract_pdf", args=[theirs.pk, 1])
    assert seller_a_client.get(pdf).status_code == 404
    response = seller_a_client.post(
        contract_url(theirs),
        {"_action": "accept", "accept-version": theirs.versions.get().pk, "accept-signatory": "X Y"},
    )
    assert response.status_code == 404
    assert not theirs.versions.exclude(supplier_signatory="").exists()


def test_seller_cannot_add_or_delete_contracts_or_orders(seller_a_client, buyer, supplier_a):
    contract = contract_for(buyer, supplier_a)
    assert seller_a_client.get(reverse("seller:deals_contract_add")).status_code == 403
    assert seller_a_client.get(contract_url(contract, "delete")).status_code == 403
    assert seller_a_client.get(reverse("seller:deals_order_add")).status_code == 403
    response = seller_a_client.post(
        reverse("seller:deals_contract_changelist"),
        {"action": "delete_selected", "_selected_action": [contract.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert Contract.objects.filter(pk=contract.pk).exists()


def test_seller_downloads_the_signed_contract_as_pdf(seller_a_client, buyer, other_buyer, supplier_a, seller_a):
    unsigned = contract_for(other_buyer, supplier_a)
    response = seller_a_client.get(reverse("seller:deals_contract_pdf", args=[unsigned.pk, 1]), follow=True)
    assert "Only the signed version of a contract is printed." in " ".join(messages_of(response))
    assert "Download as PDF" not in body(seller_a_client.get(contract_url(unsigned)))

    contract = signed_contract(accepted_quote(buyer, supplier_a), seller=seller_a)
    assert "Download as PDF" in body(seller_a_client.get(contract_url(contract)))
    response = seller_a_client.get(reverse("seller:deals_contract_pdf", args=[contract.pk, 1]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_seller_proposes_an_edit_and_sees_the_diff(seller_a_client, buyer, supplier_a):
    contract = contract_for(buyer, supplier_a)
    page = seller_a_client.get(contract_url(contract))
    form = page.context["propose_form"]
    data = {f"propose-{name}": value for name, value in form.initial.items() if value is not None}
    data["propose-line_1_unit_price"] = "60.00"
    data["propose-clause_packaging"] = "Thirty panels per pallet, corner protectors, shrink-wrapped."
    data["propose-note"] = "Lower panel price for a simpler pallet."
    data["_action"] = "propose"
    response = seller_a_client.post(contract_url(contract), data, follow=True)
    assert "Version 2 proposed" in " ".join(messages_of(response))
    version = contract.versions.get(number=2)
    assert version.author_side == "supplier" and version.supplier_accepted_at is not None
    assert version.parsed.lines[0].unit_price == Decimal("60.00")
    page = body(response)
    assert "Changes since version 1" in page and "<ins>" in page and "shrink-wrapped" in page

    # The same form again (same idempotency key): one version, not two.
    seller_a_client.post(contract_url(contract), data, follow=True)
    assert contract.versions.count() == 2

    # Nothing changed: the service's message, no version 3.
    page = seller_a_client.get(contract_url(contract))
    unchanged = {f"propose-{name}": value for name, value in page.context["propose_form"].initial.items()}
    response = seller_a_client.post(contract_url(contract), {**unchanged, "_action": "propose"})
    assert response.status_code == 200
    assert "Nothing to change." in " ".join(messages_of(response))
    assert contract.versions.count() == 2


def test_seller_proposes_new_milestones(seller_a_client, buyer, supplier_a):
    contract = contract_for(buyer, supplier_a)
    form = seller_a_client.get(contract_url(contract)).context["propose_form"]
    data = {f"propose-{name}": value for name, value in form.initial.items() if value is not None}
    data.update({"_action": "propose", "propose-m0_percent": "20", "propose-m1_percent": "50"})
    data.update({"propose-m2_percent": "30", "propose-m2_evidence": "delivery"})  # the empty row, label left out
    response = seller_a_client.post(contract_url(contract), data, follow=True)
    assert "Version 2 proposed" in " ".join(messages_of(response)), messages_of(response)
    milestones = contract.versions.get(number=2).parsed.milestones
    assert [(m.percent, m.evidence) for m in milestones] == [
        (Decimal(20), "production_start"),
        (Decimal(50), "bill_of_lading"),
        (Decimal(30), "delivery"),
    ]
    assert milestones[2].label == "Delivery confirmed"

    # Shares that do not make 100%: the service's message, no version 3.
    form = seller_a_client.get(contract_url(contract)).context["propose_form"]
    data = {f"propose-{name}": value for name, value in form.initial.items() if value is not None}
    data.update({"_action": "propose", "propose-m0_percent": "25"})
    response = seller_a_client.post(contract_url(contract), data)
    assert response.status_code == 200 and "100%" in " ".join(messages_of(response))
    assert contract.versions.count() == 2


def test_seller_accepts_and_signs_then_the_buyer_signs(seller_a_client, buyer, supplier_a):
    contract = contract_for(buyer, supplier_a)
    version = contract.versions.get()
    response = seller_a_client.post(
        contract_url(contract),
        {"_action": "accept", "accept-version": version.pk, "accept-signatory": "42", "accept-idempotency_key": "k1"},
    )
    assert response.status_code == 200
    assert "Type your full name to sign." in body(response)
    version.refresh_from_db()
    assert version.supplier_signatory == "" and version.supplier_accepted_at is None

    response = seller_a_client.post(
        contract_url(contract),
        {
            "_action": "accept",
            "accept-version": version.pk,
            "accept-signatory": "Li Seller",
            "accept-idempotency_key": "k2",
        },
        follow=True,
    )
    assert "waiting for the buyer" in " ".join(messages_of(response))
    version.refresh_from_db()
    assert version.supplier_signatory == "Li Seller"
    listing = body(seller_a_client.get(reverse("seller:deals_contract_changelist")))
    assert "signed by Li Seller" in listing

    contracts.contract_accept(contract=contract, version=version, actor=buyer, side="buyer", signatory="Anna Buyer")
    page = body(seller_a_client.get(contract_url(contract)))
    assert "Open the order" in page and "Accept and sign" not in page


# --- seller: orders ----------------------------------------------------------------------------------------------


@pytest.fixture
def a_order(buyer, supplier_a, seller_a, operator):
    return order_at("funded", quote=accepted_quote(buyer, supplier_a), seller=seller_a, operator=operator)


@pytest.fixture
def b_order(other_buyer, supplier_b, seller_b, operator):
    return order_at("shipped", quote=accepted_quote(other_buyer, supplier_b), seller=seller_b, operator=operator)


def test_seller_lists_and_opens_only_own_orders(seller_a_client, buyer, other_buyer, a_order, b_order):
    listing = seller_a_client.get(reverse("seller:deals_order_changelist"))
    page = body(listing)
    assert listing.status_code == 200
    assert a_order.number in page and b_order.number not in page
    assert "Start production" in page and "20,700.00 USD" in page
    assert other_buyer.buyer_profile.company_name not in page
    filtered = body(seller_a_client.get(reverse("seller:deals_order_changelist") + "?status__exact=shipped"))
    assert a_order.number not in filtered

    page = body(seller_a_client.get(order_url(a_order)))
    for text in ("Deposit", "Balance", "Held in escrow", "Start production", "Add a shipment", "Upload a document"):
        assert text in page, text
    for view in ("change", "history"):
        assert seller_a_client.get(order_url(b_order, view)).status_code == 404


def test_seller_downloads_only_own_documents(seller_a_client, seller_a, a_order, b_order):
    mine = orders.document_upload(
        order=a_order, actor=seller_a, side="supplier", kind="packing_list", file=pdf_file("packing.pdf")
    )
    theirs = OrderDocument.objects.filter(order=b_order).first()
    assert theirs is not None
    response = seller_a_client.get(reverse("seller:deals_order_document", args=[a_order.pk, mine.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"] and "packing.pdf" in response["Content-Disposition"]
    # Another supplier's document: through its own order, or smuggled under ours.
    assert seller_a_client.get(reverse("seller:deals_order_document", args=[b_order.pk, theirs.pk])).status_code == 404
    assert seller_a_client.get(reverse("seller:deals_order_document", args=[a_order.pk, theirs.pk])).status_code == 404


def test_seller_actions_on_another_suppliers_order_are_404(seller_a_client, b_order):
    before = snapshot(b_order)
    shipment = Shipment.objects.get(order=b_order)
    for action, data in (
        ("start_production", {}),
        ("add_shipment", {"shipment-mode": "air", "shipment-carrier": "DHL", "shipment-tracking_number": "X1"}),
        ("record_stage", {"stage-shipment": shipment.pk, "stage-stage": "arrived"}),
        ("upload_document", {"document-kind": "other", "document-file": pdf_file()}),
        ("answer_dispute", {"answer-answer": "An answer that is long enough to count."}),
    ):
        assert seller_a_client.post(order_url(b_order), {"_action": action, **data}).status_code == 404
    assert snapshot(b_order) == before


def test_seller_walks_an_order_through_production_and_shipping(seller_a_client, a_order):
    response = post_action(seller_a_client, a_order, "start_production", {"production-idempotency_key": "start-1"})
    assert "Production started" in " ".join(messages_of(response))
    a_order.refresh_from_db()
    assert a_order.status == OrderStatus.IN_PRODUCTION
    # A double click (the same key) acts once and is not refused.
    response = post_action(seller_a_client, a_order, "start_production", {"production-idempotency_key": "start-1"})
    assert DealEvent.objects.filter(order=a_order, action="production_started").count() == 1

    response = post_action(
        seller_a_client,
        a_order,
        "add_shipment",
        {"shipment-mode": "sea", "shipment-carrier": "COSCO", "shipment-tracking_number": "COSU999"},
    )
    assert "Shipment added" in " ".join(messages_of(response))
    shipment = Shipment.objects.get(order=a_order)

    response = post_action(
        seller_a_client,
        a_order,
        "upload_document",
        {"document-kind": "bill_of_lading", "document-file": pdf_file("bl.pdf"), "document-note": "Original B/L"},
    )
    assert "“bl.pdf” added to the order." in " ".join(messages_of(response))
    document = OrderDocument.objects.get(order=a_order, kind="bill_of_lading")

    for stage in ("booked", "departed"):
        response = post_action(
            seller_a_client,
            a_order,
            "record_stage",
            {
                "stage-shipment": shipment.pk,
                "stage-stage": stage,
                "stage-location": "Ningbo",
                "stage-document": document.pk,
            },
        )
        assert "recorded for the shipment" in " ".join(messages_of(response)), messages_of(response)
    a_order.refresh_from_db()
    assert a_order.status == OrderStatus.SHIPPED
    page = body(seller_a_client.get(order_url(a_order)))
    assert "there since" in page and "bl.pdf" in page and "Departed" in page


def test_refused_actions_show_the_message_and_change_nothing(seller_a_client, buyer, supplier_a, seller_a, operator):
    unpaid = order_at("awaiting_payment", quote=accepted_quote(buyer, supplier_a), seller=seller_a, operator=operator)
    before = snapshot(unpaid)
    response = post_action(seller_a_client, unpaid, "start_production", {"production-idempotency_key": "s1"})
    assert response.status_code == 200
    assert "Production cannot start: the order is Awaiting payment." in " ".join(messages_of(response))
    assert snapshot(unpaid) == before


def test_a_fake_pdf_is_refused_with_the_reason(seller_a_client, a_order):
    before = snapshot(a_order)
    fake = SimpleUploadedFile("bill.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    response = post_action(
        seller_a_client, a_order, "upload_document", {"document-kind": "bill_of_lading", "document-file": fake}
    )
    assert response.status_code == 200
    assert "“bill.pdf” is not a real PDF file" in " ".join(messages_of(response))
    assert "is not a real PDF file" in body(response)  # also on the form, next to the field
    assert snapshot(a_order) == before


def test_a_stage_out_of_order_is_refused(seller_a_client, a_order, seller_a):
    shipment = orders.shipment_add(order=a_order, actor=seller_a, mode="air", carrier="DHL", tracking_number="123")
    before = snapshot(a_order)
    response = post_action(
        seller_a_client, a_order, "record_stage", {"stage-shipment": shipment.pk, "stage-stage": "departed"}
    )
    assert "Start production before the goods leave." in " ".join(messages_of(response))
    assert snapshot(a_order) == before


def test_another_orders_shipment_is_not_a_choice(seller_a_client, a_order, b_order):
    before = snapshot(b_order)
    b_shipment = Shipment.objects.get(order=b_order)
    response = post_action(
        seller_a_client, a_order, "record_stage", {"stage-shipment": b_shipment.pk, "stage-stage": "arrived"}
    )
    assert response.status_code == 200 and "Select a valid choice" in body(response)
    assert snapshot(b_order) == before


def test_seller_answers_a_dispute_with_evidence(seller_a_client, buyer, supplier_a, seller_a, operator):
    order = order_at("disputed", quote=accepted_quote(buyer, supplier_a), seller=seller_a, operator=operator)
    page = body(seller_a_client.get(order_url(order)))
    assert "Answer the dispute" in page and "cracked glass" in page
    response = post_action(seller_a_client, order, "answer_dispute", {"answer-answer": "Too short"})
    assert "at least 20 characters" in " ".join(messages_of(response))
    assert Dispute.objects.get(order=order).status == DisputeStatus.OPEN
    response = post_action(
        seller_a_client,
        order,
        "answer_dispute",
        {
            "answer-answer": "The glass broke in transit; the survey is attached.",
            "answer-files": [pdf_file("survey.pdf")],
        },
    )
    assert "Your answer was sent" in " ".join(messages_of(response))
    dispute = Dispute.objects.get(order=order)
    assert dispute.status == DisputeStatus.ANSWERED
    assert dispute.documents.filter(side="supplier", original_name="survey.pdf").exists()


# --- operator ----------------------------------------------------------------------------------------------------


@pytest.fixture
def unpaid_order(buyer, supplier_a, seller_a, operator):
    return order_at("awaiting_payment", quote=accepted_quote(buyer, supplier_a), seller=seller_a, operator=operator)


def confirm(client, order, amount, currency="USD", key="pay-1"):
    return client.post(
        reverse("admin:deals_order_confirm_payment", args=[order.pk]),
        {"amount": amount, "currency": currency, "provider_reference": "BANK-77", "idempotency_key": key},
        follow=True,
    )


def test_operator_confirms_the_right_amount(operator_client, unpaid_order):
    page = body(operator_client.get(reverse("admin:deals_order_change", args=[unpaid_order.pk])))
    assert "Confirm payment received" in page
    response = confirm(operator_client, unpaid_order, str(unpaid_order.total))
    assert "is paid into escrow" in " ".join(messages_of(response))
    unpaid_order.refresh_from_db()
    assert unpaid_order.status == OrderStatus.FUNDED
    assert escrow_balance(order=unpaid_order) == unpaid_order.total
    assert ledger_imbalances() == []
    assert LedgerTransaction.objects.get(order=unpaid_order).provider_reference == "BANK-77"


def test_operator_confirming_a_wrong_amount_sees_why(operator_client, unpaid_order):
    response = confirm(operator_client, unpaid_order, "100.00")
    assert response.status_code == 200
    assert "does not match" in " ".join(messages_of(response))
    unpaid_order.refresh_from_db()
    assert unpaid_order.status == OrderStatus.AWAITING_PAYMENT
    assert not LedgerTransaction.objects.filter(order=unpaid_order).exists()


def test_the_confirm_action_opens_the_form_for_one_order(operator_client, unpaid_order):
    url = reverse("admin:deals_order_changelist")
    response = operator_client.post(url, {"action": "confirm_payment", "_selected_action": [unpaid_order.pk]})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:deals_order_confirm_payment", args=[unpaid_order.pk])


def test_operator_decides_a_dispute(operator_client, buyer, supplier_a, seller_a, operator):
    order = order_at("disputed", quote=accepted_quote(buyer, supplier_a), seller=seller_a, operator=operator)
    dispute = Dispute.objects.get(order=order)
    disputes.dispute_answer(dispute=dispute, actor=seller_a, answer="The glass broke in transit, not in packing.")
    url = reverse("admin:deals_dispute_decide", args=[dispute.pk])
    held = escrow_balance(order=order)

    # A partial refund of everything held is refused with the service's words.
    response = operator_client.post(
        url, {"decision": "partial", "refund_amount": str(held), "note": "Split.", "idempotency_key": "d1"}
    )
    assert response.status_code == 200 and "A partial refund is less than" in " ".join(messages_of(response))
    order.refresh_from_db()
    assert order.status == OrderStatus.DISPUTED

    response = operator_client.post(
        url,
        {
            "decision": "partial",
            "refund_amount": "1000.00",
            "note": "Twelve panels were damaged.",
            "idempotency_key": "d2",
        },
        follow=True,
    )
    assert "Dispute decided" in " ".join(messages_of(response))
    order.refresh_from_db()
    dispute.refresh_from_db()
    assert order.status == OrderStatus.PARTIALLY_RELEASED and dispute.refund_amount == Decimal("1000.00")
    assert escrow_balance(order=order) == 0 and ledger_imbalances() == []


def test_ledger_screen_says_it_balances_and_is_read_only(operator_client, operator, a_order):
    response = operator_client.get(reverse("admin:deals_ledgertransaction_changelist"))
    assert response.status_code == 200 and "The ledger balances" in body(response)
    txn = LedgerTransaction.objects.get(order=a_order)
    page = body(operator_client.get(reverse("admin:deals_ledgertransaction_change", args=[txn.pk])))
    assert "buyer_payments" in page or "Received from buyers" in page
    request = RequestFactory().get("/")
    request.user = operator
    for model in (LedgerTransaction, DealEvent):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_add_permission(request, None) and not inline.has_delete_permission(request)
    for name, args in (
        ("admin:deals_ledgertransaction_add", []),
        ("admin:deals_ledgertransaction_delete", [txn.pk]),
        ("admin:deals_dealevent_add", []),
        ("admin:deals_dealevent_delete", [DealEvent.objects.first().pk]),
    ):
        assert operator_client.get(reverse(name, args=args)).status_code == 403
    response = operator_client.post(reverse("admin:deals_ledgertransaction_change", args=[txn.pk]), {"amount": "1"})
    assert response.status_code == 403
    assert LedgerEntry not in admin.site._registry  # entries are shown inside their transaction only
    for model in (LedgerTransaction, LedgerEntry, DealEvent):
        assert model not in seller_site._registry


def test_ledger_screen_lists_problems(operator_client, a_order):
    # An unbalanced entry written around the service, as a bug would: the screen says so.
    txn = LedgerTransaction.objects.get(order=a_order)
    LedgerEntry.objects.create(transaction=txn, account="escrow", amount=Decimal("5.00"), currency="USD")
    page = body(operator_client.get(reverse("admin:deals_ledgertransaction_changelist")))
    assert "The ledger does not balance" in page and f"Transaction {txn.pk}" in page and "entries sum to 5" in page


def test_audit_trail_filters_by_action(operator_client, a_order):
    url = reverse("admin:deals_dealevent_changelist")
    response = operator_client.get(url + "?action=payment_confirmed")
    shown = list(response.context["cl"].result_list)
    assert shown and {event.action for event in shown} == {"payment_confirmed"}


def test_operator_pages_load_for_every_registered_deals_model(operator_client, buyer, supplier_a, seller_a, operator):
    order_at("partially_released", quote=accepted_quote(buyer, supplier_a), seller=seller_a, operator=operator)
    released = order_at("released", quote=accepted_quote(buyer, supplier_a), seller=seller_a, operator=operator)
    disputes.review_create(order=released, buyer=buyer, supplier_rating=5, product_rating=4, comment="Good panels.")
    registered = [model for model in admin.site._registry if model._meta.app_label == "deals"]
    assert {m.__name__ for m in registered} >= {
        "Contract",
        "ContractVersion",
        "Order",
        "Dispute",
        "LedgerTransaction",
        "DealEvent",
        "Shipment",
        "OrderDocument",
    }
    for model in registered:
        info = model._meta.app_label, model._meta.model_name
        assert operator_client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200, model
        obj = model.objects.first()
        assert obj is not None, model
        assert operator_client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk])).status_code == 200, model
        assert operator_client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 403, model
    document = OrderDocument.objects.first()
    response = operator_client.get(reverse("admin:deals_orderdocument_download", args=[document.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]


def test_sellers_cannot_open_the_operator_screens(seller_a_client, unpaid_order):
    response = seller_a_client.get(reverse("admin:deals_order_confirm_payment", args=[unpaid_order.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_only_scoped_admins_are_on_the_seller_site():
    deals_models = [m for m in seller_site._registry if m._meta.app_label == "deals"]
    assert {m.__name__ for m in deals_models} == {"Contract", "Order"}
    for model in deals_models:
        assert isinstance(seller_site._registry[model], SupplierScopedMixin)


# --- bounded queries ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 4])
def test_changelists_run_a_bounded_number_of_queries(
    seller_a_client, operator_client, buyer, supplier_a, seller_a, operator, size, django_assert_max_num_queries
):
    for _ in range(size):
        order_at("funded", quote=accepted_quote(buyer, supplier_a), seller=seller_a, operator=operator)
    with django_assert_max_num_queries(8):
        response = seller_a_client.get(reverse("seller:deals_order_changelist"))
    assert response.status_code == 200 and body(response).count("SW-0") >= size
    with django_assert_max_num_queries(8):
        assert seller_a_client.get(reverse("seller:deals_contract_changelist")).status_code == 200
    for name in ("order", "contract", "ledgertransaction", "dealevent", "dispute", "contractversion"):
        with django_assert_max_num_queries(12):
            assert operator_client.get(reverse(f"admin:deals_{name}_changelist")).status_code == 200, name


@pytest.mark.parametrize("stage", ["funded", "disputed"])
def test_order_screen_runs_a_bounded_number_of_queries(
    seller_a_client, buyer, supplier_a, seller_a, operator, stage, django_assert_max_num_queries
):
    order = order_at(stage, quote=accepted_quote(buyer, supplier_a), seller=seller_a, operator=operator)
    with django_assert_max_num_queries(10):
        assert seller_a_client.get(order_url(order)).status_code == 200
    with django_assert_max_num_queries(8):
        assert seller_a_client.get(contract_url(order.contract)).status_code == 200
