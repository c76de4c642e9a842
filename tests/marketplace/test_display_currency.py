"""Prices in the reader's currency: beside the supplier's price of record, from the operators' exchange rates, for a
signed-in buyer from their profile and for a visitor from the country their browser names; cached per currency."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import BuyerProfile
from sourcing.models import ExchangeRate
from tests.factories import BuyerFactory, CategoryFactory, ProductFactory, SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(db):
    # The shipped reference rates are loaded by a migration; these tests pin the ones they compute with.
    for currency, per_usd in {"USD": "1", "EUR": "0.92", "GBP": "0.79", "CNY": "7.20", "BRL": "5.40"}.items():
        ExchangeRate.objects.update_or_create(
            currency=currency, defaults={"per_usd": Decimal(per_usd), "as_of": date(2026, 11, 30), "source": "test"}
        )


@pytest.fixture
def kettle(db):
    category = CategoryFactory(slug="kettles", name="Kettles")
    product = ProductFactory(
        title="Electric Kettle 1.7 L", category=category, supplier=SupplierFactory(), currency="USD", moq=500
    )
    product.price_tiers.all().delete()
    product.price_tiers.create(min_quantity=500, unit_price=Decimal("10.00"))
    product.price_min = product.price_max = Decimal("10.00")
    product.save()
    return product


def buyer_paying_in(currency):
    buyer = BuyerFactory()
    BuyerProfile.objects.filter(user=buyer).update(preferred_currency=currency)
    return buyer


def test_a_buyer_sees_prices_in_their_profile_currency_beside_the_suppliers(client, rates, kettle):
    client.force_login(buyer_paying_in("EUR"))
    page = client.get(kettle.get_absolute_url()).content.decode()
    assert "10.00" in page and "≈ EUR 9.20" in page
    category = client.get(reverse("marketplace:category_detail", args=["kettles"])).content.decode()
    assert "USD 10.00" in category and "≈ EUR 9.20" in category


@pytest.mark.parametrize(
    ("accept_language", "shown"),
    # In the reader's number format too: Portuguese and German write a decimal comma.
    [("pt-BR,pt;q=0.9", "≈ BRL 54,00"), ("de-DE", "≈ EUR 9,20"), ("zh-CN", "≈ CNY 72.00")],
)
def test_a_visitor_sees_the_currency_of_the_country_their_browser_names(client, rates, kettle, accept_language, shown):
    page = client.get(kettle.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()
    assert shown in page


def test_nothing_is_converted_in_the_suppliers_own_currency_or_without_a_rate(client, rates, kettle):
    assert "≈" not in client.get(kettle.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "≈" not in client.get(kettle.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    ExchangeRate.objects.filter(currency="KES").delete()
    client.force_login(buyer_paying_in("KES"))  # a trade currency the operators keep no rate for
    assert "≈" not in client.get(kettle.get_absolute_url()).content.decode()


def test_cached_pages_are_kept_per_currency(client, settings, rates, kettle, committed):
    settings.PUBLIC_CACHE_SECONDS = 300
    cache.clear()
    try:
        url = reverse("marketplace:category_detail", args=["kettles"])
        # The same page in English for a British and an American visitor: one cached copy each.
        assert "≈ GBP 7.90" in client.get(url, HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
        in_dollars = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
        assert "USD 10.00" in in_dollars and "≈" not in in_dollars
        assert "≈ GBP 7.90" in client.get(url, HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    finally:
        cache.clear()
