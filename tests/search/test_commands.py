"""import_catalog, search_catalog, search_eval and rebuild_search_index, run as operators run them."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from marketplace.models import Product
from search.engine import product_search
from search.models import ProductSearchDocument, SearchQuantity, SearchTerm
from search.services import search_index_rebuild

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def jsonl(tmp_path, catalog):
    rows = [
        {
            "external_id": "SKU-1",
            "title": "Brushless Impact Driver 20V",
            "category": "Power Tools",
            "description": "Three speeds.",
            "attributes": {"Voltage": "20 V", "Max Torque": "180 N·m"},
            "price_tiers": [{"min_quantity": 50, "unit_price": "31.00"}, {"min_quantity": 500, "unit_price": "28"}],
            "moq": 50,
            "lead_time_days": 30,
            "certifications": ["CE"],
            "publish": True,
            "translations": {"de": {"title": "Akku-Schlagschrauber 20V bürstenlos"}},
        },
        {"external_id": "SKU-2", "title": "No category", "category": "Nowhere > Else", "lead_time_days": 3},
        {
            "external_id": "SKU-3",
            "title": "Bad numbers",
            "category": "power-tools",
            "moq": -5,
            "price_tiers": [{"min_quantity": 1, "unit_price": "free"}],
            "lead_time_days": 10,
        },
    ]
    path = tmp_path / "catalog.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n{not json\n", encoding="utf-8")
    return path


def test_import_jsonl_reports_and_is_idempotent(jsonl, catalog):
    slug = catalog["factory"].slug
    output = run("import_catalog", str(jsonl), "--supplier", slug)
    assert "imported 1 (1 new, 0 updated), rejected 3." in output
    assert "unknown category path 'Nowhere > Else'" in output
    assert "moq must be at least 1" in output and "price tier unit_price is not a number" in output
    assert "invalid JSON" in output
    product = Product.objects.get(external_id="SKU-1")
    assert product.is_published and product.price_min == 28 and product.certifications.count() == 1
    assert ProductSearchDocument.objects.filter(product=product).exists()
    assert product.pk in [p.pk for p in product_search(q="Schlagschrauber").hits]
    output = run("import_catalog", str(jsonl), "--supplier", slug)
    assert "imported 1 (0 new, 1 updated)" in output
    assert Product.objects.filter(external_id="SKU-1").count() == 1


def test_import_csv_and_dry_run(tmp_path, catalog):
    path = tmp_path / "catalog.csv"
    path.write_text(
        "external_id,title,category,supplier,moq,lead_time_days,price_tiers,attributes,title_es,keywords\n"
        f"C-1,Submersible Sewage Pump 0.75kW,Power Tools,{catalog['trader'].slug},10,25,10:55.5|100:49,"
        'Motor Power=0.75 kW|Max Flow=10 m³/h,Bomba sumergible para aguas residuales,"sewage, pump"\n'
        "C-2,,Power Tools,,1,1,,,,\n",
        encoding="utf-8",
    )
    output = run("import_catalog", str(path), "--dry-run")
    assert "would import 1 (1 new, 0 updated), rejected 1." in output and "title is required" in output
    assert not Product.objects.filter(external_id="C-1").exists()
    run("import_catalog", str(path), "--publish")
    product = Product.objects.get(external_id="C-1")
    assert product.translations.get(language="es").title.startswith("Bomba")
    assert product.attributes.get(name="Motor Power").unit == "kW"
    assert product.pk in [p.pk for p in product_search(q="bomba sumergible").hits]


def test_import_rejects_missing_file_and_supplier(tmp_path, catalog):
    with pytest.raises(CommandError):
        call_command("import_catalog", str(tmp_path / "missing.jsonl"))
    path = tmp_path / "x.jsonl"
    path.write_text("{}\n")
    with pytest.raises(CommandError):
        call_command("import_catalog", str(path), "--supplier", "nobody")


def test_search_catalog_prints_ranked_json(catalog):
    data = json.loads(run("search_catalog", "Akku-Bohrschrauber 18V", "--limit", "3", "--json"))
    assert data["language"] == "de"
    assert data["results"][0]["product_id"] == catalog["products"]["drill"].pk
    assert [r["rank"] for r in data["results"]] == list(range(1, len(data["results"]) + 1))
    assert "18V Brushless Cordless Drill" in run("search_catalog", "cordless drill")
    with pytest.raises(CommandError):
        call_command("search_catalog", "drill", "--lang", "xx")


def test_search_eval_scores_per_language(tmp_path, catalog):
    drill, tumbler = catalog["products"]["drill"], catalog["products"]["tumbler"]
    Product.objects.filter(pk=drill.pk).update(external_id="D1")
    Product.objects.filter(pk=tumbler.pk).update(external_id="T1")
    path = tmp_path / "queries.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(q, ensure_ascii=False)
            for q in [
                {"id": "a", "lang": "de", "query": "Akku-Bohrschrauber", "judgments": {"D1": 3}},
                {"id": "b", "lang": "zh-hans", "query": "保温杯", "judgments": {"T1": 3}},
                {"id": "c", "lang": "en", "query": "unobtainium", "judgments": {"T1": 2}},
            ]
        ),
        encoding="utf-8",
    )
    data = json.loads(run("search_eval", str(path), "--json"))
    assert data["summary"]["de"]["ndcg@10"] == 1.0 and data["summary"]["zh-hans"]["mrr"] == 1.0
    assert data["summary"]["en"]["recall@50"] == 0.0
    assert data["summary"]["all"]["queries"] == 3


def test_rebuild_search_index(catalog):
    ProductSearchDocument.objects.all().delete()
    assert "Indexed 7 published products" in run("rebuild_search_index")
    assert ProductSearchDocument.objects.count() == 7
    assert catalog["products"]["drill"].pk in [p.pk for p in product_search(q="cordless drill").hits]


def _index_snapshot():
    documents = list(ProductSearchDocument.objects.order_by("pk").values())
    for row in documents:
        row.pop("indexed_at")
    return (
        documents,
        sorted(SearchTerm.objects.values_list("term", "frequency")),
        sorted(SearchQuantity.objects.values_list("document_id", "unit", "low", "high")),
    )


@pytest.mark.django_db(transaction=True)
def test_parallel_rebuild_writes_the_same_index(catalog):
    if connection.vendor != "postgresql":
        pytest.skip("parallel indexing needs a database with more than one writer")
    search_index_rebuild(batch_size=2)
    serial = _index_snapshot()
    assert "Indexed 7 published products" in run("rebuild_search_index", "--workers", "2", "--batch-size", "2")
    assert _index_snapshot() == serial
    assert [p.pk for p in product_search(q="Akku-Bohrschrauber").hits][0] == catalog["products"]["drill"].pk
    with pytest.raises(CommandError, match="--workers must be at least 1"):
        run("rebuild_search_index", "--workers", "0")
