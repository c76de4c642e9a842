"""The deals API (/api/v1/deals/): contracts (versions with terms, accept, propose), orders (payment instructions,
cancel, confirm delivery, dispute, review, documents), milestone releases, and the supplier staff's side
(start production, shipments and their stages, dispute answers). Two buyers and two suppliers throughout: another
tenant's row is a 404 and nothing changes; the wrong side of the same deal is a 403; bad input is a 400 with field
messages; the same Idempotency-Key twice acts once; lists and details run a bounded number of queries."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from deals.models import (
    Contract,
    ContractStatus,
    ContractVersion,
    Dispute,
    DisputeStatus,
    DocumentKind,
    LedgerKind,
    LedgerTransaction,
    MilestoneStatus,
    Order,
    OrderDocument,
    OrderStatus,
    Review,
    Shipment,
    ShipmentEvent,
)
from deals.services import contracts
from tests.api.conftest import GENEROUS_RATES
from tests.api.helpers import error_fields
from tests.deals.builders import PDF_BYTES, accepted_quote, order_at, pdf_file

pytestmark = pytest.mark.django_db

API = "/api/v1/deals"
CONTRACTS = f"{API}/contracts/"
ORDERS = f"{API}/orders/"


@pytest.fixture(autouse=True)
def _api_settings(settings):
    cache.clear()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": GENEROUS_RATES}
    settings.AI_PROVIDER = "offline"
    settings.OPENAI_API_KEY = ""
    yield
    cache.clear()


@pytest.fixture
def drafted(buyer, supplier_a):
    quote = accepted_quote(buyer, supplier_a)
    return contracts.contract_draft(contract_id=Contract.objects.get(quote=quote).pk)


@pytest.fixture
def make_order(buyer, supplier_a, seller_a, operator):
    return lambda stage: order_at(stage, quote=accepted_quote(buyer, supplier_a), seller=seller_a, operator=operator)


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- contracts --------------------------------------------------------------------------------------------------


def test_contracts_are_the_buyers_and_the_suppliers_only(
    drafted, buyer_api, seller_a_api, other_buyer_api, seller_b_api
):
    assert ids(buyer_api.get(CONTRACTS)) == [drafted.pk]
    assert ids(seller_a_api.get(CONTRACTS)) == [drafted.pk]
    assert ids(other_buyer_api.get(CONTRACTS)) == [] and ids(seller_b_api.get(CONTRACTS)) == []
    for client in (other_buyer_api, seller_b_api):
        assert client.get(f"{CONTRACTS}{drafted.pk}/").status_code == 404


def test_contract_detail_has_versions_with_terms_and_sources(drafted, buyer_api, seller_a_api):
    body = buyer_api.get(f"{CONTRACTS}{drafted.pk}/").json()
    assert body["status"] == "negotiating" and body["latest_version"] == 1
    assert body["next_action"]["code"] == "sign" and body["next_action"]["mine"] is True
    assert Decimal(body["total"]) == Decimal("20700.00")
    terms = body["versions"][0]["terms"]
    assert [line["quantity"] for line in terms["lines"]] == [200, 20]
    assert Decimal(terms["total"]) == Decimal("20700.00")
    assert any(clause["is_template_default"] for clause in terms["clauses"])
    assert {source["kind"] for clause in terms["clauses"] for source in clause["sources"]} >= {"quote", "template"}
    assert seller_a_api.get(f"{CONTRACTS}{drafted.pk}/").json()["next_action"]["code"] == "sign"


def test_accept_needs_a_signature_then_both_sides_sign(drafted, buyer_api, seller_a_api):
    url = f"{CONTRACTS}{drafted.pk}/accept/"
    response = buyer_api.post(url, {"version": 1, "signatory": " "}, format="json")
    assert response.status_code == 400 and ("signatory", "blank") in error_fields(response)
    response = buyer_api.post(url, {"version": 7, "signatory": "Anna Buyer"}, format="json")
    assert response.status_code == 400 and {f for f, _c in error_fields(response)} == {"version"}
    assert not ContractVersion.objects.filter(contract=drafted, buyer_accepted_at__isnull=False).exists()
    response = buyer_api.post(url, {"version": 1, "signatory": "Anna Buyer"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "negotiating"
    response = seller_a_api.post(url, {"version": 1, "signatory": "Li Seller"}, format="json")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "signed" and body["signed_version"] == 1
    assert body["order"] == Order.objects.get(contract=drafted).pk


def test_accept_by_another_tenant_is_404_and_changes_nothing(drafted, other_buyer_api, seller_b_api):
    for client in (other_buyer_api, seller_b_api):
        response = client.post(f"{CONTRACTS}{drafted.pk}/accept/", {"version": 1, "signatory": "X Y"}, format="json")
        assert response.status_code == 404
    version = drafted.versions.get()
    assert version.buyer_accepted_at is None and version.supplier_accepted_at is None


def test_propose_changes(drafted, buyer_api, seller_a_api):
    url = f"{CONTRACTS}{drafted.pk}/propose/"
    bad = {"changes": {"milestones": [{"label": "All", "percent": "90", "evidence": "delivery"}]}}
    response = buyer_api.post(url, bad, format="json")
    assert response.status_code == 400 and "milestones" in {f for f, _c in error_fields(response)}
    response = buyer_api.post(url, {"changes": {"lines": [{"position": 1, "quantity": "many"}]}}, format="json")
    assert response.status_code == 400 and ("changes.lines.0.quantity", "invalid") in error_fields(response)
    assert drafted.versions.count() == 1
    changes = {
        "lines": [{"position": 1, "quantity": 250, "unit_price": "60.00"}],
        "clauses": {"warranty": "The supplier warrants the goods for 24 months from delivery."},
    }
    response = buyer_api.post(
        url, {"changes": changes, "note": "More panels"}, format="json", HTTP_IDEMPOTENCY_KEY="p-1"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["latest_version"] == 2
    newest = body["versions"][-1]
    assert newest["author_side"] == "buyer" and newest["buyer_accepted_at"] and not newest["supplier_accepted_at"]
    assert newest["terms"]["lines"][0]["quantity"] == 250
    # The same key again: the same version, not a third one.
    again = buyer_api.post(url, {"changes": changes, "note": "More panels"}, format="json", HTTP_IDEMPOTENCY_KEY="p-1")
    assert again.status_code == 201 and again.json()["latest_version"] == 2
    assert seller_a_api.get(f"{CONTRACTS}{drafted.pk}/").json()["next_action"]["code"] == "sign"


def test_signed_contract_pdf(make_order, buyer_api, seller_a_api, seller_b_api, drafted):
    order = make_order("awaiting_payment")
    response = buyer_api.get(f"{CONTRACTS}{order.contract_id}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert seller_a_api.get(f"{CONTRACTS}{order.contract_id}/pdf/").status_code == 200
    assert seller_b_api.get(f"{CONTRACTS}{order.contract_id}/pdf/").status_code == 404
    assert buyer_api.get(f"{CONTRACTS}{drafted.pk}/pdf/").status_code == 404  # not signed yet


# --- orders: reads ----------------------------------------------------------------------------------------------


def test_order_lists_filter_by_status_and_are_scoped(
    make_order, buyer_api, seller_a_api, other_buyer_api, seller_b_api
):
    waiting = make_order("awaiting_payment")
    funded = make_order("funded")
    assert ids(buyer_api.get(ORDERS)) == [funded.pk, waiting.pk]
    assert ids(seller_a_api.get(ORDERS)) == [funded.pk, waiting.pk]
    assert ids(buyer_api.get(ORDERS, {"status": "funded"})) == [funded.pk]
    response = buyer_api.get(ORDERS, {"status": "paid"})
    assert response.status_code == 400 and {f for f, _c in error_fields(response)} == {"status"}
    assert ids(other_buyer_api.get(ORDERS)) == [] and ids(seller_b_api.get(ORDERS)) == []
    for client in (other_buyer_api, seller_b_api):
        assert client.get(f"{ORDERS}{waiting.pk}/").status_code == 404


def test_payment_instructions_for_the_buyer_while_awaiting_payment(make_order, buyer_api, seller_a_api, settings):
    order = make_order("awaiting_payment")
    body = buyer_api.get(f"{ORDERS}{order.pk}/").json()
    instructions = body["payment_instructions"]
    assert instructions["reference"] == order.payment_reference
    assert Decimal(instructions["amount"]) == order.total and instructions["currency"] == "USD"
    assert instructions["swift"] == settings.DEALS_ESCROW_ACCOUNT["swift"]
    assert body["next_action"]["code"] == "pay"
    assert seller_a_api.get(f"{ORDERS}{order.pk}/").json()["payment_instructions"] is None


def test_order_detail_has_everything(make_order, buyer_api):
    order = make_order("shipped")
    body = buyer_api.get(f"{ORDERS}{order.pk}/").json()
    assert [m["status"] for m in body["milestones"]] == ["held", "held"]
    assert all(m["releasable"] for m in body["milestones"])  # production started, B/L uploaded
    assert body["shipments"][0]["carrier"] == "COSCO"
    assert [e["stage"] for e in body["shipments"][0]["events"]] == ["booked", "departed"]
    document = body["documents"][0]
    assert document["kind"] == "bill_of_lading" and document["download"].endswith(f"/documents/{document['id']}/")
    assert "file" not in document and "/media/" not in str(body)
    assert {"contract_opened", "order_created", "payment_confirmed"} <= {e["action"] for e in body["events"]}
    assert body["dispute"] is None and body["review"] is None and body["next_action"]["code"] == "confirm_delivery"


@pytest.mark.parametrize("rows", [1, 4])
def test_lists_and_details_run_a_bounded_number_of_queries(
    rows, make_order, buyer_api, seller_a_api, django_assert_max_num_queries
):
    stages = ["awaiting_payment", "shipped", "delivered", "disputed"]
    made = [make_order(stage) for stage in stages[:rows]]
    for client in (buyer_api, seller_a_api):
        with django_assert_max_num_queries(10):
            assert len(ids(client.get(ORDERS))) == rows
        with django_assert_max_num_queries(10):
            assert len(ids(client.get(CONTRACTS))) == rows
        with django_assert_max_num_queries(16):
            assert client.get(f"{ORDERS}{made[-1].pk}/").status_code == 200
        with django_assert_max_num_queries(12):
            assert client.get(f"{CONTRACTS}{made[-1].contract_id}/").status_code == 200


# --- orders: the buyer's actions --------------------------------------------------------------------------------


def test_cancel(make_order, buyer_api, seller_a_api, seller_b_api):
    order = make_order("awaiting_payment")
    url = f"{ORDERS}{order.pk}/cancel/"
    response = buyer_api.post(url, {}, format="json")
    assert response.status_code == 400 and ("reason", "required") in error_fields(response)
    assert seller_b_api.post(url, {"reason": "No."}, format="json").status_code == 404
    assert seller_a_api.post(url, {"reason": "No."}, format="json").status_code == 403  # not the buyer
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    response = buyer_api.post(url, {"reason": "Found them locally."}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


def test_release_with_the_same_key_twice_releases_once(make_order, buyer_api, other_buyer_api, seller_a_api):
    order = make_order("in_production")
    deposit, balance = order.milestones.order_by("position")
    url = f"{API}/milestones/{deposit.pk}/release/"
    assert other_buyer_api.post(url, format="json", HTTP_IDEMPOTENCY_KEY="k1").status_code == 404
    assert seller_a_api.post(url, format="json").status_code == 403
    response = buyer_api.post(url, format="json", HTTP_IDEMPOTENCY_KEY="x" * 65)
    assert response.status_code == 400 and ("Idempotency-Key", "invalid") in error_fields(response)
    assert not LedgerTransaction.objects.filter(order=order, kind=LedgerKind.RELEASE).exists()
    for _ in range(2):
        response = buyer_api.post(url, format="json", HTTP_IDEMPOTENCY_KEY="release-deposit-1")
        assert response.status_code == 200 and response.json()["status"] == "released"
    assert LedgerTransaction.objects.filter(order=order, kind=LedgerKind.RELEASE).count() == 1
    response = buyer_api.post(f"{API}/milestones/{balance.pk}/release/", format="json")
    assert response.status_code == 400  # the bill of lading is not in yet
    balance.refresh_from_db()
    assert balance.status == MilestoneStatus.HELD


def test_confirm_delivery_dispute_and_answer(make_order, buyer_api, seller_a_api, seller_b_api):
    order = make_order("shipped")
    response = buyer_api.post(f"{ORDERS}{order.pk}/confirm-delivery/", format="json", HTTP_IDEMPOTENCY_KEY="cd")
    assert response.status_code == 200 and response.json()["status"] == "delivered"
    url = f"{ORDERS}{order.pk}/dispute/"
    response = buyer_api.post(
        url, {"reason": "quality", "description": "Short.", "requested_refund": "100.00"}, format="json"
    )
    assert response.status_code == 400 and "description" in {f for f, _c in error_fields(response)}
    response = buyer_api.post(
        url, {"reason": "lost", "description": "x" * 30, "requested_refund": "100.00"}, format="json"
    )
    assert response.status_code == 400 and ("reason", "invalid_choice") in error_fields(response)
    assert not Dispute.objects.filter(order=order).exists()
    response = buyer_api.post(
        url,
        {
            "reason": "quality",
            "description": "Twelve panels arrived with cracked glass.",
            "requested_refund": "1000.00",
            "files": [pdf_file("photos.pdf")],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "disputed" and body["dispute"]["status"] == "open"
    assert [d["dispute"] for d in body["documents"] if d["kind"] == "dispute_evidence"] == [body["dispute"]["id"]]
    dispute_url = f"{API}/disputes/{body['dispute']['id']}/answer/"
    answer = {"answer": "The cracks happened in transit; see the survey."}
    assert seller_b_api.post(dispute_url, answer, format="json").status_code == 404
    assert buyer_api.post(dispute_url, answer, format="json").status_code == 403  # supplier staff only
    response = seller_a_api.post(dispute_url, {"answer": "No."}, format="json")
    assert response.status_code == 400 and "answer" in {f for f, _c in error_fields(response)}
    response = seller_a_api.post(dispute_url, answer, format="json")
    assert response.status_code == 200 and response.json()["status"] == "answered"
    assert Dispute.objects.get(order=order).status == DisputeStatus.ANSWERED


def test_review(make_order, buyer_api, other_buyer_api):
    order = make_order("delivered")
    url = f"{ORDERS}{order.pk}/review/"
    response = buyer_api.post(url, {"supplier_rating": 6, "product_rating": 4}, format="json")
    assert response.status_code == 400 and ("supplier_rating", "max_value") in error_fields(response)
    assert other_buyer_api.post(url, {"supplier_rating": 1, "product_rating": 1}, format="json").status_code == 404
    assert not Review.objects.filter(order=order).exists()
    response = buyer_api.post(url, {"supplier_rating": 5, "product_rating": 4, "comment": "Good."}, format="json")
    assert response.status_code == 201 and response.json()["review"]["supplier_rating"] == 5
    again = buyer_api.post(url, {"supplier_rating": 5, "product_rating": 4}, format="json")
    assert again.status_code == 400 and Review.objects.filter(order=order).count() == 1


# --- documents --------------------------------------------------------------------------------------------------


def test_documents_upload_checked_and_download_scoped(
    make_order, buyer_api, seller_a_api, other_buyer_api, seller_b_api
):
    order = make_order("in_production")
    url = f"{ORDERS}{order.pk}/documents/"
    fake = pdf_file("bl.pdf", data=b"MZ\x90\x00 an executable")
    response = seller_a_api.post(url, {"kind": "bill_of_lading", "file": fake}, format="multipart")
    assert response.status_code == 400 and ("file", "invalid") in error_fields(response)
    assert seller_b_api.post(url, {"kind": "other", "file": pdf_file()}, format="multipart").status_code == 404
    assert not OrderDocument.objects.filter(order=order).exists()
    response = seller_a_api.post(url, {"kind": "bill_of_lading", "file": pdf_file(), "note": "B/L"}, format="multipart")
    assert response.status_code == 201, response.content
    document = response.json()
    assert document["side"] == "supplier" and document["kind"] == "bill_of_lading"
    download = document["download"]
    for client in (buyer_api, seller_a_api):
        response = client.get(download)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    for client in (other_buyer_api, seller_b_api):
        assert client.get(download).status_code == 404
    other = make_order("awaiting_payment")
    assert buyer_api.get(f"{ORDERS}{other.pk}/documents/{document['id']}/").status_code == 404
    response = buyer_api.post(url, {"kind": "proof_of_delivery", "file": pdf_file("pod.pdf")}, format="multipart")
    assert response.status_code == 201 and response.json()["side"] == "buyer"
    assert OrderDocument.objects.filter(order=order, kind=DocumentKind.BILL_OF_LADING).count() == 1


# --- the supplier's side ----------------------------------------------------------------------------------------


def test_supplier_starts_production_ships_and_records_stages(make_order, buyer_api, seller_a_api, seller_b_api):
    order = make_order("funded")
    url = f"{ORDERS}{order.pk}/start-production/"
    assert seller_b_api.post(url, format="json").status_code == 404
    assert buyer_api.post(url, format="json").status_code == 403
    for _ in range(2):
        response = seller_a_api.post(url, format="json", HTTP_IDEMPOTENCY_KEY="start-1")
        assert response.status_code == 200 and response.json()["status"] == "in_production"
    response = seller_a_api.post(
        f"{ORDERS}{order.pk}/shipments/", {"mode": "boat", "carrier": "", "tracking_number": "X"}, format="json"
    )
    assert response.status_code == 400 and {"mode", "carrier"} <= {f for f, _c in error_fields(response)}
    assert not Shipment.objects.filter(order=order).exists()
    response = seller_a_api.post(
        f"{ORDERS}{order.pk}/shipments/",
        {"mode": "sea", "carrier": "COSCO", "tracking_number": "COSU1"},
        format="json",
    )
    assert response.status_code == 201, response.content
    shipment = response.json()["id"]
    events = f"{API}/shipments/{shipment}/events/"
    assert seller_b_api.post(events, {"stage": "booked"}, format="json").status_code == 404
    assert buyer_api.post(events, {"stage": "booked"}, format="json").status_code == 403
    response = seller_a_api.post(events, {"stage": "departed", "document": 999999}, format="json")
    assert response.status_code == 400 and {f for f, _c in error_fields(response)} == {"document"}
    response = seller_a_api.post(events, {"stage": "booked", "location": "Ningbo"}, format="json")
    assert response.status_code == 201 and [e["stage"] for e in response.json()["events"]] == ["booked"]
    response = seller_a_api.post(events, {"stage": "booked"}, format="json")
    assert response.status_code == 400 and ("stage", "invalid") in error_fields(response)
    response = seller_a_api.post(events, {"stage": "departed", "location": "Ningbo"}, format="json")
    assert response.status_code == 201
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    assert ShipmentEvent.objects.filter(shipment_id=shipment).count() == 2


def test_signed_contract_is_created_through_the_api_only_once(drafted, buyer_api, seller_a_api):
    url = f"{CONTRACTS}{drafted.pk}/accept/"
    buyer_api.post(url, {"version": 1, "signatory": "Anna Buyer"}, format="json", HTTP_IDEMPOTENCY_KEY="a")
    for _ in range(2):
        response = seller_a_api.post(
            url, {"version": 1, "signatory": "Li Seller"}, format="json", HTTP_IDEMPOTENCY_KEY="b"
        )
        assert response.status_code == 200
    drafted.refresh_from_db()
    assert drafted.status == ContractStatus.SIGNED and Order.objects.filter(contract=drafted).count() == 1
