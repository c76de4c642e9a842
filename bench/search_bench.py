"""Search latency benchmark: p50/p95 of a mixed query set (multilingual head and long-tail queries, understood
filters, facet parameters), end to end through product_search with facets and a hydrated first page of 24.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/silkway_bench   # or nothing for SQLite
    python manage.py migrate && python manage.py rebuild_search_index        # once
    python bench/search_bench.py [--rounds 3] [--tantivy]

--tantivy also indexes the same documents (same folding, segmentation and stemming as the SQLite backend) into
tantivy (pip install -r bench/requirements.txt) and runs the same queries with a top-24 search plus the same
facet counts (category, supplier kind, MOQ, price) as aggregations: a peer baseline for the engine alone.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from search.engine import product_search  # noqa: E402
from search.query import CJK_LANGUAGES, parse_query  # noqa: E402
from search.text import index_tokens, stem  # noqa: E402

QUERIES = [
    ("cordless drill 18V brushless", {}),
    ("Akku-Bohrschrauber", {}),
    ("taladro inalámbrico", {}),
    ("battery storage cabinet working at -30°C", {}),
    ("找工厂 不锈钢保温杯", {}),
    ("真空断熱タンブラー", {}),
    ("solar panel 430W", {}),
    ("power bank under $5 FCC", {}),
    ("stainless steel", {}),
    ("led", {}),
    ("Thermobecher Edelstahl", {}),
    ("perceuse sans fil", {}),
    ("painel solar", {}),
    ("солнечная панель", {}),
    ("لوح شمسي", {}),
    ("yoga mat", {"price": "1-5"}),
    ("pump", {"kind": "factory"}),
    ("cable", {"cert": "CE"}),
    ("mug", {"moq": "500", "verified": "1"}),
    ("frying pan 28 cm", {"lead": "45"}),
    ("cordles dril", {}),
    ("safety shoes S3 factory", {}),
    ("fiber laser cutting machine 1.5kW", {}),
    ("ceramic tile 600x600", {}),
    ("circuit breaker 6A", {"ta": "1"}),
    ("电钻", {}),
    ("ソーラーパネル", {}),
    ("bolt DIN 931", {}),
    ("", {"category": "power-tools"}),
    ("camping tent 2 persons", {"custom": "logo"}),
]


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))]


def run_backend(rounds, per_query=None):
    for q, params in QUERIES:  # warm-up: jieba, caches, plans
        product_search(q=q, params=params)
    timings = []
    for _ in range(rounds):
        for q, params in QUERIES:
            started = time.perf_counter()
            result = product_search(q=q, params=params)
            elapsed = (time.perf_counter() - started) * 1000
            timings.append(elapsed)
            assert result.facets is not None
            if per_query is not None:
                per_query.setdefault((q, json.dumps(params)), {"matches": result.total, "ms": []})["ms"].append(elapsed)
    return timings


def tantivy_terms(group):
    terms = []
    for alternative in group.alternatives:
        tokens = []
        for word in alternative.tokens:
            for token in index_tokens(word) if alternative.language not in CJK_LANGUAGES else [word]:
                tokens.append(stem(token, alternative.language))
        if tokens:
            terms.append(tokens)
    return terms


def run_tantivy(rounds):
    import tantivy

    from search.backends.sqlite import COLUMNS
    from search.documents import build_documents, category_paths
    from search.models import ProductSearchDocument
    from search.text import stemmed_text

    builder = tantivy.SchemaBuilder()
    for name in ("title", "keywords", "body"):
        builder.add_text_field(name, stored=False, tokenizer_name="whitespace")
    builder.add_integer_field("pid", stored=True, fast=True, indexed=True)
    for name in ("category", "moq"):
        builder.add_integer_field(name, fast=True, indexed=True)
    builder.add_float_field("price", fast=True, indexed=True)
    builder.add_text_field("kind", fast=True, tokenizer_name="raw")
    schema = builder.build()
    folder = tempfile.mkdtemp(prefix="silkway-tantivy-")
    index = tantivy.Index(schema, path=folder)
    writer = index.writer(heap_size=256_000_000)
    kinds = dict(ProductSearchDocument.objects.values_list("product_id", "supplier__kind"))
    ids = list(ProductSearchDocument.objects.order_by("pk").values_list("pk", flat=True))
    paths = category_paths()
    started = time.monotonic()
    for start in range(0, len(ids), 2000):
        documents, _ = build_documents(ids[start : start + 2000], paths=paths)
        for d in documents:
            columns = [[], [], []]
            for language, weight, text in d.segments:
                columns[COLUMNS[weight]].append(stemmed_text(text, language))
            writer.add_document(
                tantivy.Document(
                    pid=d.product_id,
                    title=" ".join(columns[0]),
                    keywords=" ".join(columns[1]),
                    body=" ".join(columns[2]),
                    category=d.fields["category_id"],
                    moq=d.fields["moq"],
                    price=float(d.fields["price_min"] or 0),
                    kind=kinds[d.product_id],
                )
            )
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    print(f"tantivy: indexed {len(ids)} documents in {time.monotonic() - started:.0f}s")
    searcher = index.searcher()
    aggregations = {
        "category": {"terms": {"field": "category", "size": 50}},
        "kind": {"terms": {"field": "kind"}},
        "moq": {
            "range": {
                "field": "moq",
                "ranges": [
                    {"to": 101},
                    {"from": 101, "to": 501},
                    {"from": 501, "to": 1001},
                    {"from": 1001, "to": 5001},
                    {"from": 5001},
                ],
            }
        },
        "price": {
            "range": {
                "field": "price",
                "ranges": [
                    {"to": 1},
                    {"from": 1, "to": 5},
                    {"from": 5, "to": 20},
                    {"from": 20, "to": 100},
                    {"from": 100},
                ],
            }
        },
    }

    def build(q):
        parsed = parse_query(q)
        groups = []
        for group in parsed.groups:
            alternatives = []
            for tokens in tantivy_terms(group):
                must = []
                for token in tokens:
                    fields = [
                        tantivy.Query.boost_query(tantivy.Query.term_query(schema, f, token), w)
                        for f, w in (("title", 10.0), ("keywords", 4.0), ("body", 1.0))
                    ]
                    must.append(
                        (tantivy.Occur.Must, tantivy.Query.boolean_query([(tantivy.Occur.Should, f) for f in fields]))
                    )
                alternatives.append((tantivy.Occur.Should, tantivy.Query.boolean_query(must)))
            groups.append((tantivy.Occur.Must, tantivy.Query.boolean_query(alternatives)))
        return tantivy.Query.boolean_query(groups) if groups else tantivy.Query.all_query()

    timings = []
    for round_ in range(rounds + 1):
        for q, _params in QUERIES:
            started = time.perf_counter()
            query = build(q)
            searcher.search(query, 24)
            searcher.aggregate(query, aggregations)
            if round_:
                timings.append((time.perf_counter() - started) * 1000)
    return timings


def report(name, timings):
    return {
        "engine": name,
        "queries": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "max_ms": round(max(timings), 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tantivy", action="store_true")
    parser.add_argument("--per-query", action="store_true", help="Also print each query's matches and median.")
    args = parser.parse_args()
    from search.models import ProductSearchDocument

    documents = ProductSearchDocument.objects.count()
    per_query = {} if args.per_query else None
    results = [report(f"silkway/{connection.vendor}", run_backend(args.rounds, per_query))]
    if args.tantivy:
        results.append(report("tantivy", run_tantivy(args.rounds)))
    print(json.dumps({"indexed_products": documents, "query_set": len(QUERIES), "results": results}, indent=2))
    for (q, params), row in sorted((per_query or {}).items(), key=lambda item: -statistics.median(item[1]["ms"])):
        print(f"{statistics.median(row['ms']):7.1f} ms {row['matches']:>8} matches  {q!r} {params}")


if __name__ == "__main__":
    main()
