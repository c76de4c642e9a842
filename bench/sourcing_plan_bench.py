"""Sourcing plan latency: requirement -> ranked plan (sourcing.matching.plan_build, offline, no model), p50/p95
over 30 varied requirements (languages, quantities, destinations with market rules, certificates, supplier
kind, customization, temperatures, targets), against whatever database DATABASE_URL names.

SQLite at 100,000 products (the default database file lives under SILKWAY_VAR_DIR):

    export SILKWAY_VAR_DIR=/tmp/silkway-sourcing-sqlite
    python manage.py migrate
    python manage.py seed_demo --products 100000 --no-inquiries          # catalog and search index
    python bench/sourcing_plan_bench.py --rounds 3

PostgreSQL at 1,000,000 products (target: p95 <= 1 s without a model):

    createdb -h 127.0.0.1 -U postgres silkway_sourcing_1m
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/silkway_sourcing_1m SILKWAY_VAR_DIR=/tmp/silkway-bench
    python manage.py migrate
    python manage.py seed_demo --products 1000000 --suppliers 2000 --no-inquiries --no-index
    python manage.py rebuild_search_index --workers 2
    python bench/sourcing_plan_bench.py --rounds 3 --per-query

The PostgreSQL settings of bench/README.md apply (shared_buffers sized for the document heap, JIT off).
`--per-query` prints each requirement's candidate count, query count and median, slowest first.

Measured on the 2-core development machine, 2026-12-04 (PostgreSQL 15, shared_buffers 6 GB, JIT off):

    database     catalog                                   p50      p95      max     queries per plan
    PostgreSQL   100,000 products (95,016 indexed)         77 ms    120 ms   169 ms  20-38
    PostgreSQL   1,000,000 products (949,916 indexed)      95 ms    201 ms   257 ms  17-29
    SQLite       100,000 products (95,016 indexed)         83 ms    153 ms   217 ms  20-44

Building the 1,000,000 catalog took 25 min (seed_demo) + 13 min (rebuild_search_index --workers 2) on PostgreSQL;
the 100,000 one on SQLite 11 min (seed_demo, index included).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from search.models import ProductSearchDocument  # noqa: E402
from sourcing.matching import plan_build  # noqa: E402
from sourcing.schema import Requirements  # noqa: E402

REQUIREMENTS = [
    {"product": "cordless drill", "quantity": 1000, "destination_country": "DE", "currency": "EUR"},
    {"product": "cordless drill 18V brushless", "quantity": 500, "certifications": ["CE"], "supplier_kind": "factory"},
    {"product": "Akku-Bohrschrauber", "language": "de", "quantity": 300, "destination_country": "AT"},
    {"product": "vacuum insulated tumbler", "quantity": 2000, "customization": ["logo"], "destination_country": "US"},
    {"product": "stainless steel", "quantity": 10, "destination_country": "IN"},
    {"product": "led light bulb", "quantity": 20000, "certifications": ["CE", "ROHS"], "destination_country": "FR"},
    {"product": "battery storage cabinet", "quantity": 2, "min_operating_temp_c": -30, "destination_country": "NO"},
    {
        "product": "solar panel",
        "quantity": 620,
        "target_unit_price": 60,
        "destination_country": "BR",
        "currency": "BRL",
    },
    {"product": "yoga leggings", "quantity": 300, "certifications": ["OEKOTEX"], "samples_required": True},
    {"product": "safety shoes", "quantity": 1000, "destination_country": "GB", "max_lead_time_days": 45},
    {"product": "frying pan", "quantity": 500, "certifications": ["LFGB"], "destination_country": "DE"},
    {"product": "bluetooth speaker", "quantity": 1000, "destination_country": "SA", "customization": ["packaging"]},
    {"product": "power bank", "quantity": 3000, "certifications": ["UN383"], "incoterm": "CIF"},
    {"product": "stuffed plush toy", "quantity": 1000, "destination_country": "ES", "supplier_kind": "factory"},
    {"product": "ball valve", "quantity": 800, "currency": "USD", "target_unit_price": 3.5},
    {"product": "hex head bolt", "quantity": 100000, "destination_country": "MX"},
    {"product": "laser cutting machine", "quantity": 1, "destination_country": "TR", "max_lead_time_days": 60},
    {"product": "centrifugal water pump", "quantity": 50, "supplier_kind": "trading_company"},
    {"product": "porcelain tile", "quantity": 1500, "destination_country": "AU", "samples_required": True},
    {"product": "camping tent", "quantity": 200, "destination_country": "CA", "customization": ["color", "logo"]},
    {"product": "pet bed", "quantity": 300, "language": "en", "destination_country": "NL"},
    {"product": "circuit breaker", "quantity": 5000, "certifications": ["CE"], "destination_country": "PL"},
    {"product": "stretch film", "quantity": 2000, "target_unit_price": 8},
    {"product": "smart plug", "quantity": 1000, "certifications": ["FCC", "UL"], "destination_country": "US"},
    {"product": "bath towel", "quantity": 3000, "destination_country": "AE", "currency": "AED"},
    {"product": "dumbbell", "quantity": 100, "max_lead_time_days": 30},
    {"product": "hydraulic excavator", "quantity": 1},  # nothing like it in the demo catalog
    {"product": "tumbler", "language": "en", "quantity": 50, "certifications": ["FDA"], "destination_country": "US"},
    {"product": "refrigerated display cabinet", "quantity": 5, "max_operating_temp_c": 43, "destination_country": "QA"},
    {"product": "tote bag", "quantity": 200, "customization": ["logo", "oem"], "supplier_kind": "factory"},
]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--per-query", action="store_true")
    args = parser.parse_args()
    documents = ProductSearchDocument.objects.count()
    requirements = [Requirements(**data) for data in REQUIREMENTS]
    print(f"{connection.vendor}: {documents:,} search documents; {len(requirements)} requirements x {args.rounds}")
    for requirement in requirements:  # warm-up: per-process caches, the OS page cache
        plan_build(requirement)
    timings: dict[int, list[float]] = {i: [] for i in range(len(requirements))}
    details: dict[int, tuple[int, int]] = {}
    for _round in range(args.rounds):
        for i, requirement in enumerate(requirements):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = plan_build(requirement)
                timings[i].append(time.perf_counter() - started)
            details[i] = (result.query["candidates"], len(queries))
    every = [t for values in timings.values() for t in values]
    print(
        f"p50 {statistics.median(every) * 1000:.0f} ms, p95 {percentile(every, 0.95) * 1000:.0f} ms, "
        f"max {max(every) * 1000:.0f} ms; queries per plan {min(d[1] for d in details.values())}"
        f"-{max(d[1] for d in details.values())}"
    )
    if args.per_query:
        rows = sorted(timings.items(), key=lambda item: -statistics.median(item[1]))
        for i, values in rows:
            candidates, queries = details[i]
            print(
                f"{statistics.median(values) * 1000:7.0f} ms  {candidates:4d} suppliers  {queries:3d} queries  "
                f"{REQUIREMENTS[i]['product']}"
            )


if __name__ == "__main__":
    main()
