"""The buyer's sourcing pages: each buyer sees only their own requests, plans and RFQs (404 for anybody else's),
bad input shows a message and saves nothing, and pages run a bounded number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sourcing import services
from sourcing.models import (
    PlanStatus,
    QuoteStatus,
    RequirementsSource,
    RequirementsVersion,
    RFQRecipient,
    RFQStatus,
    SourcingPlan,
    SourcingRequest,
)
from tests.factories import SupplierFactory

from .test_rfq_quotes import make_rfq, quote_fields

pytestmark = pytest.mark.django_db


def request_with_requirements(buyer, **data):
    request = SourcingRequest.objects.create(
        buyer=buyer, text="Need 2,000 bamboo boards to Rotterdam", title="Bamboo boards for Rotterdam"
    )
    RequirementsVersion.objects.create(
        request=request,
        number=1,
        source=RequirementsSource.EXTRACTED,
        data={
            "product": "bamboo boards",
            "quantity": 2000,
            "unread": ["Could not read the currency 'bitcoins'."],
            **data,
        },
    )
    return request


def done_plan(request, suppliers):
    options = [
        {
            "rank": rank,
            "score": 90 - rank,
            "coverage": 80,
            "supplier": {"id": s.pk, "name": s.name, "slug": s.slug},
            "product": None,
            "dimensions": [{"key": "verification", "label": "Verification", "value": "On-site", "score": 1}],
            "landed_cost": {},
            "risks": [],
            "questions": ["Can you share the FSC certificate?"],
        }
        for rank, s in enumerate(suppliers, start=1)
    ]
    plan = SourcingPlan.objects.create(
        request=request,
        requirements=request.requirement_versions.get(),
        status=PlanStatus.DONE,
        result={
            "dimensions": [{"key": "verification", "label": "Verification", "weight": 1}],
            "options": options,
            "summary": "The best match is on-site checked.",
        },
        progress=100,
    )
    for option in options:
        plan.options.create(supplier_id=option["supplier"]["id"], rank=option["rank"], score=option["score"])
    return plan


def test_pages_need_a_signed_in_buyer(client):
    response = client.get(reverse("sourcing:home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_request_page_shows_what_was_not_read_and_saves_an_edit_as_a_new_version(client, buyer):
    request = request_with_requirements(buyer)
    client.force_login(buyer)
    page = client.get(reverse("sourcing:request_detail", args=[request.pk]))
    assert page.status_code == 200
    assert "bitcoins" in page.content.decode()
    form = {"product": "bamboo cutting boards", "quantity": "2500", "currency": "EUR", "destination_country": "NL"}
    response = client.post(reverse("sourcing:request_detail", args=[request.pk]), {**form, "save": "1"})
    assert response.status_code == 302
    latest = request.requirement_versions.order_by("-number").first()
    assert latest.number == 2 and latest.source == RequirementsSource.EDITED
    assert latest.data["quantity"] == 2500 and latest.data["destination_country"] == "NL"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"quantity": "0"}, "greater than or equal to 1"),
        ({"destination_country": "XX"}, "Select a valid choice"),
        ({"min_operating_temp_c": "40", "max_operating_temp_c": "-10"}, "below the lowest"),
        ({"min_operating_temp_c": "-500"}, "greater than or equal to -273"),
    ],
)
def test_bad_requirements_show_an_error_and_save_nothing(client, buyer, form, message):
    request = request_with_requirements(buyer)
    client.force_login(buyer)
    response = client.post(reverse("sourcing:request_detail", args=[request.pk]), {"product": "boards", **form})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert request.requirement_versions.count() == 1


def test_an_empty_or_huge_request_is_refused_with_a_message(client, buyer):
    client.force_login(buyer)
    empty = client.post(reverse("sourcing:home"), {"text": "   "})
    huge = client.post(reverse("sourcing:home"), {"text": "x" * (services.MAX_REQUEST_CHARS + 1)})
    assert "Describe what you need" in empty.content.decode()
    assert "Keep the request under" in huge.content.decode()
    assert not SourcingRequest.objects.exists()


def test_another_buyer_gets_404_on_every_page_and_action(client, buyer, other_buyer, supplier_a):
    request = request_with_requirements(buyer)
    plan = done_plan(request, [supplier_a])
    rfq = make_rfq(buyer, plan=plan)
    client.force_login(other_buyer)
    for url in (
        reverse("sourcing:request_detail", args=[request.pk]),
        reverse("sourcing:plan_detail", args=[plan.pk]),
        reverse("sourcing:rfq_detail", args=[rfq.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"product": "hijack", "suppliers": [supplier_a.pk]}).status_code == 404
    assert client.post(reverse("sourcing:plan_rfq", args=[plan.pk])).status_code == 404
    assert request.requirement_versions.count() == 1
    assert rfq.recipients.count() == 0
    home = client.get(reverse("sourcing:home")).content.decode()
    assert request.title not in home and rfq.title not in home


def test_another_buyer_cannot_decide_on_a_quote(client, buyer, other_buyer, supplier_a, seller_a):
    rfq = services.rfq_send(rfq=make_rfq(buyer), buyer=buyer, supplier_ids=[supplier_a.pk])
    quote = services.quote_submit(**quote_fields(RFQRecipient.objects.get(rfq=rfq)))
    client.force_login(other_buyer)
    for decision in ("accept", "shortlist", "decline"):
        assert client.post(reverse("sourcing:quote_decide", args=[quote.pk, decision])).status_code == 404
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SUBMITTED


def test_plan_page_shows_the_comparison_and_prepares_an_rfq(client, buyer, supplier_a, supplier_b):
    request = request_with_requirements(buyer)
    plan = done_plan(request, [supplier_a, supplier_b])
    client.force_login(buyer)
    page = client.get(reverse("sourcing:plan_detail", args=[plan.pk])).content.decode()
    assert supplier_a.name in page and supplier_b.name in page and "Can you share the FSC certificate?" in page
    response = client.post(reverse("sourcing:plan_rfq", args=[plan.pk]))
    rfq = plan.rfqs.get()
    assert response["Location"] == reverse("sourcing:rfq_detail", args=[rfq.pk])
    assert rfq.status == RFQStatus.DRAFT and rfq.lines.get().quantity == 2000
    send = client.post(reverse("sourcing:rfq_detail", args=[rfq.pk]), {"broadcast": "1"})
    assert send.status_code == 302
    assert set(rfq.recipients.values_list("supplier_id", flat=True)) == {supplier_a.pk, supplier_b.pk}


def test_a_running_plan_shows_progress_and_refreshes(client, buyer):
    request = request_with_requirements(buyer)
    plan = SourcingPlan.objects.create(
        request=request, requirements=request.requirement_versions.get(), status=PlanStatus.RUNNING, progress=40
    )
    client.force_login(buyer)
    page = client.get(reverse("sourcing:plan_detail", args=[plan.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and "40%" in page


def _rfq_with_quotes(buyer, n):
    suppliers = [SupplierFactory() for _ in range(n)]
    rfq = services.rfq_send(rfq=make_rfq(buyer), buyer=buyer, supplier_ids=[s.pk for s in suppliers])
    for recipient in rfq.recipients.all():
        services.quote_submit(**quote_fields(recipient))
    return rfq


@pytest.mark.parametrize("n", [2, 8])
def test_rfq_page_queries_are_bounded_whatever_the_number_of_quotes(client, buyer, n, django_assert_max_num_queries):
    rfq = _rfq_with_quotes(buyer, n)
    client.force_login(buyer)
    with django_assert_max_num_queries(22):
        page = client.get(reverse("sourcing:rfq_detail", args=[rfq.pk]))
    assert page.status_code == 200
    assert page.content.decode().count("Accept") >= n


@pytest.mark.parametrize("n", [2, 12])
def test_home_queries_are_bounded(client, buyer, n, django_assert_max_num_queries):
    for index in range(n):
        request_with_requirements(buyer)
        make_rfq(buyer, title=f"RFQ {index}", quote_deadline=timezone.localdate() + timedelta(days=3))
    client.force_login(buyer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("sourcing:home")).status_code == 200


def test_a_crafted_supplier_id_on_the_send_form_is_a_message_not_a_500(client, buyer):
    rfq = make_rfq(buyer)
    client.force_login(buyer)
    response = client.post(reverse("sourcing:rfq_detail", args=[rfq.pk]), {"suppliers": ["9" * 30]}, follow=True)
    assert response.status_code == 200 and "Unknown supplier" in response.content.decode()
    assert rfq.recipients.count() == 0
