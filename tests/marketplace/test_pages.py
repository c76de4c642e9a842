"""Buyer pages render what a buyer needs, in a bounded number of queries, and never 500 on junk input."""

import pytest
from django.urls import reverse

from marketplace.models import ProductStatus
from tests.factories import (
    AttributeFactory,
    CategoryFactory,
    CertificationFactory,
    ProductFactory,
    SupplierFactory,
    TranslationFactory,
)

pytestmark = pytest.mark.django_db


def make_catalog(size):
    parent = CategoryFactory(slug="tools", name="Tools & Hardware")
    leaf = CategoryFactory(slug="power-tools", name="Power Tools", parent=parent)
    supplier = SupplierFactory(
        verification_level="onsite", median_response_minutes=42, response_rate=95, response_sample_size=12
    )
    cert = CertificationFactory(supplier=supplier)
    for n in range(size):
        product = ProductFactory(category=leaf, supplier=supplier if n % 2 else SupplierFactory())
        product.certifications.add(cert) if product.supplier == supplier else None
        AttributeFactory(product=product, name="Voltage", value="18", unit="V")
        TranslationFactory(product=product)
    return parent, leaf, supplier


@pytest.mark.parametrize("size", [3, 30])
def test_category_page_query_count_is_bounded(client, django_assert_max_num_queries, size):
    parent, _leaf, _ = make_catalog(size)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("marketplace:category_detail", args=[parent.slug]))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == size


@pytest.mark.parametrize("size", [3, 30])
def test_home_page_query_count_is_bounded(client, django_assert_max_num_queries, size):
    make_catalog(size)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("marketplace:home")).status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_storefront_query_count_is_bounded(client, django_assert_max_num_queries, size):
    _, _, supplier = make_catalog(size)
    # 11: one of them reads the live sessions for every badge on the page (live.selectors.live_badges).
    with django_assert_max_num_queries(11):
        response = client.get(supplier.get_absolute_url())
    assert response.status_code == 200
    assert supplier.name in response.content.decode()


def test_product_page_shows_what_a_buyer_decides_on(client, django_assert_max_num_queries):
    _, leaf, supplier = make_catalog(1)
    product = ProductFactory(category=leaf, supplier=supplier, title="Brushless Cordless Drill 18V 60 N·m")
    AttributeFactory(product=product, name="Max Torque", value="60", unit="N·m")
    product.certifications.add(CertificationFactory(supplier=supplier, type="GS", number="GS-1"))
    # 10 for the product, 3 for each of "More from this supplier" and "Similar products" (list, translations, images).
    with django_assert_max_num_queries(16):
        response = client.get(product.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    for text in [
        "Brushless Cordless Drill 18V 60 N·m",
        "12.50",
        "11.00",
        "Max Torque",
        "60 N·m",
        "GS",
        supplier.name,
        "On-site checked",
        "Replies in about 42 min · 95% within 24 h · from 12 conversations in the last 30 days",
    ]:
        assert text in body, text


def test_expired_certificate_is_not_shown_as_valid(client):
    _, leaf, supplier = make_catalog(1)
    product = ProductFactory(category=leaf, supplier=supplier)
    import datetime

    expired = CertificationFactory(
        supplier=supplier,
        type="UL",
        number="UL-OLD",
        valid_from=datetime.date(2018, 1, 1),
        valid_until=datetime.date(2020, 1, 1),
    )
    product.certifications.add(expired)
    assert "UL-OLD" not in client.get(supplier.get_absolute_url()).content.decode()
    assert ">UL<" not in client.get(product.get_absolute_url()).content.decode()


def test_product_page_in_buyers_language(client):
    _, leaf, supplier = make_catalog(0)
    product = ProductFactory(category=leaf, supplier=supplier, title="Cordless Drill 18V")
    TranslationFactory(product=product, language="de", title="Akku-Bohrschrauber 18V")
    response = client.get(product.get_absolute_url(), headers={"accept-language": "de"})
    assert "Akku-Bohrschrauber 18V" in response.content.decode()


def test_language_switcher_switches_ui_and_category_names(client):
    CategoryFactory(slug="power-tools", name="Power Tools", names={"zh-hans": "电动工具"})
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    body = client.get(reverse("marketplace:home")).content.decode()
    assert "电动工具" in body
    assert "产品类目" in body  # the "Categories" heading from the zh-hans catalog


def test_draft_products_are_not_public(client):
    product = ProductFactory(status=ProductStatus.DRAFT)
    assert client.get(product.get_absolute_url()).status_code == 404


def test_wrong_slug_redirects_to_canonical_url(client):
    product = ProductFactory()
    response = client.get(reverse("marketplace:product_detail", args=[product.pk, "old-title"]))
    assert response.status_code == 301 and response.url == product.get_absolute_url()


@pytest.mark.parametrize(
    "query",
    ["page=abc", "page=1000000000", "page=-1", "sort=DROP%20TABLE", "kind=%00", "verified=yes"],
)
def test_junk_query_strings_give_a_normal_page(client, query):
    parent, _leaf, _ = make_catalog(2)
    assert client.get(f"{reverse('marketplace:category_detail', args=[parent.slug])}?{query}").status_code == 200


def test_unknown_pages_are_404(client, db):
    assert client.get("/categories/nope/").status_code == 404
    assert client.get("/suppliers/nope/").status_code == 404
    assert client.get("/products/999999/").status_code == 404


def test_empty_marketplace_has_empty_states(client, db):
    body = client.get(reverse("marketplace:home")).content.decode()
    assert "No products are published yet." in body
