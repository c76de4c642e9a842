"""Benchmark: generate every leaderboard for N synthetic suppliers across all demo categories.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/silkway_rankings_bench \\
        .venv/bin/python bench/rankings_bench.py --suppliers 100000

Migrates the database, fills it with synthetic suppliers (profile, figures, certificates, products in the 40 demo
categories, inquiries, orders and ratings in the activity ledger) unless it already holds that many, then times
rankings.services.leaderboard_generate_all for one period, phase by phase. Synthetic data lives only here.
The database name must contain "bench": the script empties the leaderboard tables before each timed run.
"""

import argparse
import datetime
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from conversations.models import Conversation  # noqa: E402
from demo.catalog import CATEGORIES  # noqa: E402
from marketplace.models import Product, ProductStatus  # noqa: E402
from rankings import inputs as ranking_inputs  # noqa: E402
from rankings import methodology as ranking_methodology  # noqa: E402
from rankings import services  # noqa: E402
from rankings.models import ActivityKind, Entry, Snapshot, SupplierActivity, SupplierFigures  # noqa: E402
from suppliers.models import Certification, Supplier  # noqa: E402
from taxonomy.models import Category  # noqa: E402

BATCH = 5000
MARKETS = ["EU", "US", "JP", "KR", "AU", "BR", "MX", "AE", "SA", "ZA", "IN", "RU", "CA", "TR", "VN", "TH"]


def log(message):
    print(message, flush=True)


def insert(model, rows):
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[start : start + BATCH], batch_size=BATCH)


def ensure_categories():
    leaves = []
    for position, root_data in enumerate(CATEGORIES):
        root, _ = Category.objects.get_or_create(
            slug=root_data["slug"],
            defaults={
                "name": root_data["names"]["en"],
                "names": root_data["names"],
                "sector": root_data["sector"],
                "position": position,
            },
        )
        for child_position, child in enumerate(root_data["children"]):
            leaf, _ = Category.objects.get_or_create(
                slug=child["slug"],
                defaults={
                    "name": child["names"]["en"],
                    "names": child["names"],
                    "sector": root_data["sector"],
                    "parent": root,
                    "position": child_position,
                },
            )
            leaves.append(leaf)
    return leaves


def populate(n_suppliers, now, seed=2025):
    rng = random.Random(seed)
    leaves = ensure_categories()
    existing = Supplier.objects.filter(slug__startswith="bench-").count()
    if existing >= n_suppliers:
        log(f"data: {existing} bench suppliers already present")
        return
    started = time.perf_counter()
    buyers = list(User.objects.filter(email__startswith="bench-buyer-"))
    if not buyers:
        insert(User, [User(email=f"bench-buyer-{i}@example.com", password="!") for i in range(3000)])
        buyers = list(User.objects.filter(email__startswith="bench-buyer-"))
    buyer_ids = [b.pk for b in buyers]
    chunk = 10000
    for offset in range(existing, n_suppliers, chunk):
        size = min(chunk, n_suppliers - offset)
        with transaction.atomic():
            suppliers = []
            for i in range(offset, offset + size):
                staff = rng.randrange(10, 2000)
                suppliers.append(
                    Supplier(
                        name=f"Bench Supplier {i} Co., Ltd.",
                        slug=f"bench-{i}",
                        kind=rng.choice(["factory", "factory", "both", "trading_company"]),
                        region="Ningbo, Zhejiang",
                        founded_year=rng.randrange(1990, 2023),
                        staff_count=staff,
                        rd_staff_count=rng.randrange(0, staff // 3 + 1),
                        factory_area_m2=rng.randrange(500, 80000),
                        years_exporting=rng.randrange(0, 25),
                        export_markets=rng.sample(MARKETS, rng.randrange(0, 14)),
                        offers_oem=rng.random() < 0.7,
                        offers_odm=rng.random() < 0.4,
                        offers_samples=rng.random() < 0.8,
                        offers_custom_packaging=rng.random() < 0.5,
                        verification_level=rng.choice(["unverified", "business_license", "onsite", "assessed"]),
                        median_response_minutes=rng.randrange(5, 3000) if rng.random() < 0.8 else None,
                    )
                )
            insert(Supplier, suppliers)
            suppliers = list(Supplier.objects.filter(slug__in=[s.slug for s in suppliers]).only("pk"))
            products, figures, certificates, inquiries, activity = [], [], [], [], []
            for supplier in suppliers:
                for leaf in rng.sample(leaves, rng.choice([1, 1, 2])):
                    products.append(
                        Product(
                            supplier_id=supplier.pk,
                            category_id=leaf.pk,
                            title=f"Bench product {supplier.pk}-{leaf.pk}",
                            slug=f"bench-product-{supplier.pk}-{leaf.pk}",
                            lead_time_days=20,
                            status=ProductStatus.PUBLISHED,
                            published_at=now,
                        )
                    )
                if rng.random() < 0.5:
                    revenue = Decimal(rng.randrange(2_000_000, 500_000_000))
                    figures.append(
                        SupplierFigures(
                            supplier_id=supplier.pk,
                            fiscal_year=now.year - 1,
                            revenue_cny=revenue,
                            main_business_share=Decimal(rng.randrange(40, 100)),
                            main_business_growth_2y=Decimal(rng.randrange(-10, 30)),
                            niche_since_year=rng.randrange(1995, now.year),
                            key_field=rng.choice(["gap_filling", "six_foundations", "none"]),
                            digitalization_level=rng.randrange(1, 5),
                            quality_award=rng.random() < 0.2,
                            own_brand=rng.random() < 0.5,
                            standards_drafted=rng.randrange(0, 3),
                            net_profit_margin=Decimal(rng.randrange(-5, 20)),
                            debt_asset_ratio=Decimal(rng.randrange(10, 90)),
                            class1_ip_total=rng.randrange(0, 5),
                            class1_ip_self_developed=0,
                            class2_ip_total=rng.randrange(0, 30),
                            rd_spend_cny=(revenue * Decimal(rng.randrange(0, 12)) / 100).quantize(Decimal("1")),
                            rd_institution=rng.choice(["national", "provincial", "municipal", "lower", "none"]),
                            provenance={},
                        )
                    )
                if rng.random() < 0.3:
                    certificates.append(
                        Certification(
                            supplier_id=supplier.pk,
                            type=rng.choice(["ISO9001", "CE", "ISO14001"]),
                            number=f"B-{supplier.pk}",
                            issuer="TÜV",
                            valid_from=now.date() - datetime.timedelta(days=300),
                            valid_until=now.date() + datetime.timedelta(days=400),
                            verified_at=now if rng.random() < 0.5 else None,
                        )
                    )
                for _ in range(rng.randrange(0, 13)):
                    created = now - datetime.timedelta(days=rng.randrange(1, 360), minutes=rng.randrange(0, 1440))
                    answered = (
                        created + datetime.timedelta(minutes=rng.randrange(3, 3000)) if rng.random() < 0.8 else None
                    )
                    inquiries.append(
                        Conversation(
                            buyer_id=rng.choice(buyer_ids),
                            supplier_id=supplier.pk,
                            subject="Bench",
                            created_at=created,
                            first_response_at=answered,
                            last_message_at=answered or created,
                        )
                    )
                for n in range(rng.randrange(0, 7)):
                    activity.append(
                        SupplierActivity(
                            supplier_id=supplier.pk,
                            buyer_id=rng.choice(buyer_ids),
                            kind=ActivityKind.ORDER,
                            source_ref=f"bench-order:{supplier.pk}:{n}",
                            occurred_at=now - datetime.timedelta(days=rng.randrange(1, 360)),
                            order_value_usd=Decimal(rng.randrange(300, 80_000)),
                            delivered_on_time=rng.random() < 0.88,
                            disputed=rng.random() < 0.04,
                        )
                    )
                for n in range(rng.randrange(0, 6)):
                    activity.append(
                        SupplierActivity(
                            supplier_id=supplier.pk,
                            buyer_id=rng.choice(buyer_ids),
                            kind=ActivityKind.RATING,
                            source_ref=f"bench-rating:{supplier.pk}:{n}",
                            occurred_at=now - datetime.timedelta(days=rng.randrange(1, 360)),
                            rating=rng.randint(2, 5),
                        )
                    )
            insert(Product, products)
            insert(SupplierFigures, figures)
            insert(Certification, certificates)
            # Inquiries about a product, so the category's demand share has something to count.
            product_of = dict(
                Product.objects.filter(supplier_id__in=[s.pk for s in suppliers]).values_list("supplier_id", "pk")
            )
            product_type = ContentType.objects.get_for_model(Product)
            for inquiry in inquiries:
                inquiry.topic_id = product_of.get(inquiry.supplier_id)
                inquiry.topic_type = product_type if inquiry.topic_id else None
            insert(Conversation, inquiries)
            insert(SupplierActivity, activity)
        log(f"data: {offset + size}/{n_suppliers} suppliers ({time.perf_counter() - started:.0f} s)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def timed_generation(now):
    """Time the service, and its phases separately (inputs, scoring + intervals, writing)."""
    if "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit("Refusing to empty leaderboard tables outside a database whose name contains 'bench'.")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE rankings_entry, rankings_snapshot, rankings_generationrun CASCADE")
        else:
            Entry.objects.all()._raw_delete(connection.alias)
            Snapshot.objects.all()._raw_delete(connection.alias)

    started = time.perf_counter()
    as_of = now
    input_set = ranking_inputs.collect_inputs(as_of=as_of)
    collected = time.perf_counter()
    scoring = 0.0
    for board in ("specialized_innovative", "top_suppliers", "top_factories", "fastest_responders"):
        ruleset = ranking_methodology.parse_ruleset(services.methodology_for(board=board, period=now.date()).definition)
        t0 = time.perf_counter()
        for category_id in input_set.members:
            rows = services._rows_for(category_id, input_set, category_inputs=services._uses_category_inputs(ruleset))
            scored = ranking_methodology.score_rows(ruleset, rows, penalized=input_set.penalized, keep_ineligible=False)
            ranking_methodology.rank_with_intervals(ruleset, scored, seed=1)
        scoring += time.perf_counter() - t0
    log(
        f"phase: collect inputs (SQL aggregates) {collected - started:.1f} s; "
        f"score + Monte Carlo intervals, all boards {scoring:.1f} s"
    )

    started = time.perf_counter()
    run = services.leaderboard_generate_all(now=now, trigger="bench")
    total = time.perf_counter() - started
    entries = Entry.objects.filter(snapshot__run=run).count()
    log(
        f"RESULT: leaderboard_generate_all published {run.snapshots_created} snapshots, {entries} entries "
        f"in {total:.1f} s ({connection.vendor})"
    )
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--skip-populate", action="store_true")
    args = parser.parse_args()
    now = timezone.now()
    call_command("migrate", verbosity=0)
    services.methodology_sync_builtin()
    if not args.skip_populate:
        populate(args.suppliers, now)
    log(
        f"suppliers={Supplier.objects.count()} products={Product.objects.count()} "
        f"inquiries={Conversation.objects.count()} activity={SupplierActivity.objects.count()} "
        f"figures={SupplierFigures.objects.count()}"
    )
    timed_generation(now)


if __name__ == "__main__":
    main()
