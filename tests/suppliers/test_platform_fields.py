"""Fields the platform grants or computes (Silkway Order Protection, verification, metrics, figure shares,
leaderboard standing) are never the seller's to set: read-only on the seller site, no API write; operators set
Order Protection and verification at /admin/."""

from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from suppliers.admin import PLATFORM_GRANTED
from suppliers.admin_scoping import seller_site
from suppliers.models import Supplier

pytestmark = pytest.mark.django_db

PROFILE = {
    "name": "Alpha Tools Co., Ltd.",
    "kind": "factory",
    "about": "We make drills.",
    "country": "CN",
    "region": "Ningbo",
    "city": "",
    "export_markets": "[]",
    "languages": "[]",
    "invention_patents": 0,
    "utility_patents": 0,
    "design_patents": 0,
}
# What a crafted POST would try to grant itself.
GRANTS = {
    "trade_assurance": "on",
    "verification_level": "assessed",
    "verified_at_0": "2025-01-01",
    "verified_at_1": "10:00:00",
    "verified_by": "1",
    "response_rate": "100",
    "median_response_minutes": "1",
    "on_time_delivery_rate": "100",
    "dispute_rate": "0",
    "repeat_buyer_rate": "100",
    "rating_average": "5",
    "rating_count": "999",
    "metrics_updated_at_0": "2025-01-01",
    "metrics_updated_at_1": "10:00:00",
    "rd_spend_share": "99",
    "main_business_revenue_share": "99",
    "leaderboard_standing": "1",
}


def platform_values(supplier):
    supplier.refresh_from_db()
    return {field: getattr(supplier, field) for field in PLATFORM_GRANTED}


def test_every_platform_granted_field_is_a_supplier_field():
    names = {field.name for field in Supplier._meta.get_fields()}
    assert set(PLATFORM_GRANTED) <= names
    assert {"trade_assurance", "verification_level", "leaderboard_standing", "rating_average"} <= set(PLATFORM_GRANTED)


def test_seller_form_has_no_platform_granted_field(seller_a, supplier_a):
    request = RequestFactory().get("/seller/")
    request.user = seller_a
    storefront = seller_site._registry[Supplier]
    form_class = storefront.get_form(request, supplier_a)
    assert form_class.base_fields, "the storefront form has fields"
    assert not set(form_class.base_fields) & set(PLATFORM_GRANTED)
    # Every inline on the storefront, if one is added later, edits no platform-granted field of the supplier.
    for inline in storefront.get_inline_instances(request, supplier_a):
        assert inline.model is not Supplier


def test_seller_cannot_grant_itself_order_protection_verification_or_metrics(seller_a_client, supplier_a):
    before = platform_values(supplier_a)
    assert before["trade_assurance"] is False and before["verification_level"] == "unverified"
    url = reverse("seller:suppliers_supplier_change", args=[supplier_a.pk])
    response = seller_a_client.post(url, {**PROFILE, **GRANTS})
    assert response.status_code == 302, response.content.decode()[:2000]
    supplier_a.refresh_from_db()
    assert supplier_a.about == "We make drills."  # the profile part of the POST was saved
    assert platform_values(supplier_a) == before


def test_seller_sees_order_protection_read_only(seller_a_client, supplier_a):
    Supplier.objects.filter(pk=supplier_a.pk).update(trade_assurance=True)
    page = seller_a_client.get(reverse("seller:suppliers_supplier_change", args=[supplier_a.pk])).content.decode()
    assert "Silkway Order Protection" in page and "Trade Assurance" not in page
    assert 'name="trade_assurance"' not in page and 'name="verification_level"' not in page


def test_operator_grants_and_withdraws_order_protection(client, operator, supplier_a):
    client.force_login(operator)
    url = reverse("admin:suppliers_supplier_change", args=[supplier_a.pk])
    page = client.get(url).content.decode()
    assert 'name="trade_assurance"' in page and "Silkway Order Protection" in page
    data = {
        **PROFILE,
        "slug": supplier_a.slug,
        "verification_level": "unverified",
        "trade_assurance": "on",
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
        "certifications-TOTAL_FORMS": 0,
        "certifications-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    supplier_a.refresh_from_db()
    assert supplier_a.trade_assurance is True
    data.pop("trade_assurance")
    assert client.post(url, data).status_code == 302
    supplier_a.refresh_from_db()
    assert supplier_a.trade_assurance is False


def test_operator_still_cannot_type_metrics(client, operator, supplier_a):
    client.force_login(operator)
    url = reverse("admin:suppliers_supplier_change", args=[supplier_a.pk])
    data = {
        **PROFILE,
        "slug": supplier_a.slug,
        "verification_level": "unverified",
        "response_rate": "100",
        "rating_average": "5",
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
        "certifications-TOTAL_FORMS": 0,
        "certifications-INITIAL_FORMS": 0,
    }
    assert client.post(url, data).status_code == 302
    supplier_a.refresh_from_db()
    assert supplier_a.response_rate is None and supplier_a.rating_average is None


def test_supplier_api_has_no_write_for_sellers(seller_a_api, supplier_a):
    Supplier.objects.filter(pk=supplier_a.pk).update(response_rate=Decimal("40"), metrics_updated_at=timezone.now())
    before = platform_values(supplier_a)
    detail = f"/api/v1/suppliers/{supplier_a.slug}/"
    for method, url in (("patch", detail), ("put", detail), ("post", "/api/v1/suppliers/"), ("delete", detail)):
        response = getattr(seller_a_api, method)(url, {"trade_assurance": True, "response_rate": "100"}, format="json")
        assert response.status_code == 405, (method, response.status_code)
    # The account endpoint ignores supplier fields.
    seller_a_api.patch("/api/v1/me/", {"trade_assurance": True, "supplier": {"trade_assurance": True}}, format="json")
    assert platform_values(supplier_a) == before


def test_badge_and_facet_say_silkway_order_protection(client, supplier_a):
    from django.template.loader import render_to_string

    supplier_a.trade_assurance = True
    html = render_to_string("partials/supplier_badges.html", {"supplier": supplier_a})
    assert "Silkway Order Protection" in html and "Trade Assurance" not in html
    assert str(Supplier._meta.get_field("trade_assurance").verbose_name) == "Silkway Order Protection"


def test_order_protection_label_in_chinese():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert str(Supplier._meta.get_field("trade_assurance").verbose_name) == "Silkway 交易保障"
