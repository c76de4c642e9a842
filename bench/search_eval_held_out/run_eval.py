"""Held-out multilingual search evaluation: English-only catalogs from outside the demo, and buyer queries in nine
languages written by people who had not seen the trade vocabulary (see README.md here). One var dir per run:

    python bench/search_eval_held_out/run_eval.py --catalog bench/search_eval_held_out/set2/catalog.jsonl \
        --queries bench/search_eval_held_out/set2/queries.tsv --var-dir var/eval-set2 [--json out.json] [--misses]

--var-dir sets SILKWAY_VAR_DIR (the SQLite database lives there) before Django starts; it is created if missing.
The database is migrated, one supplier is created, the catalog is imported with --publish --create-categories,
then every query is searched with ui_language = the query's language. Prints per language hit@1, hit@3 and MRR
(depth 24) and ALL; --misses lists the misses with how the engine read the query.
"""

import argparse
import io
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

LANGS = ["en", "zh-hans", "es", "fr", "de", "pt", "ru", "ar", "ja"]  # the report's row order
PROJECT = Path(__file__).resolve().parents[2]
DEPTH = 24  # must be one of the engine's PER_PAGE_CHOICES


def parse_args(argv=None, default_project=str(PROJECT)):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--catalog", required=True, help="JSONL catalog (external_id, title, description, category, ...)")
    p.add_argument("--queries", required=True, help="TSV: language<TAB>query<TAB>expected external_id")
    p.add_argument("--var-dir", required=True, help="SILKWAY_VAR_DIR for this run (own sqlite database)")
    p.add_argument("--project", default=default_project, help="project checkout to import (default: %(default)s)")
    p.add_argument("--supplier", default="eval-set-factory", help="slug of the supplier the listings belong to")
    p.add_argument("--label", default="", help="label printed above the table")
    p.add_argument("--json", help="write details (table, import counts, per-query results) to this file")
    p.add_argument("--misses", action="store_true", help="also print every query whose product is not first")
    return p.parse_args(argv)


def start_django(args):
    var_dir = os.path.abspath(args.var_dir)
    os.makedirs(var_dir, exist_ok=True)
    os.environ["SILKWAY_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("DATABASE_URL", None)  # the var dir's sqlite database, never another one
    sys.path.insert(0, os.path.abspath(args.project))
    os.chdir(os.path.abspath(args.project))
    import django

    django.setup()


def create_supplier(slug):
    from suppliers.models import Supplier

    Supplier.objects.get_or_create(slug=slug, defaults={"name": "Eval Set Factory", "kind": "factory", "country": "CN"})


def import_current(args):
    """Current code: import_catalog creates the category paths itself."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    create_supplier(args.supplier)
    out = io.StringIO()
    call_command(
        "import_catalog",
        os.path.abspath(args.catalog),
        "--supplier",
        args.supplier,
        "--publish",
        "--create-categories",
        stdout=out,
        stderr=out,
    )
    return out.getvalue()


def search_current(query, lang):
    from search.engine import product_search

    return product_search(q=query, ui_language=lang, hydrate=True, per_page=DEPTH)


def counts(args, document_model):
    from marketplace.models import Product, ProductStatus

    ours = Product.objects.filter(supplier__slug=args.supplier)
    return {
        "products": ours.count(),
        "published": ours.filter(status=ProductStatus.PUBLISHED).count(),
        "indexed": document_model.objects.filter(product__in=ours).count(),
        "published_in_db": Product.objects.filter(status=ProductStatus.PUBLISHED).count(),
    }


def understood(parsed):
    """How the engine read the query: each term group with the alternatives it matches (language:tokens)."""
    return " | ".join(
        f"{g.text}=>["
        + ", ".join(f"{a.language}:{' '.join(a.tokens)}" for a in g.alternatives[:6])
        + (", ..." if len(g.alternatives) > 6 else "")
        + "]"
        for g in parsed.groups
    )


def stats(rs):
    k = len(rs)
    if not k:
        return {"n": 0, "hit@1": 0.0, "hit@3": 0.0, "mrr": 0.0}
    return {
        "n": k,
        "hit@1": sum(r["rank"] == 1 for r in rs) / k,
        "hit@3": sum(r["rank"] is not None and r["rank"] <= 3 for r in rs) / k,
        "mrr": sum(1 / r["rank"] for r in rs if r["rank"]) / k,
    }


def evaluate(args, do_import, search, document_model_path):
    start_django(args)
    import importlib

    module, _, name = document_model_path.rpartition(".")
    document_model = getattr(importlib.import_module(module), name)
    import_log = do_import(args)
    imported = counts(args, document_model)

    lines = Path(args.queries).read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line.strip()]
    results = []
    for lang, query, expected in rows:
        result = search(query, lang)
        ids = [p.external_id for p in result.hits][:DEPTH]
        rank = ids.index(expected) + 1 if expected in ids else None
        results.append(
            {
                "lang": lang,
                "query": query,
                "expected": expected,
                "rank": rank,
                "top": ids[:5],
                "detected": result.query.language,
                "relaxed": result.relaxed,
                "total": result.total,
                "understood": understood(result.query),
            }
        )

    by_lang = defaultdict(list)
    for r in results:
        by_lang[r["lang"]].append(r)
    table = {lang: stats(by_lang[lang]) for lang in LANGS + sorted(set(by_lang) - set(LANGS))}
    table["all"] = stats(results)

    if args.label:
        print(f"== {args.label}")
    print(f"catalog={args.catalog} queries={args.queries} var={os.path.abspath(args.var_dir)}")
    print(
        f"import: {imported['products']} products of the eval supplier, {imported['published']} published, "
        f"{imported['indexed']} indexed ({imported['published_in_db']} published products in the database)"
    )
    if "rejected 0." not in import_log:
        print(import_log)
    print(f"{'lang':8} {'n':>3} {'hit@1':>6} {'hit@3':>6} {'MRR':>6}")
    for lang, s in table.items():
        print(f"{'ALL' if lang == 'all' else lang:8} {s['n']:3d} {s['hit@1']:6.3f} {s['hit@3']:6.3f} {s['mrr']:6.3f}")
    if args.misses:
        print("\nMisses (expected not at rank 1):")
        for r in results:
            if r["rank"] != 1:
                print(
                    f"  [{r['lang']}] {r['query']!r}: expected {r['expected']} at rank {r['rank'] or '-'}; "
                    f"top5={r['top']} (detected={r['detected']}, relaxed={r['relaxed'] or '-'}, "
                    f"total={r['total']})"
                )
                print(f"      understood: {r['understood'] or '(no term groups)'}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(
                {
                    "label": args.label,
                    "catalog": args.catalog,
                    "queries": args.queries,
                    "import": imported,
                    "import_log": import_log,
                    "table": table,
                    "results": results,
                },
                f,
                ensure_ascii=False,
                indent=1,
            )
    return table


if __name__ == "__main__":
    evaluate(parse_args(), import_current, search_current, "search.models.ProductSearchDocument")
