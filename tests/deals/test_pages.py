"""The buyer's deals pages: the list, a contract to review, change and sign, and an order to pay, follow, release,
dispute and rate. Each buyer sees only their own (404 for anybody else's, sellers included), bad input shows the
form's errors and changes nothing, every action acts once per idempotency key, and pages run a bounded number of
queries."""

from decimal import Decimal

import pytest
from django.urls import reverse

from deals.models import (
    Contract,
    ContractStatus,
    ContractVersion,
    Dispute,
    DocumentKind,
    LedgerKind,
    LedgerTransaction,
    MilestoneStatus,
    Order,
    OrderDocument,
    OrderStatus,
    Review,
    Side,
)
from deals.services import contracts, orders
from sourcing import quote_slots
from tests.deals.builders import PDF_BYTES, accepted_quote, order_at, pdf_file, signed_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer_client(client, buyer):
    client.force_login(buyer)
    return client


@pytest.fixture
def other_client(client, other_buyer):
    client.force_login(other_buyer)
    return client


@pytest.fixture
def drafted(buyer, supplier_a, use_offline):
    """A contract drafted (offline provider), under review: nobody has accepted version 1 yet."""
    quote = accepted_quote(buyer, supplier_a)
    return contracts.contract_draft(contract_id=Contract.objects.get(quote=quote).pk)


def order_in(stage, buyer, supplier, seller, operator):
    return order_at(stage, quote=accepted_quote(buyer, supplier), seller=seller, operator=operator)


def form_key(response, form_name):
    return response.context[form_name]["idempotency_key"].value()


# --- sign-in and the list ---------------------------------------------------------------------------------------


def test_pages_need_a_signed_in_buyer(client, drafted):
    for url in (reverse("deals:home"), reverse("deals:contract_detail", args=[drafted.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_header_links_to_orders_for_signed_in_users(client, buyer_client):
    response = buyer_client.get(reverse("sourcing:home"))
    assert f'href="{reverse("deals:home")}"' in response.content.decode()


def test_list_shows_contracts_and_orders_with_the_next_step(
    buyer_client, buyer, supplier_a, seller_a, operator, drafted
):
    order = order_in("awaiting_payment", buyer, supplier_a, seller_a, operator)
    response = buyer_client.get(reverse("deals:home"))
    page = response.content.decode()
    assert response.status_code == 200
    assert drafted.number in page and "Review and sign version 1" in page
    assert order.number in page and "Pay 20700.00 USD into escrow" in page
    assert supplier_a.name in page


def test_list_shows_nobody_elses_deals(other_client, buyer, supplier_a, seller_a, operator, drafted):
    order = order_in("funded", buyer, supplier_a, seller_a, operator)
    page = other_client.get(reverse("deals:home")).content.decode()
    assert drafted.number not in page and order.number not in page


@pytest.mark.parametrize("rows", [1, 4])
def test_list_runs_a_bounded_number_of_queries(
    rows, buyer_client, buyer, supplier_a, seller_a, operator, django_assert_max_num_queries
):
    stages = ["awaiting_payment", "in_production", "shipped", "delivered"]
    for stage in stages[:rows]:
        order_in(stage, buyer, supplier_a, seller_a, operator)
        contracts.contract_draft(contract_id=Contract.objects.get(quote=accepted_quote(buyer, supplier_a)).pk)
    with django_assert_max_num_queries(12):
        response = buyer_client.get(reverse("deals:home"))
    assert response.status_code == 200
    assert len(response.context["order_rows"]) == rows and len(response.context["contract_rows"]) == rows


# --- contracts --------------------------------------------------------------------------------------------------


def test_contract_page_shows_clauses_with_their_sources_and_the_sign_form(buyer_client, drafted):
    response = buyer_client.get(reverse("deals:contract_detail", args=[drafted.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Goods and specification" in page and "Governing law" in page
    assert "src-quote_line" in page and "src-template" in page and "Template default" in page
    assert "Monocrystalline solar panel 550 W" in page and "20,700.00 USD" in page
    assert response.context["sign_form"] is not None and response.context["propose_form"] is not None
    assert 'http-equiv="refresh"' not in page


def test_contract_being_drafted_refreshes_itself(buyer_client, buyer, supplier_a):
    contract = Contract.objects.get(quote=accepted_quote(buyer, supplier_a))
    assert contract.status == ContractStatus.DRAFTING
    page = buyer_client.get(reverse("deals:contract_detail", args=[contract.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and "being drafted" in page


def test_signing_needs_a_typed_name_and_changes_nothing_without_one(buyer_client, drafted):
    url = reverse("deals:contract_detail", args=[drafted.pk])
    version = drafted.versions.get()
    key = form_key(buyer_client.get(url), "sign_form")
    response = buyer_client.post(
        reverse("deals:contract_sign", args=[drafted.pk]),
        {"version": version.pk, "signatory": " ", "idempotency_key": key},
    )
    assert response.status_code == 200 and response.context["sign_form"].errors
    version.refresh_from_db()
    assert version.buyer_accepted_at is None and version.buyer_signatory == ""


def test_buyer_signs_then_supplier_signs_and_the_order_is_created(buyer_client, drafted, seller_a):
    version = drafted.versions.get()
    response = buyer_client.post(
        reverse("deals:contract_sign", args=[drafted.pk]),
        {"version": version.pk, "signatory": "Anna Buyer", "idempotency_key": "sign-1"},
        follow=True,
    )
    assert "You signed version 1" in response.content.decode()
    version.refresh_from_db()
    assert version.buyer_signatory == "Anna Buyer" and version.buyer_accepted_at is not None
    assert "sign_form" not in response.context  # signed by the buyer: nothing left to sign
    contracts.contract_accept(contract=drafted, version=version, actor=seller_a, side=Side.SUPPLIER, signatory="Li")
    page = buyer_client.get(reverse("deals:contract_detail", args=[drafted.pk])).content.decode()
    order = Order.objects.get(contract=drafted)
    assert reverse("deals:contract_pdf", args=[drafted.pk]) in page
    assert reverse("deals:order_detail", args=[order.pk]) in page


def test_proposing_changes_makes_a_new_version_with_a_readable_diff(buyer_client, drafted):
    response = buyer_client.get(reverse("deals:contract_detail", args=[drafted.pk]))
    form = response.context["propose_form"]
    data = {name: form[name].value() for name in form.fields}
    data["delivery_date"] = form.initial["delivery_date"].isoformat()
    data["line_1_quantity"] = 250
    data["clause_warranty"] = "The supplier warrants the goods for 24 months from delivery."
    data["note"] = "More panels, longer warranty."
    data = {k: ("" if v is None else v) for k, v in data.items()}
    response = buyer_client.post(reverse("deals:contract_propose", args=[drafted.pk]), data, follow=True)
    assert "Version 2 proposed" in response.content.decode()
    latest = drafted.versions.order_by("-number").first()
    assert latest.number == 2 and latest.author_side == Side.BUYER
    assert latest.parsed.lines[0].quantity == 250
    history = response.context["history"]
    changed = {change["key"] for change in history[0]["changes"]}
    assert {"line:1", "warranty", "price"} <= changed
    page = response.content.decode()
    assert "<ins>24</ins>" in page or "<ins>" in page


def test_a_bad_proposal_shows_errors_and_adds_no_version(buyer_client, drafted):
    form = buyer_client.get(reverse("deals:contract_detail", args=[drafted.pk])).context["propose_form"]
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}
    data["delivery_date"] = form.initial["delivery_date"].isoformat()
    data["milestone_1_percent"] = "20"  # 20 + 70 is not 100
    response = buyer_client.post(reverse("deals:contract_propose", args=[drafted.pk]), data)
    assert response.status_code == 200
    assert "add up to 100%" in str(response.context["propose_form"].non_field_errors())
    data["milestone_1_percent"] = "30"
    response = buyer_client.post(reverse("deals:contract_propose", args=[drafted.pk]), data)
    assert "Nothing changed" in str(response.context["propose_form"].non_field_errors())
    assert ContractVersion.objects.filter(contract=drafted).count() == 1


def test_a_failed_draft_can_be_retried(buyer_client, buyer, supplier_a):
    contract = Contract.objects.get(quote=accepted_quote(buyer, supplier_a))
    contracts.contract_draft_fail(contract_id=contract.pk, error="The model timed out.")
    page = buyer_client.get(reverse("deals:contract_detail", args=[contract.pk])).content.decode()
    assert "The model timed out." in page
    response = buyer_client.post(reverse("deals:contract_redraft", args=[contract.pk]), {"idempotency_key": "r1"})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFTING


def test_pdf_of_the_signed_version_only(buyer_client, buyer, supplier_a, seller_a, drafted):
    assert buyer_client.get(reverse("deals:contract_pdf", args=[drafted.pk])).status_code == 404
    signed = signed_contract(accepted_quote(buyer, supplier_a), seller=seller_a)
    response = buyer_client.get(reverse("deals:contract_pdf", args=[signed.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_other_buyers_and_sellers_get_404_on_contracts(
    client, other_buyer, seller_b, seller_a, buyer, supplier_a, drafted
):
    signed = signed_contract(accepted_quote(buyer, supplier_a), seller=seller_a)
    version = drafted.versions.get()
    for user in (other_buyer, seller_b, seller_a):  # the pages are the buyer's; sellers use the seller centre
        client.force_login(user)
        assert client.get(reverse("deals:contract_detail", args=[drafted.pk])).status_code == 404
        assert client.get(reverse("deals:contract_pdf", args=[signed.pk])).status_code == 404
        response = client.post(
            reverse("deals:contract_sign", args=[drafted.pk]), {"version": version.pk, "signatory": "Mallory"}
        )
        assert response.status_code == 404
    version.refresh_from_db()
    assert version.buyer_accepted_at is None and version.supplier_accepted_at is None


# --- orders -----------------------------------------------------------------------------------------------------


@pytest.fixture
def make_order(buyer, supplier_a, seller_a, operator):
    return lambda stage: order_in(stage, buyer, supplier_a, seller_a, operator)


def test_awaiting_payment_shows_the_payment_instructions(buyer_client, make_order, settings):
    order = make_order("awaiting_payment")
    page = buyer_client.get(reverse("deals:order_detail", args=[order.pk])).content.decode()
    bank = settings.DEALS_ESCROW_ACCOUNT
    for value in (bank["beneficiary"], bank["bank"], bank["account"], bank["swift"], order.payment_reference):
        assert value in page
    assert "20700.00 USD" in page


def test_cancel_needs_a_reason_then_cancels(buyer_client, make_order):
    order = make_order("awaiting_payment")
    url = reverse("deals:order_cancel", args=[order.pk])
    response = buyer_client.post(url, {"reason": "", "idempotency_key": "c1"})
    assert response.status_code == 200 and response.context["cancel_form"].errors
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    response = buyer_client.post(url, {"reason": "Found them locally.", "idempotency_key": "c2"}, follow=True)
    assert "cancelled" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


def test_release_with_the_same_key_twice_releases_once(buyer_client, make_order):
    order = make_order("in_production")
    response = buyer_client.get(reverse("deals:order_detail", args=[order.pk]))
    rows = response.context["milestones"]
    deposit = rows[0]["view"].milestone
    assert rows[0]["view"].releasable and not rows[1]["view"].releasable
    key = rows[0]["form"]["idempotency_key"].value()
    url = reverse("deals:milestone_release", args=[order.pk, deposit.pk])
    for _ in range(2):
        response = buyer_client.post(url, {"idempotency_key": key})
        assert response.status_code == 302
    assert LedgerTransaction.objects.filter(order=order, kind=LedgerKind.RELEASE).count() == 1
    deposit.refresh_from_db()
    assert deposit.status == MilestoneStatus.RELEASED


def test_release_before_the_evidence_shows_why_and_moves_nothing(buyer_client, make_order):
    order = make_order("in_production")
    balance = order.milestones.get(position=2)
    response = buyer_client.post(
        reverse("deals:milestone_release", args=[order.pk, balance.pk]), {"idempotency_key": "early"}
    )
    assert response.status_code == 200
    assert "not there yet" in response.content.decode()
    assert not LedgerTransaction.objects.filter(order=order, kind=LedgerKind.RELEASE).exists()


def test_confirm_delivery(buyer_client, make_order):
    order = make_order("shipped")
    response = buyer_client.post(
        reverse("deals:order_confirm_delivery", args=[order.pk]), {"idempotency_key": "d1"}, follow=True
    )
    assert "Delivery confirmed" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED and order.protection_until is not None


def test_dispute_bad_input_changes_nothing_then_opens(buyer_client, make_order):
    order = make_order("shipped")
    url = reverse("deals:order_dispute", args=[order.pk])
    response = buyer_client.post(url, {"reason": "quality", "description": "Broken.", "requested_refund": "100"})
    assert response.status_code == 200 and "description" in response.context["dispute_form"].errors
    response = buyer_client.post(
        url,
        {
            "reason": "quality",
            "description": "Twelve panels arrived with cracked glass.",
            "requested_refund": "999999",
            "idempotency_key": "x1",
        },
    )
    assert "requested_refund" in response.context["dispute_form"].errors  # more than escrow holds
    assert not Dispute.objects.filter(order=order).exists()
    response = buyer_client.post(
        url,
        {
            "reason": "quality",
            "description": "Twelve panels arrived with cracked glass.",
            "requested_refund": "1000.00",
            "files": [pdf_file("photos.pdf")],
            "idempotency_key": "x2",
        },
        follow=True,
    )
    dispute = Dispute.objects.get(order=order)
    assert dispute.requested_refund == Decimal("1000.00")
    assert dispute.documents.count() == 1
    page = response.content.decode()
    assert "Waiting for the supplier" in page and "photos.pdf" in page


def test_decided_dispute_shows_the_decision(buyer_client, make_order):
    order = make_order("partially_released")
    page = buyer_client.get(reverse("deals:order_detail", args=[order.pk])).content.decode()
    assert "Refund part, release the rest" in page and "The survey shows the damage" in page


def test_rating_after_delivery(buyer_client, make_order):
    order = make_order("delivered")
    url = reverse("deals:order_review", args=[order.pk])
    response = buyer_client.post(url, {"supplier_rating": "9", "product_rating": "4"})
    assert response.status_code == 200 and "supplier_rating" in response.context["review_form"].errors
    assert not Review.objects.filter(order=order).exists()
    buyer_client.post(url, {"supplier_rating": "5", "product_rating": "4", "comment": "Good."})
    review = Review.objects.get(order=order)
    assert (review.supplier_rating, review.product_rating) == (5, 4)
    assert "review_form" not in buyer_client.get(reverse("deals:order_detail", args=[order.pk])).context


def test_documents_are_served_to_their_buyer_only(client, buyer, other_buyer, seller_b, make_order):
    order = make_order("shipped")
    other = make_order("in_production")
    document = OrderDocument.objects.get(order=order, kind=DocumentKind.BILL_OF_LADING)
    url = reverse("deals:order_document", args=[order.pk, document.pk])
    client.force_login(buyer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "attachment" in response["Content-Disposition"]
    page = client.get(reverse("deals:order_detail", args=[order.pk])).content.decode()
    assert url in page and "/media/" not in page
    # The document through another order's address: 404 even for the same buyer.
    assert client.get(reverse("deals:order_document", args=[other.pk, document.pk])).status_code == 404
    for user in (other_buyer, seller_b):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_buyer_uploads_a_checked_document(buyer_client, make_order):
    order = make_order("shipped")
    url = reverse("deals:order_document_upload", args=[order.pk])
    fake = pdf_file("pod.pdf", data=b"MZ not a pdf")
    response = buyer_client.post(url, {"kind": "proof_of_delivery", "file": fake})
    assert response.status_code == 200 and "file" in response.context["document_form"].errors
    assert not OrderDocument.objects.filter(order=order, side=Side.BUYER).exists()
    buyer_client.post(url, {"kind": "proof_of_delivery", "file": pdf_file("pod.pdf")})
    assert OrderDocument.objects.filter(order=order, side=Side.BUYER, kind="proof_of_delivery").count() == 1


def test_other_buyers_and_sellers_get_404_on_orders_and_change_nothing(
    client, other_buyer, seller_a, seller_b, make_order
):
    order = make_order("awaiting_payment")
    shipped = make_order("in_production")
    deposit = shipped.milestones.get(position=1)
    for user in (other_buyer, seller_b, seller_a):
        client.force_login(user)
        assert client.get(reverse("deals:order_detail", args=[order.pk])).status_code == 404
        assert client.post(reverse("deals:order_cancel", args=[order.pk]), {"reason": "x"}).status_code == 404
        url = reverse("deals:milestone_release", args=[shipped.pk, deposit.pk])
        assert client.post(url, {}).status_code == 404
    order.refresh_from_db()
    deposit.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and deposit.status == MilestoneStatus.HELD


@pytest.mark.parametrize("extra_documents", [0, 4])
def test_order_page_runs_a_bounded_number_of_queries(
    extra_documents, buyer_client, make_order, seller_a, django_assert_max_num_queries
):
    order = make_order("shipped")
    for n in range(extra_documents):
        orders.document_upload(
            order=order, actor=seller_a, side=Side.SUPPLIER, kind=DocumentKind.PACKING_LIST, file=pdf_file(f"p{n}.pdf")
        )
        orders.shipment_add(order=order, actor=seller_a, mode="air", carrier="DHL", tracking_number=f"T{n}")
    with django_assert_max_num_queries(16):
        response = buyer_client.get(reverse("deals:order_detail", args=[order.pk]))
    assert response.status_code == 200
    assert len(response.context["documents"]) == 1 + extra_documents


def test_contract_page_runs_a_bounded_number_of_queries(buyer_client, drafted, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert buyer_client.get(reverse("deals:contract_detail", args=[drafted.pk])).status_code == 200


# --- the link from sourcing -------------------------------------------------------------------------------------


def test_rfq_page_links_to_the_accepted_quotes_contract(buyer_client, buyer, supplier_a, other_buyer):
    from deals.slots import accepted_quote_link

    assert accepted_quote_link in quote_slots._providers, "DealsConfig.ready() must call deals.slots.register_slots()"
    quote = accepted_quote(buyer, supplier_a)
    contract = Contract.objects.get(quote=quote)
    page = buyer_client.get(reverse("sourcing:rfq_detail", args=[quote.rfq_id])).content.decode()
    assert reverse("deals:contract_detail", args=[contract.pk]) in page
    # The provider itself answers nothing for anybody but the buyer.
    request = type("Request", (), {"user": other_buyer})()
    assert accepted_quote_link(quote=quote, request=request) is None
