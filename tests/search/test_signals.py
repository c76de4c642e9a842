"""Search hears about changes from below through signals and a registry; the lower apps never call it."""

import pytest

from marketplace import search_hooks
from marketplace.models import Product
from marketplace.services import product_refresh_derived, product_unpublish
from marketplace.signals import products_changed
from rankings.signals import standings_published
from search.engine import product_queryset_search
from search.models import ProductSearchDocument
from suppliers.models import Supplier

pytestmark = pytest.mark.django_db


def test_product_services_send_products_changed(catalog):
    mug = catalog["products"]["mug"]
    heard = []

    def listener(sender, product_ids, **kwargs):
        heard.append((sender, product_ids))

    products_changed.connect(listener)
    try:
        product_refresh_derived(product=mug)
        product_unpublish(product=mug)
    finally:
        products_changed.disconnect(listener)
    assert heard == [(Product, [mug.pk]), (Product, [mug.pk])]
    assert not ProductSearchDocument.objects.filter(product=mug).exists()  # search's receiver ran too


def test_standings_published_reaches_the_documents(catalog):
    factory = catalog["factory"]
    Supplier.objects.filter(pk=factory.pk).update(leaderboard_standing=0.75)
    standings_published.send(sender=Supplier, supplier_ids=[factory.pk])
    assert set(ProductSearchDocument.objects.filter(supplier=factory).values_list("supplier_standing", flat=True)) == {
        0.75
    }


def test_search_fills_the_product_list_hook(catalog, monkeypatch):
    assert search_hooks._providers[-1] is product_queryset_search
    published = Product.objects.filter(status="published")
    assert set(search_hooks.text_search(published, "taladro inalámbrico", language="es")) >= {
        catalog["products"]["drill"]
    }
    # Without a provider (search not installed) the list falls back to a substring match.
    monkeypatch.setattr(search_hooks, "_providers", [])
    assert list(search_hooks.text_search(published, "taladro inalámbrico")) == []
    assert list(search_hooks.text_search(published, "Ceramic mug")) == [catalog["products"]["mug"]]
