"""Cross-lingual search on a catalog the vocabulary was not written from.

40 English-only products (tests/search/data/foreign_catalog.jsonl) in categories whose slugs are neither the demo's
nor any vocabulary category hint, imported through `import_catalog` like a marketplace's own catalog. Buyer queries
in eight other languages (tests/search/data/foreign_queries.tsv, written before measuring) must find them through
the taxonomy vocabulary alone: no listing has a word in those languages, and no category boost can help.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils.text import slugify

from search.engine import product_search
from tests.factories import CategoryFactory, SupplierFactory

DATA = Path(__file__).parent / "data"
# The queries the issue reported as missing on such a catalog, one per language.
REPORTED = {
    "Elektroroller": "escooter",
    "discos de freno": "brake_disc",
    "デスクチェア": "desk_chair",
    "单晶光伏板": "mono_pv",
    "светодиодный прожектор": "floodlight",
    "مضخة غاطسة": "submersible",
    "meuleuse d'angle": "angle_grinder",
    "painel solar": "mono_pv",
}

pytestmark = pytest.mark.django_db


def foreign_queries():
    rows = []
    for line in (DATA / "foreign_queries.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            language, query, key = line.split("\t")
            rows.append((language, query, key))
    return rows


@pytest.fixture
def foreign_catalog(db, tmp_path):
    import json

    lines = (DATA / "foreign_catalog.jsonl").read_text(encoding="utf-8").splitlines()
    categories = {}
    for line in lines:
        parent = None
        for part in json.loads(line)["category"].split(" > "):
            if part not in categories:
                # "fx-" slugs: nothing in the vocabulary names these categories, so no boost can help.
                categories[part] = CategoryFactory(slug=f"fx-{slugify(part)}", name=part, names={}, parent=parent)
            parent = categories[part]
    supplier = SupplierFactory(slug="foreign-supplier", name="Acme Global Sourcing")
    call_command(
        "import_catalog",
        str(DATA / "foreign_catalog.jsonl"),
        "--supplier",
        supplier.slug,
        "--publish",
        stdout=io.StringIO(),
    )
    products = {p.external_id.removeprefix("foreign-"): p for p in supplier.products.all()}
    assert len(products) == len(lines) == 40
    assert all(p.status == "published" and not p.translations.exists() for p in products.values())
    return products


def evaluate(products, queries):
    """(hit@1, hit@3, misses) over `queries`, each searched with the buyer's language as the UI language."""
    ranks, misses = [], []
    for language, query, key in queries:
        ids = [p.pk for p in product_search(q=query, ui_language=language, hydrate=True).hits]
        rank = ids.index(products[key].pk) + 1 if products[key].pk in ids else None
        ranks.append(rank)
        if rank != 1:
            misses.append((language, query, key, rank))
    hit1 = sum(r == 1 for r in ranks) / len(ranks)
    hit3 = sum(r is not None and r <= 3 for r in ranks) / len(ranks)
    return hit1, hit3, misses


def test_reported_queries_find_the_english_only_product_first(foreign_catalog):
    queries = [(None, q, key) for q, key in REPORTED.items()]
    for _language, query, key in queries:
        hits = product_search(q=query).hits
        assert hits and hits[0].pk == foreign_catalog[key].pk, (query, [p.title for p in hits[:3]])


def test_foreign_catalog_cross_lingual_hit_rates(foreign_catalog):
    queries = foreign_queries()
    assert len(queries) >= 100 and {q[0] for q in queries} == {"de", "es", "fr", "pt", "ru", "ar", "ja", "zh-hans"}
    hit1, hit3, misses = evaluate(foreign_catalog, queries)
    print(f"\nforeign catalog: {len(queries)} queries, hit@1 {hit1:.3f}, hit@3 {hit3:.3f}; misses: {misses}")
    assert hit1 >= 0.9 and hit3 >= 0.95, misses
