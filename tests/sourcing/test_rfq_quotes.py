"""RFQs and quotes through the services: sending (capped, by fit, never to oneself), structured quotes and their
bad input, the buyer's decisions, one acceptance per RFQ, the comparison on one basis, and e-mails."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from sourcing import services
from sourcing.comparison import quote_comparison
from sourcing.models import (
    RFQ,
    Answer,
    Quote,
    QuoteStatus,
    RecipientStatus,
    RFQRecipient,
    RFQStatus,
)
from sourcing.selectors import rfq_get_for_buyer
from tests.factories import MembershipFactory, SupplierFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


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
        "requirements": [{"key": "cert:FSC", "label": "FSC certificate"}, {"key": "custom:logo", "label": "Logo"}],
    }
    fields.update(overrides)
    return services.rfq_create(**fields)


def quote_fields(recipient, **overrides):
    line = recipient.rfq.lines.get()
    fields = {
        "recipient": recipient,
        "currency": "USD",
        "incoterm": "FOB",
        "lead_time_days": 30,
        "payment_terms": "T/T 30/70",
        "valid_until": TODAY() + timedelta(days=30),
        "lines": [
            {
                "rfq_line": line.pk,
                "tiers": [{"min_quantity": 1000, "unit_price": "4.40"}, {"min_quantity": 2000, "unit_price": "4.10"}],
            }
        ],
        "answers": [{"key": "cert:FSC", "answer": "meets"}, {"key": "custom:logo", "answer": "meets"}],
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def sent_rfq(buyer, supplier_a, supplier_b, seller_a, seller_b, committed):
    rfq = make_rfq(buyer)
    with committed():
        return services.rfq_send(rfq=rfq, buyer=buyer, supplier_ids=[supplier_a.pk, supplier_b.pk])


def recipient_of(rfq, supplier):
    return RFQRecipient.objects.get(rfq=rfq, supplier=supplier)


def test_send_creates_one_invitation_per_supplier_and_emails_their_staff(sent_rfq, supplier_a, supplier_b):
    assert sent_rfq.status == RFQStatus.SENT and sent_rfq.sent_at
    assert set(sent_rfq.recipients.values_list("supplier_id", flat=True)) == {supplier_a.pk, supplier_b.pk}
    assert sorted(m.to[0] for m in mail.outbox) == ["seller-a@example.com", "seller-b@example.com"]
    assert "Bamboo cutting boards" in mail.outbox[0].subject


def test_send_refuses_more_than_the_cap_unknown_suppliers_and_a_second_send(buyer, supplier_a):
    rfq = make_rfq(buyer)
    many = [SupplierFactory().pk for _ in range(services.RFQ_MAX_RECIPIENTS + 1)]
    with pytest.raises(ValidationError, match="at most"):
        services.rfq_send(rfq=rfq, buyer=buyer, supplier_ids=many)
    with pytest.raises(ValidationError, match="Unknown supplier"):
        services.rfq_send(rfq=rfq, buyer=buyer, supplier_ids=[supplier_a.pk, 10**9])
    with pytest.raises(ValidationError, match="at least one"):
        services.rfq_send(rfq=rfq, buyer=buyer, supplier_ids=[])
    assert not RFQRecipient.objects.exists()
    services.rfq_send(rfq=rfq, buyer=buyer, supplier_ids=[supplier_a.pk])
    with pytest.raises(ValidationError, match="already sent"):
        services.rfq_send(rfq=rfq, buyer=buyer, supplier_ids=[supplier_a.pk])


def test_another_buyer_cannot_send_or_cancel_an_rfq(buyer, other_buyer, supplier_a):
    rfq = make_rfq(buyer)
    with pytest.raises(ValidationError, match="not yours"):
        services.rfq_send(rfq=rfq, buyer=other_buyer, supplier_ids=[supplier_a.pk])
    with pytest.raises(ValidationError, match="not yours"):
        services.rfq_cancel(rfq=rfq, buyer=other_buyer)
    assert RFQ.objects.get(pk=rfq.pk).status == RFQStatus.DRAFT


def test_a_seller_cannot_send_an_rfq_to_its_own_company(supplier_a):
    seller_buyer = MembershipFactory(supplier=supplier_a, user=UserFactory(email="both@example.com")).user
    rfq = make_rfq(seller_buyer)
    with pytest.raises(ValidationError, match="own company"):
        services.rfq_send(rfq=rfq, buyer=seller_buyer, supplier_ids=[supplier_a.pk])


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": " "}, "title"),
        ({"currency": "XXX"}, "currency"),
        ({"incoterm": "FOBB"}, "incoterm"),
        ({"quote_deadline": TODAY()}, "quote_deadline"),
        ({"lines": []}, "lines"),
        ({"lines": [{"product_name": "Boards", "quantity": 0}]}, "lines"),
        ({"lines": [{"product_name": "Boards", "quantity": 10**15}]}, "lines"),
        ({"lines": [{"product_name": "Boards", "quantity": 5, "target_unit_price": "-1"}]}, "lines"),
    ],
)
def test_bad_rfqs_are_refused_with_a_field_message_and_nothing_saved(buyer, overrides, field):
    with pytest.raises(ValidationError) as caught:
        make_rfq(buyer, **overrides)
    assert field in caught.value.message_dict
    assert not RFQ.objects.exists()


def test_a_quote_is_structured_and_the_buyer_is_emailed(sent_rfq, supplier_a, committed):
    mail.outbox.clear()
    with committed():
        quote = services.quote_submit(**quote_fields(recipient_of(sent_rfq, supplier_a)))
    assert quote.supplier == supplier_a and quote.status == QuoteStatus.SUBMITTED
    assert [(t.min_quantity, t.unit_price) for t in quote.lines.get().tiers.all()] == [
        (1000, Decimal("4.4000")),
        (2000, Decimal("4.1000")),
    ]
    assert set(quote.answers.values_list("key", "answer")) == {("cert:FSC", "meets"), ("custom:logo", "meets")}
    assert recipient_of(sent_rfq, supplier_a).status == RecipientStatus.QUOTED
    assert mail.outbox[-1].to == ["buyer@example.com"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"tiers": [{"min_quantity": 2000, "unit_price": "4"}, {"min_quantity": 1000, "unit_price": "5"}]}, "smallest"),
        (
            {"tiers": [{"min_quantity": 100, "unit_price": "4"}, {"min_quantity": 1000, "unit_price": "5"}]},
            "cannot cost more",
        ),
        ({"tiers": [{"min_quantity": 100, "unit_price": "0"}]}, "above zero"),
        ({"tiers": []}, "at least one price"),
    ],
)
def test_bad_price_tiers_are_refused_and_nothing_is_saved(sent_rfq, supplier_a, change, message):
    fields = quote_fields(recipient_of(sent_rfq, supplier_a))
    fields["lines"][0].update(change)
    with pytest.raises(ValidationError, match=message):
        services.quote_submit(**fields)
    assert not Quote.objects.exists()
    assert recipient_of(sent_rfq, supplier_a).status == RecipientStatus.INVITED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"valid_until": TODAY() - timedelta(days=1)}, "valid_until"),
        ({"currency": "ABC"}, "currency"),
        ({"incoterm": "XYZ"}, "incoterm"),
        ({"lead_time_days": 0}, "lead_time_days"),
        ({"payment_terms": ""}, "payment_terms"),
        ({"answers": [{"key": "cert:FSC", "answer": "maybe"}]}, "answers"),
        ({"answers": [{"key": "cert:FSC", "answer": "alternative"}]}, "answers"),
        ({"lines": []}, "lines"),
    ],
)
def test_bad_quotes_are_refused_with_field_messages(sent_rfq, supplier_a, overrides, field):
    with pytest.raises(ValidationError) as caught:
        services.quote_submit(**quote_fields(recipient_of(sent_rfq, supplier_a), **overrides))
    assert field in caught.value.message_dict
    assert not Quote.objects.exists()


def test_no_quote_on_a_cancelled_or_closed_rfq_or_after_declining(sent_rfq, buyer, supplier_a, supplier_b):
    services.rfq_decline(recipient=recipient_of(sent_rfq, supplier_b), reason="Fully booked")
    with pytest.raises(ValidationError, match="declined"):
        services.quote_submit(**quote_fields(recipient_of(sent_rfq, supplier_b)))
    RFQ.objects.filter(pk=sent_rfq.pk).update(status=RFQStatus.CANCELLED)
    with pytest.raises(ValidationError, match="closed to quotes"):
        services.quote_submit(**quote_fields(recipient_of(sent_rfq, supplier_a)))


def test_a_quote_can_be_revised_until_the_buyer_decides(sent_rfq, buyer, supplier_a):
    recipient = recipient_of(sent_rfq, supplier_a)
    first = services.quote_submit(**quote_fields(recipient))
    revised = services.quote_submit(**quote_fields(recipient, lead_time_days=21))
    assert revised.pk == first.pk and revised.lead_time_days == 21 and Quote.objects.count() == 1
    services.quote_shortlist(quote=revised, buyer=buyer)
    with pytest.raises(ValidationError, match="already decided"):
        services.quote_submit(**quote_fields(recipient, lead_time_days=14))


def test_only_one_quote_is_ever_accepted(sent_rfq, buyer, other_buyer, supplier_a, supplier_b, committed):
    quote_a = services.quote_submit(**quote_fields(recipient_of(sent_rfq, supplier_a)))
    quote_b = services.quote_submit(**quote_fields(recipient_of(sent_rfq, supplier_b)))
    with pytest.raises(ValidationError, match="not for your RFQ"):
        services.quote_accept(quote=quote_a, buyer=other_buyer)
    with committed():
        services.quote_accept(quote=quote_a, buyer=buyer)
    with pytest.raises(ValidationError, match="closed"):
        services.quote_accept(quote=quote_b, buyer=buyer)
    with pytest.raises(ValidationError):
        services.quote_accept(quote=quote_a, buyer=buyer)
    assert list(Quote.objects.filter(status=QuoteStatus.ACCEPTED)) == [quote_a]
    assert RFQ.objects.get(pk=sent_rfq.pk).status == RFQStatus.CLOSED
    assert any("accepted" in m.subject for m in mail.outbox if m.to == ["seller-a@example.com"])


def test_comparison_brings_quotes_to_one_currency_and_delivery_basis(sent_rfq, buyer, supplier_a, supplier_b):
    services.quote_submit(**quote_fields(recipient_of(sent_rfq, supplier_a)))  # USD FOB: freight and duty added
    ddp = quote_fields(recipient_of(sent_rfq, supplier_b), currency="EUR", incoterm="DDP")
    ddp["lines"][0]["tiers"] = [{"min_quantity": 500, "unit_price": "4.50"}]
    services.quote_submit(**ddp)
    table = quote_comparison(rfq_get_for_buyer(buyer=buyer, pk=sent_rfq.pk))
    by_supplier = {c["supplier"].pk: c for c in table["columns"]}
    fob, delivered = by_supplier[supplier_a.pk], by_supplier[supplier_b.pk]
    # 4.10 USD at 2,000 pcs in EUR at the shipped reference rate (0.92 EUR per USD).
    assert fob["lines"][0]["converted"] == Decimal("3.7720")
    assert fob["goods"] == Decimal("7544.00")
    assert fob["freight"] > 0 and fob["duty"] > 0  # EU: sea freight estimate and default duty
    assert fob["landed"] == fob["goods"] + fob["freight"] + fob["duty"]
    assert delivered["freight"] == 0 and delivered["duty"] == 0 and delivered["landed"] == Decimal("9000.00")
    assert fob["best"] is (fob["landed"] < delivered["landed"])
    assert [row["item"]["key"] for row in table["requirements"]] == ["cert:FSC", "custom:logo"]


def test_comparison_shows_silences_and_declines_as_gaps(sent_rfq, buyer, supplier_a, supplier_b):
    services.rfq_decline(recipient=recipient_of(sent_rfq, supplier_b), reason="No capacity")
    table = quote_comparison(rfq_get_for_buyer(buyer=buyer, pk=sent_rfq.pk))
    gaps = {c["supplier"].pk: c["gap"] for c in table["columns"]}
    assert "No capacity" in gaps[supplier_b.pk]
    assert "No quote yet" in gaps[supplier_a.pk]


def test_alternative_answers_need_a_description(sent_rfq, supplier_a):
    fields = quote_fields(
        recipient_of(sent_rfq, supplier_a),
        answers=[{"key": "cert:FSC", "answer": Answer.ALTERNATIVE, "note": "PEFC instead of FSC"}],
    )
    quote = services.quote_submit(**fields)
    assert quote.answers.get().note == "PEFC instead of FSC"


def test_reference_products_must_be_published_products(buyer):
    for reference in (10**9, 2**70, "12"):
        with pytest.raises(ValidationError) as caught:
            make_rfq(buyer, lines=[{"product_name": "Boards", "quantity": 5, "reference_product_id": reference}])
        assert "lines" in caught.value.message_dict
    assert not RFQ.objects.exists()


def test_an_absurd_supplier_id_is_an_unknown_supplier_not_an_error(buyer):
    rfq = make_rfq(buyer)
    with pytest.raises(ValidationError, match="Unknown supplier"):
        services.rfq_send(rfq=rfq, buyer=buyer, supplier_ids=[10**30])
    assert RFQ.objects.get(pk=rfq.pk).status == RFQStatus.DRAFT


def test_a_draft_that_was_never_sent_can_be_cancelled(buyer):
    rfq = make_rfq(buyer)
    services.rfq_cancel(rfq=rfq, buyer=buyer)
    rfq.refresh_from_db()
    assert rfq.status == RFQStatus.CANCELLED and rfq.sent_at is None
