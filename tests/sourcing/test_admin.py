"""Sourcing in the admin: sellers answer the RFQs sent to their own supplier (quote, decline, withdraw) and never
see another recipient, another supplier's quote or the buyer's e-mail; operators inspect everything and keep
the reference data. RFQs are built through the services, as buyers build them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from sourcing import services
from sourcing.models import (
    RFQ,
    ExchangeRate,
    PlanStatus,
    Quote,
    QuoteAnswer,
    QuoteLine,
    QuoteStatus,
    QuoteTier,
    RecipientStatus,
    RequirementsSource,
    RequirementsVersion,
    RFQRecipient,
    SourcingPlan,
    SourcingRequest,
)
from sourcing.schema import Requirements
from suppliers.admin_scoping import SupplierScopedMixin, seller_site
from suppliers.tenancy import is_tenant_owned
from tests.factories import BuyerFactory, MembershipFactory, SupplierFactory, UserFactory

pytestmark = pytest.mark.django_db

SHARED_TITLE = "Bamboo cutting boards for Hamburg"
B_ONLY_TITLE = "Vacuum tumblers for Lyon"
REQUIREMENTS = [
    {"key": "cert:FSC", "label": "FSC certificate"},
    {"key": "samples", "label": "Samples before the order"},
]


def today():
    return timezone.localdate()


def make_rfq(buyer, suppliers, *, title=SHARED_TITLE, lines=None, requirements=REQUIREMENTS):
    rfq = services.rfq_create(
        buyer=buyer,
        title=title,
        lines=lines
        or [
            {
                "product_name": "Bamboo cutting board",
                "quantity": 5000,
                "unit": "piece",
                "target_unit_price": "2.10",
                "specs": [{"name": "Size", "value": "30 x 20 cm"}],
            },
            {"product_name": "Bamboo serving tray", "quantity": 1000, "target_unit_price": "4.50"},
        ],
        quote_deadline=today() + timedelta(days=10),
        currency="EUR",
        incoterm="FOB",
        incoterm_place="Ningbo",
        destination_country="DE",
        message="Please quote FSC-certified bamboo.",
        requirements=requirements,
    )
    return services.rfq_send(rfq=rfq, buyer=buyer, supplier_ids=[s.pk for s in suppliers])


@pytest.fixture
def shared_rfq(buyer, supplier_a, supplier_b):
    """An RFQ sent to both A and B."""
    return make_rfq(buyer, [supplier_a, supplier_b])


@pytest.fixture
def b_only_rfq(other_buyer, supplier_b):
    return make_rfq(other_buyer, [supplier_b], title=B_ONLY_TITLE, lines=[{"product_name": "Tumbler", "quantity": 800}])


@pytest.fixture
def a_recipient(shared_rfq, supplier_a):
    return shared_rfq.recipients.get(supplier=supplier_a)


@pytest.fixture
def b_recipient(shared_rfq, supplier_b):
    return shared_rfq.recipients.get(supplier=supplier_b)


def recipient_url(recipient, view="change"):
    return reverse(f"seller:sourcing_rfqrecipient_{view}", args=[recipient.pk])


def quote_data(rfq, *, tiers=(("500", "2.40"), ("2000", "2.10"), ("5000", "1.95")), answers=None, **terms):
    data = {
        "_action": "submit",
        "quote-currency": "EUR",
        "quote-incoterm": "FOB",
        "quote-incoterm_place": "Ningbo",
        "quote-lead_time_days": "30",
        "quote-payment_terms": "T/T 30% deposit, 70% against B/L copy",
        "quote-valid_until": (today() + timedelta(days=30)).isoformat(),
        "quote-samples_available": "on",
        "quote-sample_price": "15",
        "quote-notes": "FSC-certified bamboo, laser logo included.",
    }
    data.update({f"quote-{name}": value for name, value in terms.items()})
    for line in rfq.lines.all():
        prefix = f"line-{line.pk}"
        data[f"{prefix}-offered_product"] = f"Alpha {line.product_name}"
        data[f"{prefix}-moq"] = "500"
        for row, (quantity, price) in enumerate(tiers):
            data[f"{prefix}-tier_{row}_min_quantity"] = quantity
            data[f"{prefix}-tier_{row}_unit_price"] = price
    for index, _item in enumerate(rfq.requirements):
        answer, note = (answers or {}).get(index, ("meets", ""))
        data[f"answer-{index}-answer"] = answer
        data[f"answer-{index}-note"] = note
    return data


def submit_b_quote(b_recipient):
    return services.quote_submit(
        recipient=b_recipient,
        currency="USD",
        incoterm="EXW",
        lead_time_days=45,
        payment_terms="L/C at sight",
        valid_until=today() + timedelta(days=20),
        lines=[
            {
                "rfq_line": line.pk,
                "offered_product": "Beta secret board",
                "tiers": [{"min_quantity": 1, "unit_price": "7.77"}],
            }
            for line in b_recipient.rfq.lines.all()
        ],
        notes="Beta confidential terms",
    )


def body(response):
    return response.content.decode()


# --- what seller A sees ------------------------------------------------------------------------------------------


def test_list_shows_only_rfqs_sent_to_own_supplier(seller_a_client, buyer, shared_rfq, b_only_rfq):
    response = seller_a_client.get(reverse("seller:sourcing_rfqrecipient_changelist"))
    page = body(response)
    assert response.status_code == 200
    assert SHARED_TITLE in page and B_ONLY_TITLE not in page
    assert buyer.buyer_profile.company_name in page and "DE" in page
    assert "5,000 pieces Bamboo cutting board" in page
    assert buyer.email not in page
    assert "Beta Housewares" not in page  # the other recipient of the shared RFQ


def test_unanswered_invitations_come_first(seller_a_client, buyer, supplier_a):
    answered = make_rfq(buyer, [supplier_a], title="Answered first, sent first")
    services.rfq_decline(recipient=answered.recipients.get(), reason="No capacity")
    make_rfq(buyer, [supplier_a], title="Still waiting")
    RFQRecipient.objects.filter(rfq=answered).update(invited_at=timezone.now() + timedelta(minutes=5))
    page = body(seller_a_client.get(reverse("seller:sourcing_rfqrecipient_changelist")))
    assert page.index("Still waiting") < page.index("Answered first, sent first")
    declined = body(seller_a_client.get(reverse("seller:sourcing_rfqrecipient_changelist") + "?status__exact=declined"))
    assert "Answered first, sent first" in declined and "Still waiting" not in declined


def test_change_view_shows_the_rfq_and_marks_it_viewed(seller_a_client, buyer, a_recipient, b_recipient):
    assert a_recipient.status == RecipientStatus.INVITED
    response = seller_a_client.get(recipient_url(a_recipient))
    page = body(response)
    assert response.status_code == 200
    for text in (
        SHARED_TITLE,
        "Bamboo cutting board",
        "Size: 30 x 20 cm",
        "5000 piece",
        "2.1 EUR",
        "FOB",
        "Ningbo",
        "Please quote FSC-certified bamboo.",
        "FSC certificate",
        "Samples before the order",
        buyer.buyer_profile.company_name,
        "Send the quote",
        "Decline to quote",
    ):
        assert text in page, text
    assert buyer.email not in page
    assert "Beta Housewares" not in page
    a_recipient.refresh_from_db()
    b_recipient.refresh_from_db()
    assert a_recipient.status == RecipientStatus.VIEWED and a_recipient.viewed_at is not None
    assert b_recipient.status == RecipientStatus.INVITED and b_recipient.viewed_at is None


def test_other_suppliers_invitations_are_404(seller_a_client, b_recipient, b_only_rfq):
    for recipient in (b_recipient, b_only_rfq.recipients.get()):
        for view in ("change", "history"):
            response = seller_a_client.get(recipient_url(recipient, view))
            assert response.status_code == 404
            assert SHARED_TITLE not in body(response) and B_ONLY_TITLE not in body(response)
        assert seller_a_client.get(recipient_url(recipient, "delete")).status_code in (403, 404)
    b_recipient.refresh_from_db()
    assert b_recipient.status == RecipientStatus.INVITED  # A's attempt did not mark it viewed
    assert seller_a_client.get(reverse("seller:sourcing_rfqrecipient_change", args=["nope"])).status_code == 404


def test_sellers_cannot_add_or_delete_invitations(seller_a_client, a_recipient):
    assert seller_a_client.get(reverse("seller:sourcing_rfqrecipient_add")).status_code == 403
    assert seller_a_client.get(recipient_url(a_recipient, "delete")).status_code == 403
    assert seller_a_client.get(reverse("seller:sourcing_quote_add")).status_code == 403
    response = seller_a_client.post(
        reverse("seller:sourcing_rfqrecipient_changelist"),
        {"action": "delete_selected", "_selected_action": [a_recipient.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert RFQRecipient.objects.filter(pk=a_recipient.pk).exists()


def test_seller_never_sees_another_suppliers_quote(seller_a_client, a_recipient, b_recipient, b_only_rfq):
    b_quote = submit_b_quote(b_recipient)
    b_only_quote = submit_b_quote(b_only_rfq.recipients.get())
    listing = body(seller_a_client.get(reverse("seller:sourcing_quote_changelist")))
    assert "Beta" not in listing and "7.77" not in listing and B_ONLY_TITLE not in listing
    for quote in (b_quote, b_only_quote):
        response = seller_a_client.get(reverse("seller:sourcing_quote_change", args=[quote.pk]))
        assert response.status_code == 404 and "Beta" not in body(response)
    screen = body(seller_a_client.get(recipient_url(a_recipient)))
    assert "Beta" not in screen and "7.77" not in screen and "L/C at sight" not in screen
    assert "Your quote" not in screen


# --- the quote form ----------------------------------------------------------------------------------------------


def test_quote_happy_path(seller_a_client, supplier_a, shared_rfq, a_recipient):
    response = seller_a_client.post(recipient_url(a_recipient), quote_data(shared_rfq), follow=True)
    assert response.redirect_chain == [(recipient_url(a_recipient), 302)]
    assert "Quote sent to the buyer." in body(response)
    quote = Quote.objects.get()
    assert (quote.supplier, quote.recipient, quote.rfq) == (supplier_a, a_recipient, shared_rfq)
    assert (quote.currency, quote.incoterm, quote.incoterm_place, quote.lead_time_days) == ("EUR", "FOB", "Ningbo", 30)
    assert quote.samples_available and quote.sample_price == Decimal("15")
    assert quote.status == QuoteStatus.SUBMITTED
    assert QuoteLine.objects.filter(quote=quote).count() == 2
    assert set(QuoteLine.objects.values_list("moq", flat=True)) == {500}
    tiers = list(
        QuoteTier.objects.filter(line__rfq_line__position=1).values_list("min_quantity", "unit_price").order_by("pk")
    )
    assert tiers == [(500, Decimal("2.4")), (2000, Decimal("2.1")), (5000, Decimal("1.95"))]
    assert set(QuoteAnswer.objects.values_list("key", "answer")) == {("cert:FSC", "meets"), ("samples", "meets")}
    a_recipient.refresh_from_db()
    assert a_recipient.status == RecipientStatus.QUOTED
    page = body(response)
    assert "Your quote" in page and "Revise your quote" in page and "Withdraw the quote" in page
    assert "Decline to quote" not in page
    own = body(seller_a_client.get(reverse("seller:sourcing_quote_change", args=[quote.pk])))
    assert "≥ 500: 2.4" in own and "FSC certificate" in own and SHARED_TITLE in own


def test_revise_then_withdraw(seller_a_client, shared_rfq, a_recipient):
    seller_a_client.post(recipient_url(a_recipient), quote_data(shared_rfq))
    response = seller_a_client.post(
        recipient_url(a_recipient), quote_data(shared_rfq, lead_time_days="21"), follow=True
    )
    assert "Quote revised" in body(response)
    quote = Quote.objects.get()
    assert quote.lead_time_days == 21 and QuoteLine.objects.count() == 2 and QuoteTier.objects.count() == 6
    response = seller_a_client.post(recipient_url(a_recipient), {"_action": "withdraw"}, follow=True)
    assert "Quote withdrawn" in body(response)
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.WITHDRAWN


def test_a_decided_quote_cannot_be_revised(seller_a_client, buyer, shared_rfq, a_recipient):
    seller_a_client.post(recipient_url(a_recipient), quote_data(shared_rfq))
    quote = Quote.objects.get()
    services.quote_shortlist(quote=quote, buyer=buyer)
    page = body(seller_a_client.get(recipient_url(a_recipient)))
    assert "Shortlisted" in page and "Revise your quote" not in page and "Withdraw the quote" not in page
    response = seller_a_client.post(recipient_url(a_recipient), quote_data(shared_rfq, lead_time_days="5"))
    assert "already decided" in body(response)
    quote.refresh_from_db()
    assert quote.lead_time_days == 30 and quote.status == QuoteStatus.SHORTLISTED
    response = seller_a_client.post(recipient_url(a_recipient), {"_action": "withdraw"}, follow=True)
    assert "Only a quote the buyer has not decided on can be withdrawn." in body(response)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"tiers": (("500", "2.00"), ("2000", "2.50"))}, "a larger quantity cannot cost more per unit"),
        ({"tiers": (("2000", "2.00"), ("500", "1.50"))}, "from the smallest quantity up"),
        ({"tiers": (("500", ""),)}, "Give both the quantity and the unit price"),
        ({"tiers": ()}, "give at least one price"),
        ({"valid_until": "2001-01-01"}, "valid until today or later"),
        ({"currency": "XXX"}, "Select a valid choice"),
        ({"incoterm": "FOO"}, "Select a valid choice"),
        ({"lead_time_days": "0"}, "Lead time must be between 1 and 730 days"),
        ({"payment_terms": ""}, "This field is required"),
        ({"answers": {0: ("alternative", "")}}, "Describe the alternative you offer."),
        ({"answers": {0: ("perhaps", "")}}, "Select a valid choice"),
    ],
)
def test_bad_input_shows_errors_and_changes_nothing(seller_a_client, shared_rfq, a_recipient, overrides, message):
    seller_a_client.get(recipient_url(a_recipient))  # viewed
    response = seller_a_client.post(recipient_url(a_recipient), quote_data(shared_rfq, **overrides))
    page = body(response)
    assert response.status_code == 200
    assert message in page
    assert "The quote was not sent" in page
    assert 'class="errorlist' in page
    assert not Quote.objects.exists() and not QuoteLine.objects.exists() and not QuoteTier.objects.exists()
    a_recipient.refresh_from_db()
    assert a_recipient.status == RecipientStatus.VIEWED


def test_a_failed_revision_keeps_the_quote(seller_a_client, shared_rfq, a_recipient):
    seller_a_client.post(recipient_url(a_recipient), quote_data(shared_rfq))
    response = seller_a_client.post(
        recipient_url(a_recipient), quote_data(shared_rfq, tiers=(("1", "1"), ("2", "9")), lead_time_days="7")
    )
    assert "a larger quantity cannot cost more per unit" in body(response)
    quote = Quote.objects.get()
    assert quote.lead_time_days == 30 and QuoteTier.objects.count() == 6


def test_decline(seller_a_client, shared_rfq, a_recipient):
    response = seller_a_client.post(
        recipient_url(a_recipient), {"_action": "decline", "decline_reason": "  "}, follow=True
    )
    assert "Tell the buyer why" in body(response)
    a_recipient.refresh_from_db()
    assert a_recipient.status == RecipientStatus.VIEWED
    response = seller_a_client.post(
        recipient_url(a_recipient), {"_action": "decline", "decline_reason": "No FSC bamboo this season"}, follow=True
    )
    page = body(response)
    assert "You declined this RFQ" in page and "No FSC bamboo this season" in page
    assert "Send the quote" not in page
    a_recipient.refresh_from_db()
    assert a_recipient.status == RecipientStatus.DECLINED and a_recipient.decline_reason == "No FSC bamboo this season"
    response = seller_a_client.post(recipient_url(a_recipient), quote_data(shared_rfq))
    assert "You declined this RFQ." in body(response) and not Quote.objects.exists()


def test_unknown_action_changes_nothing(seller_a_client, a_recipient):
    response = seller_a_client.post(recipient_url(a_recipient), {"_action": "accept"}, follow=True)
    assert "Choose send, decline or withdraw." in body(response)
    assert not Quote.objects.exists()


def test_crafted_posts_with_another_recipients_ids_do_nothing(
    seller_a_client, supplier_a, supplier_b, shared_rfq, a_recipient, b_recipient, b_only_rfq
):
    # To B's invitation: not found, whatever the action.
    for data in (quote_data(shared_rfq), {"_action": "decline", "decline_reason": "x"}, {"_action": "withdraw"}):
        assert seller_a_client.post(recipient_url(b_recipient), data).status_code == 404
    b_recipient.refresh_from_db()
    assert b_recipient.status == RecipientStatus.INVITED and not Quote.objects.exists()

    # To A's own invitation, with B's ids and another RFQ's lines smuggled in: only A's quote, on A's lines.
    data = quote_data(shared_rfq)
    data.update({"recipient": b_recipient.pk, "supplier": supplier_b.pk, "rfq": b_only_rfq.pk, "quote-supplier": 1})
    foreign_line = b_only_rfq.lines.get()
    data.update({f"line-{foreign_line.pk}-tier_0_min_quantity": "1", f"line-{foreign_line.pk}-tier_0_unit_price": "1"})
    assert seller_a_client.post(recipient_url(a_recipient), data).status_code == 302
    quote = Quote.objects.get()
    assert quote.supplier == supplier_a and quote.recipient == a_recipient and quote.rfq == shared_rfq
    assert set(QuoteLine.objects.values_list("rfq_line__rfq", flat=True)) == {shared_rfq.pk}

    # B's quote can be neither withdrawn nor revised from A's screen.
    b_quote = submit_b_quote(b_recipient)
    seller_a_client.post(recipient_url(a_recipient), {"_action": "withdraw", "quote": b_quote.pk})
    b_quote.refresh_from_db()
    quote.refresh_from_db()
    assert b_quote.status == QuoteStatus.SUBMITTED and quote.status == QuoteStatus.WITHDRAWN


# --- nothing leaks through the admin's side doors -------------------------------------------------------------


def test_view_on_site_shortcut_leaks_nothing(seller_a_client, b_recipient):
    b_quote = submit_b_quote(b_recipient)
    for obj in (b_recipient, b_quote, b_recipient.rfq):
        content_type = ContentType.objects.get_for_model(obj)
        response = seller_a_client.get(reverse("seller:view_on_site", args=[content_type.pk, obj.pk]))
        assert response.status_code == 404
        assert SHARED_TITLE not in body(response)


def test_autocomplete_never_returns_other_suppliers_rows(seller_a_client, a_recipient, b_recipient, b_only_rfq):
    url = reverse("seller:autocomplete")
    response = seller_a_client.get(url, {"app_label": "sourcing", "model_name": "quote", "field_name": "recipient"})
    assert response.status_code == 200
    assert {item["id"] for item in response.json()["results"]} == {str(a_recipient.pk)}
    # RFQs and suppliers are not on the seller site: no autocomplete over them.
    for field_name in ("rfq", "supplier"):
        response = seller_a_client.get(
            url, {"app_label": "sourcing", "model_name": "quote", "field_name": field_name, "term": "B"}
        )
        assert response.status_code in (403, 404)


def test_list_filters_offer_only_own_rfqs(
    seller_a_client, other_buyer, supplier_a, shared_rfq, a_recipient, b_only_rfq
):
    second = make_rfq(other_buyer, [supplier_a], title="Second RFQ to Alpha")
    for rfq in (shared_rfq, second):  # the filter shows from two choices up
        seller_a_client.post(recipient_url(rfq.recipients.get(supplier=supplier_a)), quote_data(rfq))
    submit_b_quote(b_only_rfq.recipients.get())
    url = reverse("seller:sourcing_quote_changelist")
    page = body(seller_a_client.get(url))
    assert f"rfq__id__exact={shared_rfq.pk}" in page
    assert f"rfq__id__exact={b_only_rfq.pk}" not in page and B_ONLY_TITLE not in page
    page = body(seller_a_client.get(url, {"rfq__id__exact": b_only_rfq.pk}))
    assert "0 quotes" in page or "0 results" in page
    assert B_ONLY_TITLE not in page.split('id="changelist-filter"')[0]
    # Probing the buyer's e-mail (or another supplier) through lookups is refused.
    for params in ({"rfq__buyer__email__startswith": "buyer"}, {"supplier__name__startswith": "Beta"}):
        assert seller_a_client.get(url, params).status_code == 400
        response = seller_a_client.get(reverse("seller:sourcing_rfqrecipient_changelist"), params)
        assert response.status_code == 400


def test_every_sourcing_list_filter_on_the_seller_site_is_scoped():
    sourcing_admins = [ma for model, ma in seller_site._registry.items() if model._meta.app_label == "sourcing"]
    assert {type(ma).__name__ for ma in sourcing_admins} == {"SellerRFQRecipientAdmin", "SellerQuoteAdmin"}
    for model_admin in sourcing_admins:
        assert isinstance(model_admin, SupplierScopedMixin)
        assert all(issubclass(inline, SupplierScopedMixin) for inline in model_admin.inlines)
        for item in model_admin.list_filter:
            name = item[0] if isinstance(item, tuple) else item
            field = model_admin.model._meta.get_field(name.split("__")[0])
            if field.is_relation and not is_tenant_owned(field.related_model):
                assert isinstance(item, tuple) and item[1] is admin.RelatedOnlyFieldListFilter, name


def test_non_sellers_cannot_open_the_seller_screens(client, buyer, a_recipient):
    client.force_login(buyer)
    response = client.get(recipient_url(a_recipient))
    assert response.status_code == 302 and "/seller/login/" in response.url


def test_a_second_seller_of_the_same_supplier_sees_the_same_rfq(client, supplier_a, a_recipient):
    colleague = MembershipFactory(supplier=supplier_a, user=UserFactory(email="colleague@example.com")).user
    client.force_login(colleague)
    assert SHARED_TITLE in body(client.get(recipient_url(a_recipient)))


# --- bounded queries ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 20])
def test_seller_lists_run_a_bounded_number_of_queries(seller_a_client, supplier_a, size, django_assert_max_num_queries):
    buyers = [BuyerFactory() for _ in range(3)]
    for n in range(size):
        rfq = make_rfq(buyers[n % 3], [supplier_a, SupplierFactory()], title=f"RFQ number {n}")
        if n % 2:
            services.quote_submit(
                recipient=rfq.recipients.get(supplier=supplier_a),
                currency="EUR",
                incoterm="FOB",
                lead_time_days=20,
                payment_terms="T/T",
                valid_until=today() + timedelta(days=5),
                lines=[
                    {"rfq_line": line.pk, "tiers": [{"min_quantity": 1, "unit_price": "2"}]} for line in rfq.lines.all()
                ],
            )
    with django_assert_max_num_queries(7):
        response = seller_a_client.get(reverse("seller:sourcing_rfqrecipient_changelist"))
    assert response.status_code == 200 and body(response).count("RFQ number") == size
    with django_assert_max_num_queries(7):
        response = seller_a_client.get(reverse("seller:sourcing_quote_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("lines", [1, 8])
def test_rfq_screen_runs_a_bounded_number_of_queries(
    seller_a_client, buyer, supplier_a, lines, django_assert_max_num_queries
):
    rfq = make_rfq(
        buyer, [supplier_a], lines=[{"product_name": f"Part {n}", "quantity": 100 + n} for n in range(lines)]
    )
    recipient = rfq.recipients.get()
    data = quote_data(rfq)
    seller_a_client.post(recipient_url(recipient), data)
    with django_assert_max_num_queries(12):
        assert seller_a_client.get(recipient_url(recipient)).status_code == 200


# --- operators (/admin/) -----------------------------------------------------------------------------------------


REQUIREMENTS_V1 = Requirements(product="bamboo cutting boards", quantity=5000, currency="EUR").model_dump(mode="json")


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


@pytest.fixture
def sourcing_request(buyer):
    request = SourcingRequest.objects.create(buyer=buyer, text="5000 bamboo cutting boards to Hamburg")
    RequirementsVersion.objects.create(
        request=request, number=1, data=REQUIREMENTS_V1, source=RequirementsSource.EXTRACTED
    )
    return request


def test_operator_pages_load_for_every_registered_sourcing_model(
    operator_client, sourcing_request, shared_rfq, b_recipient
):
    submit_b_quote(b_recipient)
    SourcingPlan.objects.create(
        request=sourcing_request,
        requirements=sourcing_request.requirement_versions.get(),
        status=PlanStatus.DONE,
        result={"options": [{"supplier": "Beta", "score": 0.8}]},
    )
    registered = [model for model in admin.site._registry if model._meta.app_label == "sourcing"]
    assert {m.__name__ for m in registered} >= {
        "SourcingRequest",
        "SourcingPlan",
        "RFQ",
        "Quote",
        "ExchangeRate",
        "FreightRate",
        "DutyRate",
        "MarketRequirement",
    }
    for model in registered:
        info = model._meta.app_label, model._meta.model_name
        response = operator_client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert response.status_code == 200, model
        obj = model.objects.first()
        assert obj is not None, model
        response = operator_client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        assert response.status_code == 200, model
        if admin.site._registry[model].has_add_permission(response.wsgi_request):
            assert operator_client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200, model
    plan_page = body(
        operator_client.get(reverse("admin:sourcing_sourcingplan_change", args=[SourcingPlan.objects.get().pk]))
    )
    assert "&quot;score&quot;: 0.8" in plan_page


def test_operators_cannot_edit_records_of_buyers_and_sellers(operator_client, shared_rfq, b_recipient):
    quote = submit_b_quote(b_recipient)
    for name, args in (("admin:sourcing_rfq_add", []), ("admin:sourcing_quote_delete", [quote.pk])):
        assert operator_client.get(reverse(name, args=args)).status_code == 403
    response = operator_client.post(
        reverse("admin:sourcing_quote_change", args=[quote.pk]), {"status": "accepted", "lead_time_days": 1}
    )
    assert response.status_code == 403
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SUBMITTED


def test_recompute_action_reports_what_happened(operator_client, buyer, sourcing_request):
    url = reverse("admin:sourcing_sourcingrequest_changelist")
    action = {"action": "recompute_plan_for_requests", "_selected_action": [sourcing_request.pk]}
    response = operator_client.post(url, action, follow=True)
    plan = SourcingPlan.objects.get()
    assert f"new plan {plan.pk} for requirements version 1" in body(response)

    plan_url = reverse("admin:sourcing_sourcingplan_changelist")
    response = operator_client.post(plan_url, {"action": "recompute_plan", "_selected_action": [plan.pk]}, follow=True)
    assert f"unchanged. Plan {plan.pk} already covers requirements version 1" in body(response)
    assert SourcingPlan.objects.count() == 1

    # A done plan stays as it was; changed requirements get a new plan.
    SourcingPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.DONE, result={"summary": "kept"})
    services.requirements_edit(
        request=sourcing_request, data={**REQUIREMENTS_V1, "quantity": 8000, "language": "en"}, user=buyer
    )
    response = operator_client.post(plan_url, {"action": "recompute_plan", "_selected_action": [plan.pk]}, follow=True)
    newest = SourcingPlan.objects.order_by("-pk").first()
    assert newest.pk != plan.pk and f"new plan {newest.pk} for requirements version 2" in body(response)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DONE and plan.result == {"summary": "kept"}

    empty = SourcingRequest.objects.create(buyer=buyer, text="nothing read yet")
    response = operator_client.post(url, {**action, "_selected_action": [empty.pk]}, follow=True)
    assert "This request has no requirements yet." in body(response)


def test_operators_edit_exchange_rates_in_the_list(operator_client):
    rates = list(ExchangeRate.objects.order_by("currency")[:100])
    eur = next(rate for rate in rates if rate.currency == "EUR")
    data = {"form-TOTAL_FORMS": len(rates), "form-INITIAL_FORMS": len(rates), "_save": "Save"}
    for index, rate in enumerate(rates):
        per_usd = "0.950000" if rate.pk == eur.pk else rate.per_usd
        data.update(
            {
                f"form-{index}-id": rate.pk,
                f"form-{index}-per_usd": per_usd,
                f"form-{index}-as_of": rate.as_of.isoformat(),
                f"form-{index}-source": rate.source,
            }
        )
    response = operator_client.post(reverse("admin:sourcing_exchangerate_changelist") + "?p=1", data)
    assert response.status_code == 302, body(response)[:3000]
    eur.refresh_from_db()
    assert eur.per_usd == Decimal("0.95")


def test_rfq_model_is_not_on_the_seller_site():
    assert RFQ not in seller_site._registry and SourcingRequest not in seller_site._registry
