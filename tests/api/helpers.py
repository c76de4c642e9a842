"""Helpers shared by the API tests."""

from rest_framework.test import APIClient

from marketplace import services
from search.services import search_index_products
from tests.factories import ProductFactory, ProductImageFactory, TranslationFactory


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def make_product(**kwargs):
    product = ProductFactory(**kwargs)
    services.product_refresh_derived(product=product)
    return product


def bulk_products(n, *, supplier, category):
    """n published products with tiers, a translation and an image each (for query-count tests)."""
    products = []
    for i in range(n):
        product = ProductFactory(supplier=supplier, category=category, title=f"Bulk product {i}", tiers=[(100, "1.00")])
        TranslationFactory(product=product, language="de", title=f"Massenprodukt {i}")
        ProductImageFactory(product=product, image=f"products/bulk-{i}.jpg")
        products.append(product)
    search_index_products(product_ids=[p.pk for p in products])
    return products


def error_fields(response):
    """The (field, code) pairs of an error response, after checking it has the one error shape."""
    body = response.json()
    assert set(body) == {"errors"}, body
    assert body["errors"], body
    for item in body["errors"]:
        assert set(item) == {"field", "code", "message"}, item
        assert isinstance(item["message"], str) and item["message"]
    return {(item["field"], item["code"]) for item in body["errors"]}
