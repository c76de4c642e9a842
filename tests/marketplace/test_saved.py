"""Saved products and suppliers on the web, recently viewed, more from the supplier and similar products."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.models import Favorite, ProductStatus
from tests.factories import CategoryFactory, ProductFactory, SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def drills(supplier_a, supplier_b):
    category = CategoryFactory(name="Power Tools", slug="power-tools")
    return {
        "mine": ProductFactory(supplier=supplier_a, category=category, title="Alpha Cordless Drill"),
        "sibling": ProductFactory(supplier=supplier_a, category=category, title="Alpha Impact Driver"),
        "rival": ProductFactory(supplier=supplier_b, category=category, title="Beta Cordless Drill"),
        "elsewhere": ProductFactory(supplier=supplier_b, title="Beta Kettle"),
    }


def toggle(client, next_url, **target):
    return client.post(reverse("marketplace:save_toggle"), {**target, "next": next_url})


def test_a_buyer_saves_and_unsaves_a_product_and_a_supplier(client, buyer, drills, supplier_b):
    client.force_login(buyer)
    page = drills["mine"].get_absolute_url()
    assert toggle(client, page, product=drills["mine"].pk).url == page
    assert "♥" in client.get(page).content.decode()
    toggle(client, supplier_b.get_absolute_url(), supplier=supplier_b.pk)
    saved = client.get(reverse("marketplace:saved")).content.decode()
    assert "Alpha Cordless Drill" in saved and supplier_b.name in saved

    toggle(client, page, product=drills["mine"].pk)
    assert not Favorite.objects.filter(user=buyer, product=drills["mine"]).exists()
    assert Favorite.objects.filter(user=buyer, supplier=supplier_b).exists()


def test_saved_lists_are_the_buyers_own(client, buyer, other_buyer, drills):
    client.force_login(other_buyer)
    toggle(client, "/", product=drills["rival"].pk)
    client.force_login(buyer)
    assert "Beta Cordless Drill" not in client.get(reverse("marketplace:saved")).content.decode()


@pytest.mark.parametrize(
    "data",
    [{}, {"product": "abc"}, {"product": 999999}, {"product": "PRODUCT", "supplier": "SUPPLIER"}],
)
def test_bad_save_requests_change_nothing(client, buyer, drills, supplier_a, data):
    data = {
        k: drills["mine"].pk if v == "PRODUCT" else supplier_a.pk if v == "SUPPLIER" else v for k, v in data.items()
    }
    client.force_login(buyer)
    response = toggle(client, "https://evil.example/", **data)
    assert response.status_code == 302 and response.url == reverse("marketplace:saved")
    assert not Favorite.objects.exists()


def test_a_draft_cannot_be_saved_and_a_signed_out_visitor_signs_in_first(client, buyer, drills):
    drills["mine"].status = ProductStatus.DRAFT
    drills["mine"].save()
    response = toggle(client, "/", product=drills["rival"].pk)
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    client.force_login(buyer)
    toggle(client, "/", product=drills["mine"].pk)
    assert not Favorite.objects.exists()


def test_recently_viewed_follows_the_visitor_without_an_account(client, drills):
    for name in ("rival", "mine", "rival"):
        client.get(drills[name].get_absolute_url())
    home = client.get(reverse("marketplace:home")).content.decode()
    section = home[home.index("Recently viewed") :]
    assert section.index("Beta Cordless Drill") < section.index("Alpha Cordless Drill")
    assert section.count("Beta Cordless Drill") == 1


def test_a_tampered_recently_viewed_cookie_is_ignored(client, drills):
    client.cookies["recently_viewed"] = "1,2,3"
    assert "Recently viewed" not in client.get(reverse("marketplace:home")).content.decode()


def test_product_page_shows_more_from_the_supplier_and_similar_products(client, drills):
    html = client.get(drills["mine"].get_absolute_url()).content.decode()
    more = html[html.index("More from") :]
    assert "Alpha Impact Driver" in more
    similar = html[html.index("Similar products") :]
    assert "Beta Cordless Drill" in similar and "Beta Kettle" not in similar and "Alpha Impact Driver" not in similar


def test_product_page_queries_stay_bounded_with_many_related_products(client, drills, supplier_a):
    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(drills["mine"].get_absolute_url())
        return len(queries)

    before = count()
    for n in range(10):
        ProductFactory(supplier=supplier_a, category=drills["mine"].category, title=f"Alpha tool {n}")
        ProductFactory(supplier=SupplierFactory(), category=drills["mine"].category, title=f"Rival tool {n}")
    assert count() == before
