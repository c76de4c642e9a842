"""The sourcing API (/api/v1/sourcing/): a buyer's requests, requirements, plans, RFQs and decisions on quotes;
supplier staff's received RFQs, declines and quotes. Two buyers and two suppliers throughout: nobody reaches
another's rows (404, nothing changed), a supplier never sees a competitor's quote, and lists run a bounded
number of queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sourcing import services
from sourcing.models import (
    RFQ,
    PlanOption,
    PlanStatus,
    Quote,
    QuoteStatus,
    RecipientStatus,
    RequestStatus,
    RequirementsSource,
    RequirementsVersion,
    RFQRecipient,
    RFQStatus,
    SourcingPlan,
    SourcingRequest,
)
from tests.api.conftest import GENEROUS_RATES
from tests.api.helpers import client_for, error_fields
from tests.factories import BuyerFactory, MembershipFactory, ProductFactory, SupplierFactory, UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/sourcing"
REQUESTS = f"{API}/requests/"
PLANS = f"{API}/plans/"
RFQS = f"{API}/rfqs/"
QUOTES = f"{API}/quotes/"
MY_QUOTES = f"{API}/quotes/mine/"
RECEIVED = f"{API}/received-rfqs/"
TODAY = timezone.localdate
REQUIREMENTS = [{"key": "cert:FSC", "label": "FSC certificate"}, {"key": "custom:logo", "label": "Your logo"}]


@pytest.fixture(autouse=True)
def _api_settings(settings):
    # As tests/api: throttle counters start from zero, limits no ordinary test reaches; the offline AI provider.
    cache.clear()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": GENEROUS_RATES}
    settings.AI_PROVIDER = "offline"
    settings.OPENAI_API_KEY = ""
    yield
    cache.clear()


# --- data through the services (requests written directly: extraction is tested on its own) -------------------


def make_request(buyer, *, text="2,000 bamboo cutting boards, FSC, under 4 EUR CIF Rotterdam", **data):
    request = SourcingRequest.objects.create(buyer=buyer, text=text, language="en", title="Bamboo cutting boards")
    RequirementsVersion.objects.create(
        request=request,
        number=1,
        data={
            "product": "bamboo cutting boards",
            "language": "en",
            "quantity": 2000,
            "currency": "EUR",
            "target_unit_price": 4.0,
            "incoterm": "CIF",
            "incoterm_place": "Rotterdam",
            "destination_country": "NL",
            "certifications": ["FSC"],
            "unread": ["'asap' is not a lead time"],
            **data,
        },
        source=RequirementsSource.EXTRACTED,
        provenance={"provider": "offline"},
    )
    return request


def make_done_plan(request, *suppliers):
    version = request.requirement_versions.order_by("-number").first()
    plan = SourcingPlan.objects.create(
        request=request,
        requirements=version,
        status=PlanStatus.DONE,
        progress=100,
        progress_note="Done",
        result={"options": [{"supplier": s.pk, "rank": rank} for rank, s in enumerate(suppliers, start=1)]},
        inputs={"requirements_version": version.number},
        summary="Two good options.",
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )
    for rank, supplier in enumerate(suppliers, start=1):
        PlanOption.objects.create(plan=plan, supplier=supplier, rank=rank, score=1.0 / rank)
    return plan


def make_rfq(buyer, **overrides):
    fields = {
        "buyer": buyer,
        "title": "Bamboo cutting boards",
        "lines": [{"product_name": "Bamboo cutting board 30x20 cm", "quantity": 2000, "unit": "piece"}],
        "quote_deadline": TODAY() + timedelta(days=7),
        "currency": "EUR",
        "incoterm": "CIF",
        "incoterm_place": "Rotterdam",
        "destination_country": "NL",
        "requirements": REQUIREMENTS,
    }
    fields.update(overrides)
    return services.rfq_create(**fields)


def make_sent_rfq(buyer, *suppliers, **overrides):
    rfq = make_rfq(buyer, **overrides)
    return services.rfq_send(rfq=rfq, buyer=buyer, supplier_ids=[s.pk for s in suppliers])


def quote_body(rfq, **overrides):
    body = {
        "currency": "USD",
        "incoterm": "FOB",
        "incoterm_place": "Ningbo",
        "lead_time_days": 30,
        "payment_terms": "T/T 30/70",
        "valid_until": (TODAY() + timedelta(days=30)).isoformat(),
        "samples_available": True,
        "sample_price": "25.00",
        "notes": "Laser engraving included.",
        "lines": [
            {
                "rfq_line": line.pk,
                "offered_product": "BB-3020",
                "moq": 1000,
                "tiers": [{"min_quantity": 1000, "unit_price": "4.40"}, {"min_quantity": 2000, "unit_price": "4.10"}],
            }
            for line in rfq.lines.all()
        ],
        "answers": [{"key": "cert:FSC", "answer": "meets"}, {"key": "custom:logo", "answer": "meets"}],
    }
    body.update(overrides)
    return body


def submit_quote(rfq, supplier, **overrides):
    """A quote through the service, with the same fields the API takes."""
    recipient = RFQRecipient.objects.get(rfq=rfq, supplier=supplier)
    body = quote_body(rfq, **overrides)
    body["valid_until"] = TODAY() + timedelta(days=30)
    return services.quote_submit(recipient=recipient, **body)


def recipient_of(rfq, supplier):
    return RFQRecipient.objects.get(rfq=rfq, supplier=supplier)


def rfq_body(**overrides):
    body = {
        "title": "Bamboo cutting boards",
        "lines": [
            {
                "product_name": "Bamboo cutting board 30x20 cm",
                "quantity": 2000,
                "unit": "piece",
                "target_unit_price": "3.90",
                "specs": [{"name": "Size", "value": "30x20 cm"}, {"name": "Finish", "value": "food-safe oil"}],
            }
        ],
        "quote_deadline": (TODAY() + timedelta(days=10)).isoformat(),
        "currency": "EUR",
        "incoterm": "CIF",
        "incoterm_place": "Rotterdam",
        "destination_country": "NL",
        "message": "Logo burned in, please.",
    }
    body.update(overrides)
    return body


# --- requests and requirements --------------------------------------------------------------------------------


def test_buyer_describes_a_need_and_reviews_the_requirements(buyer_api):
    created = buyer_api.post(
        REQUESTS,
        {
            "text": "Need 2,000 bamboo cutting boards with our logo, FSC, under 4 EUR each CIF Rotterdam",
            "language": "en",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == RequestStatus.REVIEW
    assert body["attachments"] == [] and body["plan"] is None
    requirements = body["requirements"]
    assert requirements["version"] == 1
    assert requirements["source"] == "extracted"
    assert requirements["provenance"]["provider"] == "offline"
    assert requirements["data"]["quantity"] == 2000
    assert requirements["data"]["currency"] == "EUR"
    assert isinstance(requirements["unread"], list)
    assert requirements["unread"] == requirements["data"]["unread"]

    detail = buyer_api.get(f"{REQUESTS}{body['id']}/").json()
    assert detail["text"].startswith("Need 2,000 bamboo")
    assert detail["requirements"]["version"] == 1
    listed = buyer_api.get(REQUESTS).json()
    assert [item["id"] for item in listed["results"]] == [body["id"]]
    assert listed["next"] is None


def test_a_request_can_carry_a_spec_sheet_as_multipart(buyer_api):
    sheet = SimpleUploadedFile(
        "bom.csv", b"item,quantity,spec\nbamboo cutting board,2000,30x20 cm FSC\n", content_type="text/csv"
    )
    created = buyer_api.post(
        REQUESTS, {"text": "Cutting boards, see the sheet.", "attachments": [sheet]}, format="multipart"
    )
    assert created.status_code == 201, created.content
    attachments = created.json()["attachments"]
    assert [(a["name"], a["kind"]) for a in attachments] == [("bom.csv", "csv")]
    assert set(attachments[0]) == {"id", "name", "kind", "note"}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({}, "text"),
        ({"text": "x" * 25_000}, "text"),
        ({"text": 42}, "text"),
        ({"text": "Boards", "language": "tlh"}, "language"),
        ({"text": "Boards", "attachments": ["not a file"]}, "attachments"),
    ],
)
def test_bad_requests_are_400_and_write_nothing(buyer_api, payload, field):
    response = buyer_api.post(REQUESTS, payload, format="json")
    assert response.status_code == 400
    assert field in {name.split(".")[0] for name, _code in error_fields(response) if name}
    assert not SourcingRequest.objects.exists() and not RequirementsVersion.objects.exists()


def test_patch_edits_some_requirements_and_put_replaces_them(buyer, buyer_api):
    request = make_request(buyer)
    url = f"{REQUESTS}{request.pk}/requirements/"

    patched = buyer_api.patch(url, {"quantity": 5000, "certifications": ["fsc", "ce"]}, format="json")
    assert patched.status_code == 200, patched.content
    version = patched.json()
    assert version["version"] == 2 and version["source"] == "edited"
    assert version["data"]["quantity"] == 5000
    assert version["data"]["certifications"] == ["FSC", "CE"]
    assert version["data"]["currency"] == "EUR"  # untouched fields are kept
    assert version["unread"] == ["'asap' is not a lead time"]  # what was not read stays visible

    # The same edit again changes nothing: no new version.
    again = buyer_api.patch(url, {"quantity": 5000}, format="json")
    assert again.json()["version"] == 2

    replaced = buyer_api.put(url, {"product": "bamboo cutting boards", "quantity": 3000}, format="json")
    assert replaced.status_code == 200
    data = replaced.json()["data"]
    assert replaced.json()["version"] == 3
    assert (data["quantity"], data["currency"], data["certifications"], data["language"]) == (3000, None, [], "en")
    assert buyer_api.get(f"{REQUESTS}{request.pk}/").json()["requirements"]["version"] == 3


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": "many"}, "quantity"),
        ({"currency": "XYZ"}, "currency"),  # well formed, but Silkway has no rate for it (the service's rule)
        ({"currency": "eur"}, "currency"),
        ({"destination_country": "ZZ"}, "destination_country"),
        ({"incoterm": "FOO"}, "incoterm"),
        ({"target_unit_price": -1}, "target_unit_price"),
        ({"min_operating_temp_c": 40, "max_operating_temp_c": -10}, "max_operating_temp_c"),
        ({"customization": ["tattoo"]}, "customization"),
        ({"product": "x" * 301}, "product"),
    ],
)
def test_bad_requirements_are_400_and_add_no_version(buyer, buyer_api, payload, field):
    request = make_request(buyer)
    response = buyer_api.patch(f"{REQUESTS}{request.pk}/requirements/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in {name.split(".")[0] for name, _code in error_fields(response) if name}
    assert request.requirement_versions.count() == 1


def test_requesting_a_plan_is_idempotent(buyer, buyer_api):
    request = make_request(buyer)
    first = buyer_api.post(f"{REQUESTS}{request.pk}/plan/", format="json")
    assert first.status_code == 202, first.content
    plan = first.json()
    assert plan["status"] in ("queued", "running", "done", "failed")
    assert plan["requirements_version"] == 1
    second = buyer_api.post(f"{REQUESTS}{request.pk}/plan/", {}, format="json")
    assert second.status_code == 202
    assert second.json()["id"] == plan["id"]
    assert SourcingPlan.objects.count() == 1

    detail = buyer_api.get(f"{REQUESTS}{request.pk}/").json()
    assert detail["plan"]["id"] == plan["id"]
    assert set(detail["plan"]) >= {"id", "status", "progress", "progress_note"}

    # New requirements, new plan.
    buyer_api.patch(f"{REQUESTS}{request.pk}/requirements/", {"quantity": 4000}, format="json")
    third = buyer_api.post(f"{REQUESTS}{request.pk}/plan/", format="json")
    assert third.json()["id"] != plan["id"] and third.json()["requirements_version"] == 2


def test_a_plan_shows_progress_then_its_result(buyer, buyer_api, supplier_a):
    request = make_request(buyer)
    version = request.requirement_versions.get()
    running = SourcingPlan.objects.create(
        request=request, requirements=version, status=PlanStatus.RUNNING, progress=40, progress_note="Scoring"
    )
    body = buyer_api.get(f"{PLANS}{running.pk}/").json()
    assert (body["status"], body["progress"], body["progress_note"]) == ("running", 40, "Scoring")
    assert body["result"] is None and body["inputs"] is None

    done = make_done_plan(request, supplier_a)
    body = buyer_api.get(f"{PLANS}{done.pk}/").json()
    assert body["status"] == "done" and body["progress"] == 100
    assert body["result"]["options"][0]["supplier"] == supplier_a.pk
    assert body["inputs"] == {"requirements_version": 1}
    assert body["request"] == request.pk


def test_a_done_plan_drafts_an_rfq(buyer, buyer_api, supplier_a, supplier_b):
    request = make_request(buyer)
    queued = SourcingPlan.objects.create(request=request, requirements=request.requirement_versions.get())
    refused = buyer_api.post(f"{PLANS}{queued.pk}/rfq/", format="json")
    assert refused.status_code == 400
    assert not RFQ.objects.exists()

    plan = make_done_plan(request, supplier_a, supplier_b)
    drafted = buyer_api.post(f"{PLANS}{plan.pk}/rfq/", format="json")
    assert drafted.status_code == 201, drafted.content
    rfq = drafted.json()
    assert rfq["status"] == "draft" and rfq["plan"] == plan.pk and rfq["sourcing_request"] == request.pk
    assert [(line["product_name"], line["quantity"]) for line in rfq["lines"]] == [("bamboo cutting boards", 2000)]
    assert "cert:FSC" in {item["key"] for item in rfq["requirements"]}

    # Broadcast goes to the plan's best matches, by fit.
    sent = buyer_api.post(f"{RFQS}{rfq['id']}/send/", {"broadcast": True}, format="json")
    assert sent.status_code == 200, sent.content
    assert [r["supplier"]["id"] for r in sent.json()["recipients"]] == [supplier_a.pk, supplier_b.pk]


# --- RFQs (buyer) ---------------------------------------------------------------------------------------------


def test_buyer_drafts_sends_and_follows_an_rfq(buyer, buyer_api, seller_a_api, supplier_a, supplier_b):
    request = make_request(buyer)
    created = buyer_api.post(RFQS, rfq_body(sourcing_request=request.pk), format="json")
    assert created.status_code == 201, created.content
    rfq = created.json()
    assert rfq["status"] == "draft" and rfq["sourcing_request"] == request.pk
    line = rfq["lines"][0]
    assert line["specs"] == [{"name": "Size", "value": "30x20 cm"}, {"name": "Finish", "value": "food-safe oil"}]
    assert Decimal(line["target_unit_price"]) == Decimal("3.90")
    assert rfq["recipients"] == [] and rfq["quotes"] == []

    sent = buyer_api.post(f"{RFQS}{rfq['id']}/send/", {"suppliers": [supplier_a.pk, supplier_b.pk]}, format="json")
    assert sent.status_code == 200, sent.content
    recipients = {r["supplier"]["name"]: r["status"] for r in sent.json()["recipients"]}
    assert recipients == {supplier_a.name: "invited", supplier_b.name: "invited"}
    assert sent.json()["status"] == "sent"
    again = buyer_api.post(f"{RFQS}{rfq['id']}/send/", {"suppliers": [supplier_a.pk]}, format="json")
    assert again.status_code == 400

    # Supplier A opens it and quotes; supplier B declines: the buyer sees all three states.
    received = recipient_of(RFQ.objects.get(pk=rfq["id"]), supplier_a)
    assert seller_a_api.get(f"{RECEIVED}{received.pk}/").status_code == 200
    rfq_row = RFQ.objects.get(pk=rfq["id"])
    submit_quote(rfq_row, supplier_a, answers=[])  # an RFQ drafted by hand has no requirements to answer
    services.rfq_decline(recipient=recipient_of(rfq_row, supplier_b), reason="Too small for us")
    detail = buyer_api.get(f"{RFQS}{rfq['id']}/").json()
    by_supplier = {r["supplier"]["id"]: r for r in detail["recipients"]}
    assert by_supplier[supplier_a.pk]["status"] == "quoted"
    assert by_supplier[supplier_a.pk]["viewed_at"] is not None
    assert by_supplier[supplier_b.pk]["status"] == "declined"
    assert by_supplier[supplier_b.pk]["decline_reason"] == "Too small for us"
    [quote] = detail["quotes"]
    assert quote["supplier"]["id"] == supplier_a.pk
    assert [t["min_quantity"] for t in quote["lines"][0]["tiers"]] == [1000, 2000]
    assert quote["answers"] == []

    listed = buyer_api.get(RFQS).json()["results"]
    assert [(r["id"], r["recipient_count"], r["quote_count"]) for r in listed] == [(rfq["id"], 2, 1)]
    assert buyer_api.get(RFQS, {"status": "sent"}).json()["results"][0]["id"] == rfq["id"]
    assert buyer_api.get(RFQS, {"status": "lost"}).status_code == 400

    cancelled = buyer_api.post(f"{RFQS}{rfq['id']}/cancel/", format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert buyer_api.post(f"{RFQS}{rfq['id']}/cancel/", format="json").status_code == 400


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"currency": "XYZ"}, "currency"),
        ({"title": ""}, "title"),
        ({"lines": []}, "lines"),
        ({"quote_deadline": "2020-01-01"}, "quote_deadline"),
        ({"quote_deadline": "tomorrow"}, "quote_deadline"),
        ({"incoterm": "FOO"}, "incoterm"),
        ({"destination_country": "ZZ"}, "destination_country"),
        ({"lines": [{"product_name": "Board", "quantity": 0}]}, "lines"),
        ({"lines": [{"product_name": "Board", "quantity": "lots"}]}, "lines"),
        ({"lines": [{"product_name": "", "quantity": 10}]}, "lines"),
        ({"lines": [{"product_name": "Board", "quantity": 10, "target_unit_price": "-2"}]}, "lines"),
        ({"lines": [{"product_name": "Board", "quantity": 10, "reference_product": 999_999}]}, "lines"),
        ({"sourcing_request": 999_999}, "sourcing_request"),
    ],
)
def test_bad_rfqs_are_400_and_write_nothing(buyer_api, change, field):
    response = buyer_api.post(RFQS, rfq_body(**change), format="json")
    assert response.status_code == 400, response.content
    assert field in {name.split(".")[0] for name, _code in error_fields(response) if name}
    assert not RFQ.objects.exists()


def test_send_needs_suppliers_it_knows(buyer, buyer_api, supplier_a):
    rfq = make_rfq(buyer)
    for body in ({}, {"suppliers": [999_999]}, {"suppliers": ["a"]}, {"suppliers": list(range(1, 12))}):
        response = buyer_api.post(f"{RFQS}{rfq.pk}/send/", body, format="json")
        assert response.status_code == 400, body
        assert "suppliers" in {name.split(".")[0] for name, _code in error_fields(response) if name}
    rfq.refresh_from_db()
    assert rfq.status == RFQStatus.DRAFT and not rfq.recipients.exists()


# --- quotes: the buyer decides --------------------------------------------------------------------------------


def test_buyer_shortlists_declines_and_accepts_one_quote(buyer, buyer_api, supplier_a, supplier_b, seller_b):
    rfq = make_sent_rfq(buyer, supplier_a, supplier_b)
    quote_a = submit_quote(rfq, supplier_a)
    quote_b = submit_quote(rfq, supplier_b)

    shown = buyer_api.get(f"{QUOTES}{quote_a.pk}/").json()
    assert shown["supplier"]["id"] == supplier_a.pk and shown["payment_terms"] == "T/T 30/70"
    assert {a["key"]: a["answer"] for a in shown["answers"]} == {"cert:FSC": "meets", "custom:logo": "meets"}
    assert [Decimal(t["unit_price"]) for t in shown["lines"][0]["tiers"]] == [Decimal("4.40"), Decimal("4.10")]

    shortlisted = buyer_api.post(f"{QUOTES}{quote_a.pk}/shortlist/", format="json")
    assert shortlisted.status_code == 200 and shortlisted.json()["status"] == "shortlisted"
    declined = buyer_api.post(f"{QUOTES}{quote_b.pk}/decline/", {"note": "Lead time too long"}, format="json")
    assert declined.status_code == 200
    assert (declined.json()["status"], declined.json()["decision_note"]) == ("declined", "Lead time too long")
    assert buyer_api.post(f"{QUOTES}{quote_b.pk}/decline/", {"note": 5}, format="json").status_code == 400

    accepted = buyer_api.post(f"{QUOTES}{quote_a.pk}/accept/", format="json")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    rfq.refresh_from_db()
    assert rfq.status == RFQStatus.CLOSED
    assert buyer_api.get(f"{QUOTES}{quote_a.pk}/").json()["status"] == "accepted"

    # A second acceptance (the other quote, re-shortlisted, or the same one again) is refused, clearly.
    services.quote_shortlist(quote=quote_b, buyer=buyer)
    for quote in (quote_b, quote_a):
        second = buyer_api.post(f"{QUOTES}{quote.pk}/accept/", format="json")
        assert second.status_code == 400
        [error] = second.json()["errors"]
        assert error["field"] is None and error["message"]
    assert Quote.objects.filter(status=QuoteStatus.ACCEPTED).count() == 1
    assert Quote.objects.get(pk=quote_b.pk).status == QuoteStatus.SHORTLISTED


def test_withdrawn_quotes_are_not_shown_to_the_buyer(buyer, buyer_api, supplier_a):
    rfq = make_sent_rfq(buyer, supplier_a)
    quote = submit_quote(rfq, supplier_a)
    services.quote_withdraw(quote=quote)
    assert buyer_api.get(f"{RFQS}{rfq.pk}/").json()["quotes"] == []
    assert buyer_api.get(f"{QUOTES}{quote.pk}/").status_code == 404
    assert buyer_api.post(f"{QUOTES}{quote.pk}/accept/", format="json").status_code == 404


# --- supplier staff -------------------------------------------------------------------------------------------


def test_supplier_reads_declines_and_quotes(buyer, seller_a_api, seller_b_api, supplier_a, supplier_b):
    rfq = make_sent_rfq(buyer, supplier_a, supplier_b, message="Logo burned in.")
    mine = recipient_of(rfq, supplier_a)

    listed = seller_a_api.get(RECEIVED).json()["results"]
    assert [item["id"] for item in listed] == [mine.pk]
    item = listed[0]
    assert item["status"] == "invited" and item["my_quote"] is None
    assert item["rfq"]["title"] == "Bamboo cutting boards" and item["rfq"]["message"] == "Logo burned in."
    assert item["rfq"]["requirements"] == REQUIREMENTS
    assert [line["quantity"] for line in item["rfq"]["lines"]] == [2000]
    assert (item["rfq"]["incoterm"], item["rfq"]["quote_deadline"]) == ("CIF", rfq.quote_deadline.isoformat())
    # What an invitation shows never names who else was asked.
    assert "recipients" not in item["rfq"] and "quotes" not in item["rfq"] and "buyer" not in item["rfq"]

    opened = seller_a_api.get(f"{RECEIVED}{mine.pk}/")
    assert opened.status_code == 200 and opened.json()["status"] == "viewed"
    assert RFQRecipient.objects.get(pk=mine.pk).viewed_at is not None

    created = seller_a_api.post(f"{RECEIVED}{mine.pk}/quote/", quote_body(rfq), format="json")
    assert created.status_code == 201, created.content
    quote = created.json()
    assert quote["status"] == "submitted" and quote["received_rfq"] == mine.pk and quote["rfq"] == rfq.pk
    assert [(t["min_quantity"], Decimal(t["unit_price"])) for t in quote["lines"][0]["tiers"]] == [
        (1000, Decimal("4.40")),
        (2000, Decimal("4.10")),
    ]
    assert RFQRecipient.objects.get(pk=mine.pk).status == RecipientStatus.QUOTED
    assert seller_a_api.get(f"{RECEIVED}{mine.pk}/").json()["my_quote"]["id"] == quote["id"]

    # Submitting again revises the same quote.
    revised = seller_a_api.post(f"{RECEIVED}{mine.pk}/quote/", quote_body(rfq, lead_time_days=25), format="json")
    assert revised.status_code == 200 and revised.json()["id"] == quote["id"]
    assert revised.json()["lead_time_days"] == 25
    assert [q["id"] for q in seller_a_api.get(MY_QUOTES).json()["results"]] == [quote["id"]]
    assert seller_a_api.get(f"{MY_QUOTES}{quote['id']}/").json()["lead_time_days"] == 25

    theirs = recipient_of(rfq, supplier_b)
    assert seller_b_api.post(f"{RECEIVED}{theirs.pk}/decline/", {"reason": ""}, format="json").status_code == 400
    declined = seller_b_api.post(f"{RECEIVED}{theirs.pk}/decline/", {"reason": "No FSC"}, format="json")
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert declined.json()["decline_reason"] == "No FSC"
    refused = seller_b_api.post(f"{RECEIVED}{theirs.pk}/quote/", quote_body(rfq), format="json")
    assert refused.status_code == 400
    assert not Quote.objects.filter(supplier=supplier_b).exists()


def _decreasing(rfq):
    tiers = [{"min_quantity": 1000, "unit_price": "4.10"}, {"min_quantity": 2000, "unit_price": "4.40"}]
    return {"lines": [{"rfq_line": rfq.lines.get().pk, "tiers": tiers}]}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda rfq: {"currency": "XYZ"}, "currency"),
        (lambda rfq: {"incoterm": "FOO"}, "incoterm"),
        (lambda rfq: {"lead_time_days": 0}, "lead_time_days"),
        (lambda rfq: {"payment_terms": ""}, "payment_terms"),
        (lambda rfq: {"valid_until": (TODAY() - timedelta(days=1)).isoformat()}, "valid_until"),
        (_decreasing, "lines"),
        (lambda rfq: {"lines": [{"rfq_line": rfq.lines.get().pk, "tiers": []}]}, "lines"),
        (lambda rfq: {"lines": [{"rfq_line": 999_999, "tiers": [{"min_quantity": 1, "unit_price": "1"}]}]}, "lines"),
        (
            lambda rfq: {
                "lines": [{"rfq_line": rfq.lines.get().pk, "tiers": [{"min_quantity": 0, "unit_price": "1"}]}]
            },
            "lines",
        ),
        (lambda rfq: {"answers": [{"key": "cert:FSC", "answer": "maybe"}]}, "answers"),
        (lambda rfq: {"answers": [{"key": "cert:FSC", "answer": "alternative"}]}, "answers"),
        (lambda rfq: {"answers": [{"key": "made-up", "answer": "meets"}]}, "answers"),
    ],
)
def test_bad_quotes_are_400_and_write_nothing(buyer, seller_a_api, supplier_a, change, field):
    rfq = make_sent_rfq(buyer, supplier_a)
    recipient = recipient_of(rfq, supplier_a)
    response = seller_a_api.post(f"{RECEIVED}{recipient.pk}/quote/", quote_body(rfq, **change(rfq)), format="json")
    assert response.status_code == 400, response.content
    assert field in {name.split(".")[0] for name, _code in error_fields(response) if name}
    assert not Quote.objects.exists()
    assert RFQRecipient.objects.get(pk=recipient.pk).status == RecipientStatus.INVITED


# --- tenancy: two buyers, two suppliers -----------------------------------------------------------------------


def test_buyers_never_reach_each_others_sourcing(buyer, buyer_api, other_buyer_api, supplier_a, supplier_b):
    request = make_request(buyer)
    plan = make_done_plan(request, supplier_a)
    draft = make_rfq(buyer, title="Draft of A")
    rfq = make_sent_rfq(buyer, supplier_a, supplier_b)
    quote = submit_quote(rfq, supplier_a)
    quote_b = submit_quote(rfq, supplier_b)

    for url in (REQUESTS, RFQS):
        assert other_buyer_api.get(url).json()["results"] == []
    denied = [
        other_buyer_api.get(f"{REQUESTS}{request.pk}/"),
        other_buyer_api.patch(f"{REQUESTS}{request.pk}/requirements/", {"quantity": 1}, format="json"),
        other_buyer_api.put(f"{REQUESTS}{request.pk}/requirements/", {"quantity": 1}, format="json"),
        other_buyer_api.post(f"{REQUESTS}{request.pk}/plan/", format="json"),
        other_buyer_api.get(f"{PLANS}{plan.pk}/"),
        other_buyer_api.post(f"{PLANS}{plan.pk}/rfq/", format="json"),
        other_buyer_api.get(f"{RFQS}{rfq.pk}/"),
        other_buyer_api.post(f"{RFQS}{draft.pk}/send/", {"suppliers": [supplier_a.pk]}, format="json"),
        other_buyer_api.post(f"{RFQS}{rfq.pk}/cancel/", format="json"),
        other_buyer_api.get(f"{QUOTES}{quote.pk}/"),
        other_buyer_api.post(f"{QUOTES}{quote.pk}/shortlist/", format="json"),
        other_buyer_api.post(f"{QUOTES}{quote_b.pk}/decline/", {"note": "no"}, format="json"),
        other_buyer_api.post(f"{QUOTES}{quote.pk}/accept/", format="json"),
    ]
    for response in denied:
        assert response.status_code == 404, response.request["PATH_INFO"]
        assert error_fields(response) == {(None, "not_found")}
    # Nor can another buyer's request or plan be named in an RFQ of their own.
    for field, pk in (("sourcing_request", request.pk), ("plan", plan.pk)):
        response = other_buyer_api.post(RFQS, rfq_body(**{field: pk}), format="json")
        assert response.status_code == 400
        assert error_fields(response) == {(field, "does_not_exist")}

    # Nothing changed.
    assert request.requirement_versions.count() == 1
    assert SourcingPlan.objects.count() == 1
    assert RFQ.objects.count() == 2
    assert RFQ.objects.get(pk=draft.pk).status == RFQStatus.DRAFT
    assert RFQ.objects.get(pk=rfq.pk).status == RFQStatus.SENT
    assert set(Quote.objects.values_list("status", flat=True)) == {QuoteStatus.SUBMITTED}
    # The owner still sees everything.
    assert buyer_api.get(f"{REQUESTS}{request.pk}/").status_code == 200
    assert len(buyer_api.get(f"{RFQS}{rfq.pk}/").json()["quotes"]) == 2


def test_suppliers_see_only_their_own_invitations_and_quotes(
    buyer, seller_a_api, seller_b_api, buyer_api, supplier_a, supplier_b
):
    only_a = make_sent_rfq(buyer, supplier_a, title="For A only")
    both = make_sent_rfq(buyer, supplier_a, supplier_b, title="For both")
    to_a_only = recipient_of(only_a, supplier_a)
    quote_a = submit_quote(both, supplier_a)
    quote_b = submit_quote(both, supplier_b, currency="EUR")

    titles_b = [item["rfq"]["title"] for item in seller_b_api.get(RECEIVED).json()["results"]]
    assert titles_b == ["For both"]
    for response in (
        seller_b_api.get(f"{RECEIVED}{to_a_only.pk}/"),
        seller_b_api.post(f"{RECEIVED}{to_a_only.pk}/quote/", quote_body(only_a), format="json"),
        seller_b_api.post(f"{RECEIVED}{to_a_only.pk}/decline/", {"reason": "Sabotage"}, format="json"),
    ):
        assert response.status_code == 404
        assert error_fields(response) == {(None, "not_found")}
    assert RFQRecipient.objects.get(pk=to_a_only.pk).status == RecipientStatus.INVITED
    assert not Quote.objects.filter(rfq=only_a).exists()

    # On the RFQ sent to both, B sees its own quote only: never A's, by any address.
    received_b = seller_b_api.get(f"{RECEIVED}{recipient_of(both, supplier_b).pk}/").json()
    assert received_b["my_quote"]["id"] == quote_b.pk
    assert "quotes" not in received_b["rfq"] and "recipients" not in received_b["rfq"]
    assert [q["id"] for q in seller_b_api.get(MY_QUOTES).json()["results"]] == [quote_b.pk]
    assert seller_b_api.get(f"{MY_QUOTES}{quote_a.pk}/").status_code == 404
    # The buyer-side addresses are closed to suppliers (they are not the RFQ's buyer).
    assert seller_b_api.get(f"{QUOTES}{quote_a.pk}/").status_code == 404
    assert seller_b_api.get(f"{RFQS}{both.pk}/").status_code == 404
    assert seller_b_api.post(f"{QUOTES}{quote_a.pk}/decline/", {"note": "x"}, format="json").status_code == 404
    assert Quote.objects.get(pk=quote_a.pk).status == QuoteStatus.SUBMITTED
    # And the buyer sees both.
    assert {q["id"] for q in buyer_api.get(f"{RFQS}{both.pk}/").json()["quotes"]} == {quote_a.pk, quote_b.pk}


def test_anonymous_is_401_and_buyers_are_403_on_supplier_endpoints(buyer_api, api, buyer, supplier_a):
    rfq = make_sent_rfq(buyer, supplier_a)
    recipient = recipient_of(rfq, supplier_a)
    for url in (REQUESTS, RFQS, RECEIVED, MY_QUOTES, f"{PLANS}1/", f"{RFQS}{rfq.pk}/"):
        response = api.get(url)
        assert response.status_code == 401, url
        assert error_fields(response) == {(None, "not_authenticated")}
    assert api.post(REQUESTS, {"text": "Boards"}, format="json").status_code == 401
    assert api.post(f"{RECEIVED}{recipient.pk}/quote/", quote_body(rfq), format="json").status_code == 401
    for url in (RECEIVED, MY_QUOTES, f"{RECEIVED}{recipient.pk}/"):
        response = buyer_api.get(url)
        assert response.status_code == 403, url
        assert error_fields(response) == {(None, "permission_denied")}
    assert not SourcingRequest.objects.exists() and not Quote.objects.exists()


# --- bounded queries --------------------------------------------------------------------------------------------

# Measured, the same with 2 and 20 rows: requests 1; RFQs 2 (RFQs with their counts, lines); received RFQs 4
# (membership, invitations with RFQ and own quote, lines, attachments with their files); own quotes 5 (membership,
# quotes with RFQ, lines, tiers, answers).
LIST_BOUNDS = {"requests": 1, "rfqs": 2, "received": 4, "my_quotes": 5}


@pytest.mark.parametrize("rows", [2, 20])
def test_list_query_counts_are_bounded(rows, django_assert_max_num_queries):
    buyer = BuyerFactory()
    suppliers = [SupplierFactory() for _ in range(2)]
    seller = MembershipFactory(supplier=suppliers[0], user=UserFactory()).user
    product = ProductFactory(supplier=suppliers[1])
    for i in range(rows):
        make_request(buyer, text=f"Need {i}")
        rfq = make_sent_rfq(
            buyer,
            *suppliers,
            title=f"RFQ {i}",
            lines=[
                {"product_name": "Board", "quantity": 100, "reference_product_id": product.pk},
                {"product_name": "Knife", "quantity": 50, "specs": [{"name": "Steel", "value": "3Cr13"}]},
            ],
        )
        submit_quote(rfq, suppliers[0])
        submit_quote(rfq, suppliers[1])

    buyer_api = client_for(buyer)
    with django_assert_max_num_queries(LIST_BOUNDS["requests"]):
        response = buyer_api.get(REQUESTS, {"page_size": 50})
    assert len(response.json()["results"]) == rows
    with django_assert_max_num_queries(LIST_BOUNDS["rfqs"]):
        response = buyer_api.get(RFQS, {"page_size": 50})
    assert [r["quote_count"] for r in response.json()["results"]] == [2] * rows

    seller_api = client_for(seller)
    with django_assert_max_num_queries(LIST_BOUNDS["received"]):
        response = seller_api.get(RECEIVED, {"page_size": 50})
    assert len(response.json()["results"]) == rows
    assert all(item["my_quote"] for item in response.json()["results"])
    with django_assert_max_num_queries(LIST_BOUNDS["my_quotes"]):
        response = seller_api.get(MY_QUOTES, {"page_size": 50})
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("suppliers", [2, 8])
def test_rfq_detail_query_count_is_bounded(buyer, suppliers, django_assert_max_num_queries):
    invited = [SupplierFactory() for _ in range(suppliers)]
    rfq = make_sent_rfq(buyer, *invited)
    for supplier in invited:
        submit_quote(rfq, supplier)
    # RFQ, lines, attachments with files, recipients with suppliers, quotes with suppliers, quote lines, tiers, answers.
    with django_assert_max_num_queries(8):
        response = client_for(buyer).get(f"{RFQS}{rfq.pk}/")
    assert len(response.json()["quotes"]) == suppliers


def test_lists_page_with_cursors(buyer, buyer_api):
    made = [make_request(buyer, text=f"Need {i}").pk for i in range(3)]
    seen, url, params = [], REQUESTS, {"page_size": 2}
    while url:
        page = buyer_api.get(url, params).json()
        seen += [item["id"] for item in page["results"]]
        url, params = page["next"], None
    assert seen == sorted(made, reverse=True)
    assert error_fields(buyer_api.get(REQUESTS, {"page_size": 0})) == {("page_size", "invalid")}
    assert error_fields(buyer_api.get(REQUESTS, {"status": "lost"})) == {("status", "invalid_choice")}


def test_a_form_field_sent_twice_is_refused_not_read_as_its_last_value(buyer_api):
    # Found by schemathesis: multipart with `text` repeated was accepted with the last value.
    response = buyer_api.post(
        "/api/v1/sourcing/requests/",
        {"text": ["Need 500 yoga mats", "{}"], "language": ["en", "de"]},
        format="multipart",
    )
    assert response.status_code == 400
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"text", "language"} <= fields
