"""A small market to rank: a category tree, suppliers with products, figures, product inquiries (conversations)
and ledger activity."""

import datetime
import random
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from conversations.models import Conversation, ConversationKind
from rankings import services
from rankings.models import ActivityKind, Provenance, SupplierActivity
from suppliers.models import VerificationLevel
from tests.factories import BuyerFactory, CategoryFactory, ProductFactory, SupplierFactory, SupplierFiguresFactory

# A fixed Monday, so periods and as-of dates do not depend on when the tests run.
NOW = datetime.datetime(2025, 11, 19, 12, 0, tzinfo=datetime.UTC)
PERIOD = datetime.date(2025, 11, 17)


@pytest.fixture
def rulesets(db):
    return services.methodology_sync_builtin()


@pytest.fixture
def categories(db):
    root = CategoryFactory(slug="tools-hardware", name="Tools & Hardware")
    leaf = CategoryFactory(slug="power-tools", name="Power Tools", parent=root)
    return root, leaf


def add_figures(supplier, rng, year=2024, **overrides):
    revenue = Decimal(rng.randrange(5_000_000, 200_000_000))
    values = {
        "revenue_cny": revenue,
        "main_business_share": Decimal(rng.randrange(55, 100)),
        "main_business_growth_2y": Decimal(rng.randrange(-5, 25)),
        "niche_since_year": rng.randrange(2005, 2024),
        "key_field": rng.choice(["gap_filling", "six_foundations", "none"]),
        "digitalization_level": rng.randrange(1, 5),
        "quality_award": rng.random() < 0.3,
        "own_brand": rng.random() < 0.6,
        "standards_drafted": rng.randrange(0, 3),
        "net_profit_margin": Decimal(rng.randrange(-2, 18)),
        "debt_asset_ratio": Decimal(rng.randrange(20, 80)),
        "class1_ip_total": rng.randrange(0, 6),
        "class2_ip_total": rng.randrange(0, 20),
        "rd_spend_cny": (revenue * Decimal(rng.randrange(1, 12)) / 100).quantize(Decimal("1")),
        "rd_institution": rng.choice(["national", "provincial", "municipal", "lower", "none"]),
    }
    values["class1_ip_self_developed"] = min(values["class1_ip_total"], rng.randrange(0, 3))
    values.update(overrides)
    return SupplierFiguresFactory(
        supplier=supplier, fiscal_year=year, provenance=dict.fromkeys(values, Provenance.SELF_DECLARED), **values
    )


def add_inquiries(supplier, buyer, product, rng, count, answered_share=0.8, now=NOW):
    """`count` product inquiries: conversations of kind "inquiry" whose topic is `product`."""
    product_type = ContentType.objects.get_for_model(product)
    rows = []
    for _ in range(count):
        created = now - datetime.timedelta(days=rng.randrange(2, 170), minutes=rng.randrange(0, 1440))
        answered = rng.random() < answered_share
        response = created + datetime.timedelta(minutes=rng.randrange(5, 2000)) if answered else None
        rows.append(
            Conversation(
                buyer=buyer,
                supplier=supplier,
                kind=ConversationKind.INQUIRY,
                topic_type=product_type,
                topic_id=product.pk,
                subject="Inquiry",
                created_at=created,
                first_response_at=response,
                last_message_at=response or created,
            )
        )
    Conversation.objects.bulk_create(rows)


def add_orders(supplier, rng, count, on_time_share=0.9, now=NOW, buyer=None, prefix=""):
    rows = [
        SupplierActivity(
            supplier=supplier,
            buyer=buyer,
            kind=ActivityKind.ORDER,
            source_ref=f"order:{prefix}{supplier.pk}:{i}",
            occurred_at=now - datetime.timedelta(days=rng.randrange(1, 300)),
            order_value_usd=Decimal(rng.randrange(500, 50_000)),
            delivered_on_time=rng.random() < on_time_share,
            disputed=rng.random() < 0.05,
        )
        for i in range(count)
    ]
    SupplierActivity.objects.bulk_create(rows)


def add_ratings(supplier, buyers, rng, count, quality=None, low=1, high=5, now=NOW, prefix="r", max_age_days=200):
    """`count` ratings spread over `buyers`; around `quality` stars if given, else uniform in [low, high]."""

    def stars():
        if quality is None:
            return rng.randint(low, high)
        return min(5, max(1, round(rng.gauss(quality, 0.8))))

    rows = [
        SupplierActivity(
            supplier=supplier,
            buyer=buyers[i % len(buyers)],
            kind=ActivityKind.RATING,
            source_ref=f"rating:{prefix}{supplier.pk}:{i}",
            occurred_at=now - datetime.timedelta(days=rng.randrange(0, max_age_days)),
            rating=stars(),
        )
        for i in range(count)
    ]
    SupplierActivity.objects.bulk_create(rows)


def build_market(categories, size, seed=7, with_orders=True):
    """`size` suppliers in the leaf category, all with figures, profile data, inquiries and (optionally) orders."""
    _root, leaf = categories
    rng = random.Random(seed)
    buyer = BuyerFactory()
    raters = [BuyerFactory() for _ in range(40)]
    suppliers = []
    for _i in range(size):
        staff = rng.randrange(20, 800)
        supplier = SupplierFactory(
            kind=rng.choice(["factory", "factory", "both", "trading_company"]),
            staff_count=staff,
            rd_staff_count=rng.randrange(0, staff // 3),
            factory_area_m2=rng.randrange(800, 60_000),
            years_exporting=rng.randrange(0, 20),
            founded_year=rng.randrange(1995, 2020),
            export_markets=rng.sample(
                ["EU", "US", "JP", "KR", "AU", "BR", "MX", "AE", "SA", "ZA", "IN", "RU"], rng.randrange(0, 12)
            ),
            offers_oem=rng.random() < 0.7,
            offers_odm=rng.random() < 0.4,
            offers_samples=rng.random() < 0.8,
            verification_level=rng.choice(
                [VerificationLevel.BUSINESS_LICENSE, VerificationLevel.ONSITE, VerificationLevel.ASSESSED]
            ),
            median_response_minutes=rng.randrange(10, 2000),
        )
        product = ProductFactory(supplier=supplier, category=leaf, tiers=[(100, "10.00")])
        add_figures(supplier, rng)
        add_inquiries(supplier, buyer, product, rng, rng.randrange(6, 25), answered_share=rng.uniform(0.4, 1.0))
        if with_orders:
            add_orders(supplier, rng, rng.randrange(4, 30), on_time_share=rng.uniform(0.6, 1.0))
            add_ratings(
                supplier,
                rng.sample(raters, rng.randrange(8, 40)),
                rng,
                rng.randrange(10, 50),
                quality=rng.uniform(3.3, 4.8),
            )
        suppliers.append(supplier)
    return suppliers


@pytest.fixture
def fixed_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW
