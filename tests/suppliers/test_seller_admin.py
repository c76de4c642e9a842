"""Tenancy on /seller/: seller A never sees, chooses or changes supplier B's rows."""

import pytest
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from marketplace.models import PriceTier, Product
from suppliers.admin_scoping import seller_site
from suppliers.models import Certification
from tests.factories import CategoryFactory, CertificationFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_catalogs(supplier_a, supplier_b):
    category = CategoryFactory()
    return {
        "category": category,
        "a_product": ProductFactory(supplier=supplier_a, category=category, title="Alpha Cordless Drill 18V"),
        "b_product": ProductFactory(supplier=supplier_b, category=category, title="Beta Vacuum Tumbler"),
        "a_cert": CertificationFactory(supplier=supplier_a, number="CE-ALPHA"),
        "b_cert": CertificationFactory(supplier=supplier_b, number="CE-BETA"),
    }


def product_post_data(category, certifications=(), **overrides):
    data = {
        "title": "Alpha Impact Driver 20V Brushless",
        "category": category.pk,
        "language": "en",
        "description": "",
        "keywords": "",
        "external_id": "",
        "status": "draft",
        "moq": 50,
        "unit": "pieces",
        "currency": "USD",
        "lead_time_days": 20,
        "certifications": [c.pk for c in certifications],
    }
    for prefix in ("price_tiers", "attributes", "translations", "images"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update(overrides)
    return data


def test_non_seller_cannot_enter(client, buyer):
    client.force_login(buyer)
    response = client.get(reverse("seller:index"))
    assert response.status_code == 302 and "/seller/login/" in response.url


def test_seller_login_form_rejects_buyers(client, buyer, seller_a):
    response = client.post(reverse("seller:login"), {"username": buyer.email, "password": "pass-1234-word"})
    assert "does not belong to a supplier" in response.content.decode()
    response = client.post(reverse("seller:login"), {"username": seller_a.email, "password": "pass-1234-word"})
    assert response.status_code == 302


def test_changelist_shows_only_own_products(seller_a_client, two_catalogs):
    response = seller_a_client.get(reverse("seller:marketplace_product_changelist"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Alpha Cordless Drill 18V" in body
    assert "Beta Vacuum Tumbler" not in body


@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_other_suppliers_product_is_404(seller_a_client, two_catalogs, view):
    url = reverse(f"seller:marketplace_product_{view}", args=[two_catalogs["b_product"].pk])
    assert seller_a_client.get(url).status_code == 404


def test_other_suppliers_certificate_is_404(seller_a_client, two_catalogs):
    url = reverse("seller:suppliers_certification_change", args=[two_catalogs["b_cert"].pk])
    assert seller_a_client.get(url).status_code == 404


def test_storefront_is_own_supplier_only(seller_a_client, supplier_a, supplier_b):
    response = seller_a_client.get(reverse("seller:suppliers_supplier_changelist"))
    assert response.status_code == 302
    assert response.url == reverse("seller:suppliers_supplier_change", args=[supplier_a.pk])
    assert seller_a_client.get(reverse("seller:suppliers_supplier_change", args=[supplier_b.pk])).status_code == 404


def test_certificate_choices_are_own_only(seller_a_client, two_catalogs):
    body = seller_a_client.get(reverse("seller:marketplace_product_add")).content.decode()
    assert "CE-ALPHA" in body or 'name="certifications"' in body
    assert "CE-BETA" not in body


def test_autocomplete_never_returns_other_suppliers_certificates(seller_a_client, two_catalogs):
    response = seller_a_client.get(
        reverse("seller:autocomplete"),
        {"app_label": "marketplace", "model_name": "product", "field_name": "certifications", "term": "CE"},
    )
    assert response.status_code == 200
    numbers = {item["text"] for item in response.json()["results"]}
    assert numbers == {str(two_catalogs["a_cert"])}


def test_list_filter_offers_only_own_certificates(seller_a_client, two_catalogs):
    two_catalogs["a_product"].certifications.add(two_catalogs["a_cert"])
    two_catalogs["b_product"].certifications.add(two_catalogs["b_cert"])
    body = seller_a_client.get(reverse("seller:marketplace_product_changelist")).content.decode()
    assert "CE-ALPHA" in body
    assert "CE-BETA" not in body


def test_add_product_forces_own_supplier(seller_a_client, supplier_a, supplier_b, two_catalogs):
    data = product_post_data(two_catalogs["category"], supplier=supplier_b.pk)
    response = seller_a_client.post(reverse("seller:marketplace_product_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Product.objects.get(title="Alpha Impact Driver 20V Brushless")
    assert created.supplier == supplier_a


def test_crafted_post_with_other_suppliers_certificate_is_rejected(seller_a_client, two_catalogs):
    data = product_post_data(two_catalogs["category"], certifications=[two_catalogs["b_cert"]])
    response = seller_a_client.post(reverse("seller:marketplace_product_add"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Product.objects.filter(title="Alpha Impact Driver 20V Brushless").exists()


def test_crafted_post_to_other_suppliers_product_changes_nothing(seller_a_client, two_catalogs):
    b_product = two_catalogs["b_product"]
    data = product_post_data(two_catalogs["category"], title="Hijacked")
    response = seller_a_client.post(reverse("seller:marketplace_product_change", args=[b_product.pk]), data)
    assert response.status_code == 404
    b_product.refresh_from_db()
    assert b_product.title == "Beta Vacuum Tumbler"


def test_crafted_inline_post_cannot_move_other_suppliers_price_tier(seller_a_client, two_catalogs):
    a_product, b_product = two_catalogs["a_product"], two_catalogs["b_product"]
    b_tier = b_product.price_tiers.first()
    data = product_post_data(
        two_catalogs["category"],
        title=a_product.title,
        **{
            "price_tiers-TOTAL_FORMS": 1,
            "price_tiers-INITIAL_FORMS": 1,
            "price_tiers-0-id": b_tier.pk,
            "price_tiers-0-product": a_product.pk,
            "price_tiers-0-min_quantity": 100,
            "price_tiers-0-unit_price": "0.01",
        },
    )
    seller_a_client.post(reverse("seller:marketplace_product_change", args=[a_product.pk]), data)
    b_tier.refresh_from_db()
    assert b_tier.product_id == b_product.pk
    assert str(b_tier.unit_price) != "0.0100"


def test_bulk_action_with_other_suppliers_ids_touches_nothing(seller_a_client, two_catalogs):
    b_product = two_catalogs["b_product"]
    response = seller_a_client.post(
        reverse("seller:marketplace_product_changelist"),
        {"action": "unpublish_products", "_selected_action": [b_product.pk]},
    )
    assert response.status_code == 302
    b_product.refresh_from_db()
    assert b_product.status == "published"


def test_bulk_delete_with_other_suppliers_ids_deletes_nothing(seller_a_client, two_catalogs):
    b_product = two_catalogs["b_product"]
    seller_a_client.post(
        reverse("seller:marketplace_product_changelist"),
        {"action": "delete_selected", "_selected_action": [b_product.pk], "post": "yes"},
    )
    assert Product.objects.filter(pk=b_product.pk).exists()


def test_certificate_add_forces_supplier_and_rejects_duplicates(seller_a_client, supplier_a, two_catalogs):
    data = {
        "type": "CE",
        "number": "CE-ALPHA",
        "issuer": "SGS",
        "scope": "",
        "valid_from": "2025-01-01",
        "valid_until": "2099-01-01",
    }
    response = seller_a_client.post(reverse("seller:suppliers_certification_add"), data)
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    response = seller_a_client.post(reverse("seller:suppliers_certification_add"), {**data, "number": "CE-NEW"})
    assert response.status_code == 302
    assert Certification.objects.get(number="CE-NEW").supplier == supplier_a


def test_expired_certificate_is_refused(seller_a_client):
    data = {"type": "FDA", "number": "FDA-1", "issuer": "FDA", "valid_from": "2020-01-01", "valid_until": "2021-01-01"}
    response = seller_a_client.post(reverse("seller:suppliers_certification_add"), data)
    assert response.status_code == 200
    assert "expired on 2021-01-01" in response.content.decode()
    assert not Certification.objects.filter(number="FDA-1").exists()


def test_price_tier_rules_are_enforced(seller_a_client, two_catalogs):
    def tiers(*rows):
        data = {"price_tiers-TOTAL_FORMS": len(rows), "price_tiers-INITIAL_FORMS": 0}
        for i, (quantity, price) in enumerate(rows):
            data[f"price_tiers-{i}-min_quantity"] = quantity
            data[f"price_tiers-{i}-unit_price"] = price
        return data

    url = reverse("seller:marketplace_product_add")
    category = two_catalogs["category"]
    for rows, message in [
        ([(10, "5.00")], "below the minimum order quantity"),
        ([(50, "5.00"), (50, "4.00")], "duplicate"),
        ([(50, "5.00"), (100, "6.00")], "must not be higher"),
        ([(50, "-1")], "greater than or equal to"),
    ]:
        response = seller_a_client.post(url, product_post_data(category, **tiers(*rows)))
        assert response.status_code == 200, rows
        assert message in response.content.decode(), rows
    assert not Product.objects.filter(title="Alpha Impact Driver 20V Brushless").exists()
    assert PriceTier.objects.count() == 4  # only the fixtures' tiers


def test_moq_below_one_is_refused(seller_a_client, two_catalogs):
    response = seller_a_client.post(
        reverse("seller:marketplace_product_add"), product_post_data(two_catalogs["category"], moq=0)
    )
    assert response.status_code == 200
    assert not Product.objects.filter(title="Alpha Impact Driver 20V Brushless").exists()


def test_unknown_category_is_refused(seller_a_client, two_catalogs):
    data = product_post_data(two_catalogs["category"])
    data["category"] = 999999
    response = seller_a_client.post(reverse("seller:marketplace_product_add"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_seller_site_refuses_unscoped_model_admins():
    from django.contrib.auth.models import Group

    with pytest.raises(ImproperlyConfigured):
        seller_site.register(Group, admin.ModelAdmin)


def test_every_seller_admin_is_scoped():
    from suppliers.admin_scoping import SupplierScopedMixin

    assert len(seller_site._registry) >= 5
    for model_admin in seller_site._registry.values():
        assert isinstance(model_admin, SupplierScopedMixin)
        assert all(issubclass(inline, SupplierScopedMixin) for inline in model_admin.inlines)


@pytest.mark.parametrize("size", [3, 30])
def test_seller_product_changelist_query_count_is_bounded(
    seller_a_client, supplier_a, size, django_assert_max_num_queries
):
    category = CategoryFactory()
    cert = CertificationFactory(supplier=supplier_a)
    for _ in range(size):
        ProductFactory(supplier=supplier_a, category=category).certifications.add(cert)
    with django_assert_max_num_queries(12):
        response = seller_a_client.get(reverse("seller:marketplace_product_changelist"))
    assert response.status_code == 200


def test_editing_a_checked_certificate_withdraws_the_check(seller_a_client, supplier_a):
    from django.utils import timezone

    cert = CertificationFactory(supplier=supplier_a, number="CE-1", verified_at=timezone.now())
    data = {
        "type": "CE",
        "number": "CE-2",
        "issuer": cert.issuer,
        "scope": "",
        "valid_from": cert.valid_from.isoformat(),
        "valid_until": cert.valid_until.isoformat(),
    }
    response = seller_a_client.post(reverse("seller:suppliers_certification_change", args=[cert.pk]), data)
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.number == "CE-2" and cert.verified_at is None
