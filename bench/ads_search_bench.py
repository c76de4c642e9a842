"""Search latency with sponsored results on and off: what keyword ads add to a product search.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/silkway_bench   # or nothing for SQLite
    python manage.py migrate && python manage.py seed_demo --products 100000 --no-inquiries   # the catalog, once
    python bench/ads_search_bench.py [--campaigns 200] [--keywords 40] [--queries 200] [--rounds 3]

The catalog comes from `seed_demo` (the scale-data generator bench/README.md describes). The first run adds
--campaigns keyword campaigns, one per demo supplier (slug order), each promoting 5 of its published products with
--keywords keywords taken from its catalog as a seller would (the products' keywords, their names in the buyer
languages, the category's names; broad mostly, some phrase and exact) and two negatives, all through the ads
services; the budgets are large, so no campaign stops serving during the run. Later runs reuse them
(--reset-ads deletes them first).

Queries: the 30 of bench/search_bench.py (with their filter parameters) and an even spread of the multilingual
evaluation set (bench/search_eval_queries.jsonl) up to --queries. Each query runs end to end as the search page
runs it: `product_search` (parse, one statement for page and facets, hydration of 24 cards), then
`search.sponsored.sponsored_for` (with ADS_ENABLED off it returns at once; on, the ads provider matches the query
against the in-memory keyword index (which also holds the promoted products and their headlines), checks which
campaigns may serve (1 query), matches their promoted products against the query (2 queries), runs the auction,
hydrates the winners (3 queries) and counts impressions in memory, handing a batch to the flush task now and then,
which runs in-process in the embedded default).
Off and on alternate query by query, so drift on a busy machine hits both alike. Reported: p50/p95 of each mode,
their differences, and the sponsored step alone (its own p50/p95/max, timed inside the on runs).
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from search_bench import QUERIES, percentile  # noqa: E402

from ads import impressions, services  # noqa: E402
from ads.models import AdCampaign, AdKeyword, MatchType  # noqa: E402
from ads.selectors import keyword_index  # noqa: E402
from marketplace.models import Product, ProductStatus  # noqa: E402
from search.engine import product_search  # noqa: E402
from search.models import ProductSearchDocument  # noqa: E402
from search.sponsored import sponsored_for  # noqa: E402
from suppliers.models import Supplier  # noqa: E402

CAMPAIGN_PREFIX = "Bench ads — "
EVAL_QUERIES = ROOT / "bench" / "search_eval_queries.jsonl"
LANGUAGES = ["de", "es", "fr", "pt", "ru", "ar", "ja", "zh-hans"]


def query_set(size: int) -> list[tuple[str, dict]]:
    """search_bench's 30 queries, then every k-th query of the evaluation set (all kinds and languages)."""
    rows = [json.loads(line) for line in EVAL_QUERIES.read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted = max(0, size - len(QUERIES))
    step = max(1, len(rows) // max(1, wanted))
    return list(QUERIES) + [(row["query"], {}) for row in rows[::step][:wanted]]


def setup_campaigns(count: int, per_campaign: int, seed: int = 5) -> tuple[int, float]:
    """One campaign per demo supplier (slug order) with `per_campaign` keywords from its own catalog; returns how
    many were created and the seconds it took."""
    started = time.monotonic()
    have = set(AdCampaign.objects.filter(name__startswith=CAMPAIGN_PREFIX).values_list("supplier_id", flat=True))
    suppliers = list(Supplier.objects.filter(slug__startswith="demo-").order_by("slug")[:count])
    created = 0
    for supplier in suppliers:
        if supplier.pk in have:
            continue
        rng = random.Random(f"{seed}-{supplier.slug}")
        products = list(
            Product.objects.filter(supplier=supplier, status=ProductStatus.PUBLISHED)
            .select_related("category")
            .prefetch_related("translations")
            .order_by("-quality_score", "pk")[:40]
        )
        if not products:
            continue
        with transaction.atomic():
            campaign = services.campaign_create(
                supplier=supplier,
                name=f"{CAMPAIGN_PREFIX}{supplier.slug}",
                daily_budget="5000.00",
                target_cost_per_inquiry="10.00",
                bid_ceiling="5.00",
                starts_on=timezone.localdate(),
            )
            for product in products[:5]:
                services.promoted_product_add(campaign=campaign, product=product)
            candidates = []
            for product in products:
                candidates += [(w.strip(), "en") for w in product.keywords.split(",") if w.strip()]
                candidates += [(t.keywords, t.language) for t in product.translations.all() if t.keywords]
                candidates += [(name, lang) for lang, name in product.category.names.items()]
            rng.shuffle(candidates)
            added, seen = 0, set()
            for text, language in candidates:
                if added >= per_campaign:
                    break
                if (text.casefold(), language) in seen:
                    continue
                seen.add((text.casefold(), language))
                match_type = rng.choices([MatchType.BROAD, MatchType.PHRASE, MatchType.EXACT], weights=[7, 2, 1])[0]
                try:
                    services.keyword_add(
                        campaign=campaign,
                        text=text,
                        bid=f"{rng.uniform(0.2, 2.0):.2f}",
                        language=language,
                        match_type=match_type,
                    )
                except ValidationError:
                    continue  # a duplicate in meaning, or a word pair that is another supplier's name
                added += 1
            for text in ("second hand", "free sample"):
                services.negative_keyword_add(campaign=campaign, text=text)
        created += 1
    return created, time.monotonic() - started


def timed(q: str, params: dict, enabled: bool) -> tuple[float, float, int]:
    """(whole search in ms, sponsored step in ms, sponsored results) as the search page runs them."""
    settings.ADS_ENABLED = enabled
    started = time.perf_counter()
    result = product_search(q=q, params=params)
    middle = time.perf_counter()
    ads = sponsored_for(result) if result.hits else []
    ended = time.perf_counter()
    return (ended - started) * 1000, (ended - middle) * 1000, len(ads)


def summary(values: list[float]) -> dict:
    return {
        "p50_ms": round(statistics.median(values), 1),
        "p95_ms": round(percentile(values, 95), 1),
        "max_ms": round(max(values), 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campaigns", type=int, default=200)
    parser.add_argument("--keywords", type=int, default=40, help="Keywords per campaign.")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reset-ads", action="store_true", help="Delete the bench campaigns and create them again.")
    parser.add_argument("--per-query", action="store_true", help="Also print the queries the ads step is slowest on.")
    args = parser.parse_args()

    if args.reset_ads:
        AdCampaign.objects.filter(name__startswith=CAMPAIGN_PREFIX).delete()
    created, setup_seconds = setup_campaigns(args.campaigns, args.keywords)
    campaigns = AdCampaign.objects.filter(name__startswith=CAMPAIGN_PREFIX)
    keywords = AdKeyword.objects.filter(campaign__in=campaigns).count()
    queries = query_set(args.queries)

    started = time.monotonic()
    keyword_index()
    index_ms = (time.monotonic() - started) * 1000
    for q, params in queries:  # warm-up: jieba, glossary, caches, plans, the keyword index
        timed(q, params, False)
        timed(q, params, True)

    off, on, step, with_ads, slowest = [], [], [], set(), {}
    for round_ in range(args.rounds):
        for i, (q, params) in enumerate(queries):
            # Alternate which mode goes first, so neither always gets the warmer cache.
            for enabled in (False, True) if (i + round_) % 2 == 0 else (True, False):
                total, ads_ms, shown = timed(q, params, enabled)
                if enabled:
                    on.append(total)
                    step.append(ads_ms)
                    if shown:
                        with_ads.add(i)
                    slowest.setdefault(q, []).append(ads_ms)
                else:
                    off.append(total)
    impressions.impressions_flush()
    settings.ADS_ENABLED = True

    report = {
        "database": connection.vendor,
        "indexed_products": ProductSearchDocument.objects.count(),
        "campaigns": campaigns.count(),
        "keywords": keywords,
        "campaigns_created_now": created,
        "setup_seconds": round(setup_seconds, 1),
        "keyword_index_build_ms": round(index_ms, 1),
        "queries": len(queries),
        "queries_with_sponsored_results": len(with_ads),
        "rounds": args.rounds,
        "ads_off": summary(off),
        "ads_on": summary(on),
        "difference": {
            "p50_ms": round(statistics.median(on) - statistics.median(off), 1),
            "p95_ms": round(percentile(on, 95) - percentile(off, 95), 1),
        },
        "sponsored_step": summary(step),
    }
    print(json.dumps(report, indent=2))
    if args.per_query:
        for q, values in sorted(slowest.items(), key=lambda item: -statistics.median(item[1]))[:15]:
            print(f"{statistics.median(values):7.1f} ms  ads step  {q!r}")


if __name__ == "__main__":
    main()
