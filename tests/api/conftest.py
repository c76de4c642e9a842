"""Fixtures for the API tests: clients, tokens, and a small catalog with two suppliers."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from marketplace.models import ProductStatus
from search.services import search_index_products
from tests.factories import (
    AttributeFactory,
    CategoryFactory,
    CertificationFactory,
    ProductImageFactory,
    TranslationFactory,
)

from .helpers import make_product

GENEROUS_RATES = {"anon": "100000/minute", "user": "100000/minute", "auth": "100000/minute"}


@pytest.fixture(autouse=True)
def _api_settings(settings):
    # Throttle counters live in the cache: start each test from zero, with limits no ordinary test reaches.
    cache.clear()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": GENEROUS_RATES}
    yield
    cache.clear()


@pytest.fixture
def categories(db):
    tools = CategoryFactory(slug="tools", name="Tools", names={"zh-hans": "工具", "de": "Werkzeuge"}, position=1)
    drills = CategoryFactory(slug="drills", name="Drills", names={"de": "Bohrmaschinen"}, parent=tools)
    home = CategoryFactory(slug="home", name="Home", names={}, sector="consumer", position=2)
    return {"tools": tools, "drills": drills, "home": home}


@pytest.fixture
def catalog(categories, supplier_a, supplier_b):
    """Two suppliers' products with tiers, attributes, a translation, an image and certificates."""
    supplier_a.verification_level = "onsite"
    supplier_a.country = "CN"
    supplier_a.trade_assurance = True
    supplier_a.save()
    supplier_b.kind = "trading_company"
    supplier_b.country = "VN"
    supplier_b.save()
    ce = CertificationFactory(supplier=supplier_a, type="CE", number="CE-1")
    expired = CertificationFactory(
        supplier=supplier_a,
        type="ROHS",
        number="ROHS-1",
        valid_from=timezone.localdate() - datetime.timedelta(days=800),
        valid_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    drill = make_product(
        supplier=supplier_a,
        category=categories["drills"],
        title="Cordless Drill 18V",
        keywords="drill, cordless",
        moq=100,
        lead_time_days=20,
        custom_logo=True,
        oem=True,
        tiers=[(100, "12.50"), (500, "11.00")],
    )
    drill.certifications.add(ce, expired)
    AttributeFactory(product=drill, name="Voltage", value="18", unit="V")
    TranslationFactory(product=drill, language="de", title="Akku-Bohrschrauber 18V", description="Bürstenlos.")
    ProductImageFactory(product=drill, image="products/drill.jpg", alt_text="Drill")
    saw = make_product(
        supplier=supplier_a,
        category=categories["tools"],
        title="Circular Saw 1400W",
        keywords="saw",
        moq=50,
        lead_time_days=30,
        tiers=[(50, "40.00")],
    )
    kettle = make_product(
        supplier=supplier_b,
        category=categories["home"],
        title="Electric Kettle 1.7L",
        keywords="kettle",
        moq=500,
        lead_time_days=15,
        custom_packaging=True,
        tiers=[(500, "6.20"), (2000, "5.10")],
    )
    draft = make_product(
        supplier=supplier_b,
        category=categories["home"],
        title="Secret Draft Toaster",
        status=ProductStatus.DRAFT,
        published_at=None,
    )
    # Product services index what they write; factories bypass them, so index here (q goes through search).
    search_index_products(product_ids=[drill.pk, saw.pk, kettle.pk, draft.pk])
    return {"drill": drill, "saw": saw, "kettle": kettle, "draft": draft, "ce": ce, "expired": expired}
