"""Operators see everything at /admin/ and verify suppliers through the service."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from suppliers.services import supplier_verify

pytestmark = pytest.mark.django_db


def test_operator_sees_all_suppliers(client, operator, supplier_a, supplier_b):
    client.force_login(operator)
    body = client.get(reverse("admin:suppliers_supplier_changelist")).content.decode()
    assert supplier_a.name in body and supplier_b.name in body


def test_operator_verifies_suppliers_with_an_action(client, operator, supplier_a, supplier_b):
    client.force_login(operator)
    response = client.post(
        reverse("admin:suppliers_supplier_changelist"),
        {"action": "verify_onsite", "_selected_action": [supplier_a.pk]},
    )
    assert response.status_code == 302
    supplier_a.refresh_from_db()
    supplier_b.refresh_from_db()
    assert supplier_a.verification_level == "onsite" and supplier_a.verified_by == operator
    assert supplier_a.verified_at is not None
    assert supplier_b.verification_level == "unverified"


def test_only_staff_can_verify(supplier_a, seller_a):
    with pytest.raises(ValidationError):
        supplier_verify(supplier=supplier_a, level="onsite", operator=seller_a)


def test_sellers_cannot_use_operator_admin(client, seller_a):
    client.force_login(seller_a)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_seller_cannot_change_own_verification_or_metrics(seller_a_client, supplier_a):
    url = reverse("seller:suppliers_supplier_change", args=[supplier_a.pk])
    data = {
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
        "verification_level": "assessed",
        "response_rate": "100",
    }
    response = seller_a_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    supplier_a.refresh_from_db()
    assert supplier_a.about == "We make drills."
    assert supplier_a.verification_level == "unverified" and supplier_a.response_rate is None


def test_operator_cannot_attach_another_suppliers_certificate(client, operator, supplier_a, supplier_b):
    from marketplace.models import Product
    from tests.factories import CategoryFactory, CertificationFactory

    category = CategoryFactory()
    b_cert = CertificationFactory(supplier=supplier_b, number="CE-BETA")
    data = {
        "supplier": supplier_a.pk,
        "title": "Alpha Drill",
        "category": category.pk,
        "language": "en",
        "description": "",
        "keywords": "",
        "external_id": "",
        "status": "draft",
        "moq": 10,
        "unit": "pieces",
        "currency": "USD",
        "lead_time_days": 10,
        "certifications": [b_cert.pk],
    }
    for prefix in ("price_tiers", "attributes", "translations", "images"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    client.force_login(operator)
    response = client.post(reverse("admin:marketplace_product_add"), data)
    assert response.status_code == 200
    assert "belong to another supplier" in response.content.decode()
    assert not Product.objects.filter(title="Alpha Drill").exists()
    data["certifications"] = []
    assert client.post(reverse("admin:marketplace_product_add"), data).status_code == 302
