"""Response commitments: sellers set their own on /seller/ (never another supplier's), the derived figures are read
only with an explanation, bad hours get clear messages, buyers read both in words (storefront, a card, the API)."""

from datetime import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from suppliers import display
from suppliers.models import Supplier
from tests.factories import CategoryFactory, ProductFactory, SupplierFactory
from tests.suppliers.test_platform_fields import PROFILE

pytestmark = pytest.mark.django_db

COMMITMENT = {
    "response_commitment_minutes": "120",
    "response_hours_start": "09:00",
    "response_hours_end": "18:00",
    "response_timezone": "Asia/Shanghai",
}


def kept(**fields):
    values = {
        "response_rate": Decimal("94"),
        "median_response_minutes": 118,
        "response_sample_size": 37,
        "response_commitment_minutes": 120,
        "response_hours_start": time(9),
        "response_hours_end": time(18),
        "commitment_kept_rate": Decimal("96"),
        "commitment_sample_size": 37,
        "commitment_kept": True,
    }
    return {**values, **fields}


def test_seller_sets_its_own_commitment_and_it_is_measured_at_once(
    seller_a_client, supplier_a, django_capture_on_commit_callbacks
):
    Supplier.objects.filter(pk=supplier_a.pk).update(response_sample_size=3)
    url = reverse("seller:suppliers_supplier_change", args=[supplier_a.pk])
    page = seller_a_client.get(url).content.decode()
    assert 'name="response_commitment_minutes"' in page and "at least 90% of at least 5 conversations" in page
    assert 'name="commitment_kept"' not in page and 'name="response_sample_size"' not in page  # read-only
    crafted = {"commitment_kept": "true", "commitment_kept_rate": "100", "commitment_sample_size": "99"}
    with django_capture_on_commit_callbacks(execute=True):
        response = seller_a_client.post(url, {**PROFILE, **COMMITMENT, **crafted})
    assert response.status_code == 302, response.content.decode()[:2000]
    supplier_a.refresh_from_db()
    assert (supplier_a.response_commitment_minutes, supplier_a.response_hours_start) == (120, time(9))
    # Measured by conversations.metrics right after the commit: no conversations, so too few to tell.
    assert (supplier_a.commitment_kept, supplier_a.commitment_sample_size) == (None, 0)
    assert supplier_a.metrics_updated_at is not None


def test_seller_cannot_change_another_suppliers_commitment(seller_a_client, supplier_a, supplier_b):
    url = reverse("seller:suppliers_supplier_change", args=[supplier_b.pk])
    assert seller_a_client.get(url).status_code == 404
    assert seller_a_client.post(url, {**PROFILE, **COMMITMENT}).status_code == 404
    supplier_b.refresh_from_db()
    assert supplier_b.response_commitment_minutes is None


@pytest.mark.parametrize(
    "hours, field, message",
    [
        ({"response_hours_start": "18:00", "response_hours_end": "09:00"}, "response_hours_end", "end after"),
        ({"response_hours_start": "09:00", "response_hours_end": ""}, "response_hours_end", "both ends"),
        ({"response_hours_start": "09:00", "response_hours_end": "09:30"}, "response_hours_end", "one hour"),
        ({"response_commitment_minutes": ""}, "response_commitment_minutes", "only count for a response"),
        ({"response_timezone": "Mars/Olympus"}, "response_timezone", "Select a valid choice"),
    ],
)
def test_bad_hours_get_a_clear_message_and_change_nothing(seller_a_client, supplier_a, hours, field, message):
    url = reverse("seller:suppliers_supplier_change", args=[supplier_a.pk])
    response = seller_a_client.post(url, {**PROFILE, **COMMITMENT, **hours})
    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors[field])
    supplier_a.refresh_from_db()
    assert supplier_a.response_commitment_minutes is None


def test_database_refuses_insane_values(supplier_a):
    for values in (
        {"response_commitment_minutes": 7},
        {"response_hours_start": time(18), "response_hours_end": time(9)},
        {"commitment_kept": True},  # figures without a commitment
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Supplier.objects.filter(pk=supplier_a.pk).update(**values)
    with pytest.raises(ValidationError) as error:
        Supplier(name="X", kind="factory", **{**kept(), "response_hours_end": time(8)}).clean()
    assert "response_hours_end" in error.value.message_dict


def test_operator_sees_the_figures_read_only(client, operator, supplier_a):
    Supplier.objects.filter(pk=supplier_a.pk).update(**kept())
    client.force_login(operator)
    page = client.get(reverse("admin:suppliers_supplier_change", args=[supplier_a.pk])).content.decode()
    assert 'name="response_commitment_minutes"' in page
    assert 'name="commitment_kept_rate"' not in page and "96.00" in page


def test_words_for_kept_broken_too_few_and_none():
    with translation.override("en"):
        supplier = Supplier(**kept())
        assert display.response_summary(supplier) == (
            "Replies in about 2 h · 94% within 24 h · from 37 conversations in the last 30 days"
        )
        assert display.commitment_summary(supplier) == (
            "Commits to answer within 2 h, 9:00–18:00 China time (Mon–Fri) — kept: 96% of 37"
        )
        broken = Supplier(**kept(commitment_kept=False, commitment_kept_rate=Decimal("41"), commitment_sample_size=22))
        assert display.commitment_summary(broken).endswith("— not kept lately: 41% of 22")
        few = Supplier(**kept(commitment_kept=None, response_hours_start=None, response_hours_end=None))
        assert display.commitment_summary(few) == (
            "Commits to answer within 2 h, around the clock — too few conversations to tell"
        )
        one = Supplier(response_rate=Decimal(0), response_sample_size=1, response_timezone="Europe/Berlin")
        assert display.response_summary(one) == "0% answered within 24 h · from 1 conversation in the last 30 days"
        assert display.commitment_summary(one) == "" and display.zone_text("Europe/Berlin") == "Berlin time"
        assert display.response_summary(Supplier()) == "No conversations in the last 30 days yet"


def test_storefront_and_card_say_it_in_words(client):
    supplier = SupplierFactory(
        **kept(commitment_kept=False, commitment_kept_rate=Decimal("41"), commitment_sample_size=22)
    )
    product = ProductFactory(supplier=supplier, category=CategoryFactory())
    page = client.get(supplier.get_absolute_url()).content.decode()
    assert "Replies in about 2 h · 94% within 24 h · from 37 conversations in the last 30 days" in page
    assert "9:00–18:00 China time (Mon–Fri) — not kept lately: 41% of 22" in page
    card = render_to_string("partials/product_card.html", {"product": product})
    assert "from 37 conversations in the last 30 days" in card and "commitment-broken" in card


def test_api_exposes_figures_sample_and_commitment(api):
    supplier = SupplierFactory(**kept())
    data = api.get(f"/api/v1/suppliers/{supplier.slug}/").json()
    assert data["response_sample_size"] == 37 and data["commitment_sample_size"] == 37
    assert data["response_commitment_minutes"] == 120 and data["response_hours_start"] == "09:00:00"
    assert data["response_timezone"] == "Asia/Shanghai" and data["commitment_kept"] is True
    assert data["commitment_kept_rate"] == "96.00" and data["commitment_state"] == "kept"
    assert data["commitment_summary"].endswith("kept: 96% of 37")
    listed = api.get("/api/v1/suppliers/").json()
    assert listed["results"][0]["commitment_state"] == "kept"
