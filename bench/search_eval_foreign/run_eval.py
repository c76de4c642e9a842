"""Foreign-catalog search evaluation (issue #11): 304 English-only listings from another platform with near-duplicate
distractors, 334 buyer queries in nine languages with graded judgments (see README.md here).

    python bench/search_eval_foreign/run_eval.py --var-dir var/eval-foreign [--json out.json] [--misses]
    python bench/search_eval_foreign/run_eval.py --database-url postgres://postgres@127.0.0.1:5432/silkway_eval_foreign
    python bench/search_eval_foreign/run_eval.py --bm25

The engine runs reuse bench/search_eval_held_out/run_eval.py (start_django, import_current, search_current,
understood): the catalog is imported with import_catalog --publish --create-categories, every query is searched
with ui_language = the query's language. --database-url runs on PostgreSQL instead of the var dir's SQLite file: the
database is dropped and created afresh. --bm25 is the baseline the issue compares against: plain BM25 (tantivy,
English stemmer) over title + description + category + attribute text, the query as typed (no translation).

Score: nDCG@10 with gain 2^grade - 1 and a log2 discount, the ideal ranking taken from the judgments; reported per
language, per kind, non-English and ALL.
"""

import argparse
import importlib.util
import json
import math
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]
LANGS = ["en", "zh-hans", "es", "fr", "de", "pt", "ru", "ar", "ja"]
KINDS = ["spec", "cross_lingual", "synonym", "typo", "jargon", "numeric_range", "long_tail"]
K = 10


def held_out():
    """bench/search_eval_held_out/run_eval.py as a module (its functions are reused, not copied)."""
    path = PROJECT / "bench" / "search_eval_held_out" / "run_eval.py"
    spec = importlib.util.spec_from_file_location("held_out_run_eval", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--catalog", default=str(HERE / "catalog.jsonl"))
    p.add_argument("--queries", default=str(HERE / "queries.jsonl"))
    p.add_argument("--var-dir", default="var/eval-foreign", help="SILKWAY_VAR_DIR (own SQLite database)")
    p.add_argument("--database-url", help="run on this PostgreSQL database instead (dropped and created afresh)")
    p.add_argument("--bm25", action="store_true", help="plain BM25 baseline (tantivy), no Django")
    p.add_argument("--project", default=str(PROJECT))
    p.add_argument("--supplier", default="eval-foreign-factory")
    p.add_argument("--json", help="write the tables and per-query results to this file")
    p.add_argument("--misses", action="store_true", help="print the 5 weakest queries per language with the top 3")
    return p.parse_args(argv)


def ndcg(ranked, judgments, k=K):
    dcg = sum((2 ** judgments.get(pid, 0) - 1) / math.log2(i + 2) for i, pid in enumerate(ranked[:k]))
    ideal = sorted(judgments.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def load(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


# ---------------------------------------------------------------- the engine (SQLite or PostgreSQL)
def recreate_postgres(url):
    import psycopg

    server, _, name = url.rstrip("/").rpartition("/")
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def start_engine(args, ho):
    if not args.database_url:
        ho.start_django(args)
        return
    recreate_postgres(args.database_url)
    var_dir = os.path.abspath(args.var_dir)
    os.makedirs(var_dir, exist_ok=True)
    os.environ["SILKWAY_VAR_DIR"] = var_dir
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, os.path.abspath(args.project))
    os.chdir(os.path.abspath(args.project))
    import django

    django.setup()


def engine_searcher(args):
    ho = held_out()
    args.catalog = os.path.abspath(args.catalog)
    start_engine(args, ho)
    log = ho.import_current(args)
    from marketplace.models import Product

    imported = Product.objects.filter(supplier__slug=args.supplier).count()
    print(f"import: {imported} products of {args.supplier}")
    if "rejected 0." not in log:
        print(log)

    def search(query, lang):
        result = ho.search_current(query, lang)
        return [p.external_id for p in result.hits], ho.understood(result.query)

    return search


# ---------------------------------------------------------------- plain BM25 (tantivy)
def document_text(row):
    attributes = row.get("attributes") or []
    if isinstance(attributes, dict):
        attributes = [{"name": k, "value": v} for k, v in attributes.items()]
    attrs = " ".join(f"{a['name']} {a['value']} {a.get('unit', '')}" for a in attributes)
    return row["title"], row["description"], row["category"].replace(">", " "), attrs


def bm25_searcher(args):
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("eid", stored=True, tokenizer_name="raw")
    for name in ("title", "description", "category", "attributes"):
        builder.add_text_field(name, stored=False, tokenizer_name="en_stem")
    schema = builder.build()
    index = tantivy.Index(schema)  # in memory
    writer = index.writer(heap_size=50_000_000, num_threads=1)  # one segment: ties in a stable order
    for row in load(args.catalog):
        title, description, category, attrs = document_text(row)
        writer.add_document(
            tantivy.Document(
                eid=row["external_id"], title=title, description=description, category=category, attributes=attrs
            )
        )
    writer.commit()
    index.reload()
    searcher = index.searcher()
    fields = ["title", "description", "category", "attributes"]

    def search(query, lang):
        # The query as typed; characters the query parser treats as syntax become spaces (OR of the words).
        text = re.sub(r"[^\w.]+", " ", query).strip()
        if not text:
            return [], ""
        parsed = index.parse_query(text, fields)
        hits = searcher.search(parsed, 24).hits
        return [searcher.doc(address)["eid"][0] for _, address in hits], ""

    return search


# ---------------------------------------------------------------- report
def table(results, key):
    groups = defaultdict(list)
    for r in results:
        for value in key(r):
            groups[value].append(r["ndcg"])
    return {name: {"n": len(v), "ndcg@10": sum(v) / len(v)} for name, v in groups.items()}


def main(argv=None):
    args = parse_args(argv)
    queries = load(args.queries)
    catalog = {row["external_id"]: row for row in load(args.catalog)}
    if args.bm25:
        backend, search = "bm25 (tantivy, en_stem, query as typed)", bm25_searcher(args)
    else:
        backend = "engine on " + ("PostgreSQL" if args.database_url else "SQLite")
        search = engine_searcher(args)

    results = []
    for q in queries:
        ranked, understood = search(q["query"], q["language"])
        results.append(
            {
                "id": q["id"],
                "language": q["language"],
                "query": q["query"],
                "kinds": q["kinds"],
                "ndcg": ndcg(ranked, q["judgments"]),
                "top": ranked[:10],
                "understood": understood,
            }
        )

    by_lang = table(results, lambda r: [r["language"]])
    by_kind = table(results, lambda r: r["kinds"])
    overall = table(results, lambda r: ["non-English"] * (r["language"] != "en") + ["ALL"])
    print(f"== {backend}: {len(catalog)} listings, {len(queries)} queries, nDCG@{K}")
    print(f"{'':14} {'n':>4} {'nDCG@10':>8}")
    for name in [lang for lang in LANGS if lang in by_lang]:
        print(f"{name:14} {by_lang[name]['n']:4d} {by_lang[name]['ndcg@10']:8.3f}")
    for name in ("non-English", "ALL"):
        print(f"{name:14} {overall[name]['n']:4d} {overall[name]['ndcg@10']:8.3f}")
    print()
    for name in [kind for kind in KINDS if kind in by_kind]:
        print(f"{name:14} {by_kind[name]['n']:4d} {by_kind[name]['ndcg@10']:8.3f}")

    if args.misses:
        print("\nWeakest 5 queries per language (judgment grade of each of the top 3 in brackets):")
        for lang in LANGS:
            weakest = sorted((r for r in results if r["language"] == lang), key=lambda r: r["ndcg"])[:5]
            for r in weakest:
                judgments = next(q["judgments"] for q in queries if q["id"] == r["id"])
                top = "; ".join(f"{catalog[p]['title'][:40]} [{judgments.get(p, 0)}]" for p in r["top"][:3])
                best = max(judgments, key=judgments.get)
                print(f"  [{lang}] {r['query']!r} nDCG={r['ndcg']:.2f} top3: {top or '(nothing)'}")
                print(f"      wanted: {catalog[best]['title'][:60]}")
                if r["understood"]:
                    print(f"      understood: {r['understood']}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(
                {
                    "backend": backend,
                    "by_language": by_lang,
                    "by_kind": by_kind,
                    "overall": overall,
                    "results": results,
                },
                f,
                ensure_ascii=False,
                indent=1,
            )


if __name__ == "__main__":
    main()
