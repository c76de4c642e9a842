"""A small ad market: two tool factories promoting cordless drills, a third promoting drill bits, each with
keywords, over a catalog indexed by the product services (as every real write is)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ads import services
from ads.models import MatchType
from tests.factories import CategoryFactory, SupplierFactory
from tests.search.conftest import make_product

# A desktop browser's user agent: clicks without one are treated as automated.
BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


@pytest.fixture
def market(db):
    return build_market()


def build_market() -> dict:
    tools = CategoryFactory(slug="power-tools", name="Power Tools", names={"de": "Elektrowerkzeuge"})
    yongkang = SupplierFactory(name="Yongkang Aurora Tools Factory", country="CN")
    jinhua = SupplierFactory(name="Jinhua Boreal Power Tools", country="CN")
    wenling = SupplierFactory(name="Wenling Cobalt Bits", country="CN")
    drill_a = make_product(
        supplier=yongkang,
        category=tools,
        title="Cordless Drill 18V Brushless",
        keywords="cordless drill, drill driver",
        attributes=[("Voltage", "18", "V")],
        price="24.00",
    )
    drill_b = make_product(
        supplier=jinhua,
        category=tools,
        title="20V Cordless Drill Driver Kit",
        keywords="cordless drill",
        attributes=[("Voltage", "20", "V")],
        price="27.50",
    )
    bits = make_product(
        supplier=wenling,
        category=tools,
        title="HSS Drill Bit Set 13 pcs",
        keywords="drill bit, hss bit",
        price="3.20",
    )
    organic_only = make_product(
        supplier=wenling, category=tools, title="Impact Drill 850W Corded", keywords="impact drill", price="18.00"
    )
    start = timezone.localdate() - datetime.timedelta(days=40)
    campaigns = {}
    for key, supplier, product, bid in (("a", yongkang, drill_a, "1.20"), ("b", jinhua, drill_b, "0.80")):
        campaign = services.campaign_create(
            supplier=supplier,
            name=f"Drills {key.upper()}",
            daily_budget="20.00",
            target_cost_per_inquiry="8.00",
            starts_on=start,
        )
        services.promoted_product_add(campaign=campaign, product=product)
        services.keyword_add(campaign=campaign, text="cordless drill", bid=bid, match_type=MatchType.BROAD)
        campaigns[key] = campaign
    campaign_c = services.campaign_create(
        supplier=wenling, name="Bits", daily_budget="10.00", target_cost_per_inquiry="5.00", starts_on=start
    )
    services.promoted_product_add(campaign=campaign_c, product=bits)
    # A broad "drill" keyword triggers on a drill query; the bit set is not what was asked, so relevance keeps it out.
    services.keyword_add(campaign=campaign_c, text="drill", bid="3.00", match_type=MatchType.BROAD)
    campaigns["c"] = campaign_c
    return {
        "category": tools,
        "suppliers": {"a": yongkang, "b": jinhua, "c": wenling},
        "products": {"a": drill_a, "b": drill_b, "c": bits, "organic": organic_only},
        "campaigns": campaigns,
        "budget": Decimal("20.00"),
    }
