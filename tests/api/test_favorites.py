"""Saved products and suppliers: a buyer's own, idempotent, and invisible to everybody else."""

import pytest

from marketplace.models import Favorite, ProductStatus
from tests.factories import FavoriteFactory, SupplierFactory

from .helpers import bulk_products, error_fields

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/me/favorites/products/"
SUPPLIERS = "/api/v1/me/favorites/suppliers/"


def test_save_list_and_forget_a_product(buyer_api, buyer, catalog):
    drill = catalog["drill"]
    created = buyer_api.post(PRODUCTS, {"product": drill.pk}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["product"]["id"] == drill.pk
    again = buyer_api.post(PRODUCTS, {"product": drill.pk}, format="json")
    assert again.status_code == 200
    assert Favorite.objects.filter(user=buyer).count() == 1

    listed = buyer_api.get(PRODUCTS, HTTP_ACCEPT_LANGUAGE="de").json()
    assert [item["product"]["title"] for item in listed["results"]] == ["Akku-Bohrschrauber 18V"]

    assert buyer_api.delete(f"{PRODUCTS}{drill.pk}/").status_code == 204
    assert buyer_api.get(PRODUCTS).json()["results"] == []
    assert buyer_api.delete(f"{PRODUCTS}{drill.pk}/").status_code == 404


def test_save_list_and_forget_a_supplier(buyer_api, buyer, catalog):
    assert buyer_api.post(SUPPLIERS, {"supplier": "beta-housewares"}, format="json").status_code == 201
    assert buyer_api.post(SUPPLIERS, {"supplier": "beta-housewares"}, format="json").status_code == 200
    listed = buyer_api.get(SUPPLIERS).json()
    assert [item["supplier"]["slug"] for item in listed["results"]] == ["beta-housewares"]
    assert buyer_api.delete(f"{SUPPLIERS}beta-housewares/").status_code == 204
    assert not Favorite.objects.filter(user=buyer).exists()


def test_unpublished_products_drop_out_of_the_list(buyer_api, buyer, catalog):
    drill = catalog["drill"]
    buyer_api.post(PRODUCTS, {"product": drill.pk}, format="json")
    drill.status = ProductStatus.DRAFT
    drill.save()
    assert buyer_api.get(PRODUCTS).json()["results"] == []


@pytest.mark.parametrize(
    ("url", "payload", "field"),
    [
        (PRODUCTS, {"product": 10**9}, "product"),
        (PRODUCTS, {"product": "12"}, "product"),
        (PRODUCTS, {"product": True}, "product"),
        (PRODUCTS, {"product": -1}, "product"),
        (PRODUCTS, {}, "product"),
        (SUPPLIERS, {"supplier": "nobody"}, "supplier"),
        (SUPPLIERS, {"supplier": 7}, "supplier"),
    ],
)
def test_bad_favorites_are_400_and_write_nothing(buyer_api, catalog, url, payload, field):
    response = buyer_api.post(url, payload, format="json")
    assert response.status_code == 400
    assert field in {name for name, _code in error_fields(response)}
    assert not Favorite.objects.exists()


def test_draft_products_cannot_be_saved(buyer_api, catalog):
    response = buyer_api.post(PRODUCTS, {"product": catalog["draft"].pk}, format="json")
    assert response.status_code == 400
    assert error_fields(response) == {("product", "does_not_exist")}


def test_two_buyers_never_see_or_touch_each_others_favorites(buyer_api, other_buyer_api, buyer, other_buyer, catalog):
    buyer_api.post(PRODUCTS, {"product": catalog["drill"].pk}, format="json")
    buyer_api.post(SUPPLIERS, {"supplier": "alpha-tools"}, format="json")
    other_buyer_api.post(PRODUCTS, {"product": catalog["kettle"].pk}, format="json")

    theirs = other_buyer_api.get(PRODUCTS).json()["results"]
    assert [item["product"]["id"] for item in theirs] == [catalog["kettle"].pk]
    assert other_buyer_api.get(SUPPLIERS).json()["results"] == []
    # Deleting the other buyer's favorite by its product id: 404, and it is still there.
    assert other_buyer_api.delete(f"{PRODUCTS}{catalog['drill'].pk}/").status_code == 404
    assert other_buyer_api.delete(f"{SUPPLIERS}alpha-tools/").status_code == 404
    assert Favorite.objects.filter(user=buyer).count() == 2
    # Saving the same product makes the other buyer's own row; the first buyer's is untouched.
    assert other_buyer_api.post(PRODUCTS, {"product": catalog["drill"].pk}, format="json").status_code == 201
    assert Favorite.objects.filter(product=catalog["drill"]).count() == 2


def test_favorites_need_a_login(api, catalog):
    for method, url in [("get", PRODUCTS), ("post", PRODUCTS), ("get", SUPPLIERS), ("delete", f"{SUPPLIERS}x/")]:
        response = getattr(api, method)(url)
        assert response.status_code == 401
        assert error_fields(response) == {(None, "not_authenticated")}


@pytest.mark.parametrize("rows", [5, 50])
def test_favorite_lists_query_count_is_bounded(
    buyer_api, buyer, supplier_a, categories, rows, django_assert_max_num_queries
):
    for product in bulk_products(rows, supplier=supplier_a, category=categories["tools"]):
        FavoriteFactory(user=buyer, product=product)
    for supplier in SupplierFactory.create_batch(rows):
        FavoriteFactory(user=buyer, supplier=supplier)
    with django_assert_max_num_queries(3):
        response = buyer_api.get(PRODUCTS, {"page_size": 50})
    assert len(response.json()["results"]) == rows
    with django_assert_max_num_queries(1):
        response = buyer_api.get(SUPPLIERS, {"page_size": 50})
    assert len(response.json()["results"]) == rows
