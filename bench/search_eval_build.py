"""Build the multilingual evaluation set for the demo catalog: bench/search_eval_queries.jsonl.

    python manage.py seed_demo            # default: seed 42, 3,000 products
    python bench/search_eval_build.py     # writes the judgments for that catalog

Judgments come from what each product IS (the demo template it was generated from, and its attribute values),
never from any search engine: grade 3 = the product type asked for with every spec asked for, 2 = that product
type without the spec, 1 = another product in the same leaf category, 0 = unrelated (not stored).
Head queries are each product type's own name in each of the nine languages (every third type); long-tail
queries are buyer phrasings written by hand: synonyms the listings do not use, specs, cross-language terms.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from demo import catalog as demo_catalog  # noqa: E402
from marketplace.models import Product, ProductAttribute, ProductStatus  # noqa: E402

OUT = ROOT / "bench" / "search_eval_queries.jsonl"

# (language, query, product types (English nouns), {attribute: required substring of "value unit"})
LONG_TAIL = [
    ("en", "cordless drill 18V brushless", ["Cordless Drill"], {"Voltage": "18"}),
    ("en", "18v drill driver", ["Cordless Drill"], {"Voltage": "18"}),
    ("en", "impact wrench 18V", ["Cordless Impact Wrench"], {"Voltage": "18"}),
    ("en", "battery storage cabinet working at -30°C", ["Outdoor Battery Energy Storage Cabinet"], {}),
    ("en", "thermos cup 500ml", ["Vacuum Insulated Tumbler"], {"Capacity": "500"}),
    ("en", "travel mug stainless", ["Vacuum Insulated Tumbler"], {}),
    ("en", "borosilicate water bottle", ["Glass Water Bottle"], {}),
    ("en", "sublimation mug", ["Ceramic Coffee Mug"], {}),
    ("en", "skillet", ["Non-stick Frying Pan"], {}),
    ("en", "home battery 48V lifepo4", ["Wall-Mounted LiFePO4 Home Battery"], {"Nominal Voltage": "48"}),
    ("en", "solar panel 430W", ["Monocrystalline Solar Panel"], {"Rated Power": "430"}),
    ("en", "hybrid inverter", ["Hybrid Solar Inverter"], {}),
    ("en", "mcb circuit breaker 6A", ["Miniature Circuit Breaker"], {"Rated Current": "6"}),
    ("en", "pv cable 4mm2", ["Solar PV Cable"], {"Cross Section": "4"}),
    ("en", "fiber laser cutter", ["Fiber Laser Cutting Machine"], {}),
    ("en", "submersible sewage pump", ["Submersible Sewage Pump"], {}),
    ("en", "yoga mat tpe", ["Yoga Mat"], {"Material": "TPE"}),
    ("en", "gan charger usb-c", ["GaN Fast Charger"], {}),
    ("en", "power bank 10000mAh", ["Magnetic Power Bank"], {"Capacity": "10000"}),
    ("en", "tws earbuds", ["True Wireless Earbuds"], {}),
    ("en", "led bulb e27", ["LED Light Bulb"], {"Base": "E27"}),
    ("en", "hi vis vest", ["Hi-Vis Safety Vest"], {}),
    ("en", "steel toe safety shoes", ["Safety Shoes"], {}),
    ("en", "stretch wrap film", ["LLDPE Stretch Film"], {}),
    ("en", "cordles dril", ["Cordless Drill"], {}),
    ("en", "stainles steel sheet", ["Cold Rolled Stainless Steel Sheet"], {}),
    ("de", "Akku-Bohrschrauber 18V", ["Cordless Drill"], {"Voltage": "18"}),
    ("de", "Akkuschrauber", ["Cordless Drill"], {}),
    ("de", "Thermobecher Edelstahl", ["Vacuum Insulated Tumbler"], {}),
    ("de", "Solarmodul 430 W", ["Monocrystalline Solar Panel"], {"Rated Power": "430"}),
    ("de", "Stromspeicher Wandmontage", ["Wall-Mounted LiFePO4 Home Battery"], {}),
    ("de", "Winkelschleifer Hersteller", ["Angle Grinder"], {}),
    ("de", "Sicherheitsschuhe S3", ["Safety Shoes"], {"Protection Class": "S3"}),
    ("es", "taladro inalámbrico 18V", ["Cordless Drill"], {"Voltage": "18"}),
    ("es", "taladro inalambrico", ["Cordless Drill"], {}),
    ("es", "termo de acero inoxidable", ["Vacuum Insulated Tumbler"], {}),
    ("es", "panel solar 430W fábrica", ["Monocrystalline Solar Panel"], {"Rated Power": "430"}),
    ("es", "sartén antiadherente 28 cm", ["Non-stick Frying Pan"], {"Diameter": "28"}),
    ("es", "bomba sumergible", ["Submersible Sewage Pump"], {}),
    ("fr", "perceuse sans fil 18V", ["Cordless Drill"], {"Voltage": "18"}),
    ("fr", "visseuse", ["Cordless Drill"], {}),
    ("fr", "panneau solaire monocristallin", ["Monocrystalline Solar Panel"], {}),
    ("fr", "gourde en verre", ["Glass Water Bottle"], {}),
    ("fr", "disjoncteur", ["Miniature Circuit Breaker"], {}),
    ("pt", "furadeira sem fio", ["Cordless Drill"], {}),
    ("pt", "parafusadeira 18V", ["Cordless Drill"], {"Voltage": "18"}),
    ("pt", "garrafa térmica inox", ["Vacuum Insulated Tumbler"], {}),
    ("pt", "painel solar 430W", ["Monocrystalline Solar Panel"], {"Rated Power": "430"}),
    ("pt", "inversor solar híbrido", ["Hybrid Solar Inverter"], {}),
    ("ru", "шуруповерт аккумуляторный", ["Cordless Drill"], {}),
    ("ru", "дрель 18В", ["Cordless Drill"], {"Voltage": "18"}),
    ("ru", "термос из нержавеющей стали", ["Vacuum Insulated Tumbler"], {}),
    ("ru", "солнечная панель", ["Monocrystalline Solar Panel", "Flexible Solar Panel"], {}),
    ("ru", "автоматический выключатель", ["Miniature Circuit Breaker"], {}),
    ("ar", "مثقاب لاسلكي", ["Cordless Drill"], {}),
    ("ar", "لوح شمسي", ["Monocrystalline Solar Panel", "Flexible Solar Panel"], {}),
    ("ar", "ترمس", ["Vacuum Insulated Tumbler"], {}),
    ("ar", "مضخة غاطسة", ["Submersible Sewage Pump"], {}),
    ("zh-hans", "找工厂 不锈钢保温杯", ["Vacuum Insulated Tumbler"], {}),
    ("zh-hans", "保温杯 500ml", ["Vacuum Insulated Tumbler"], {"Capacity": "500"}),
    ("zh-hans", "电钻 18V", ["Cordless Drill"], {"Voltage": "18"}),
    ("zh-hans", "太阳能板 430W", ["Monocrystalline Solar Panel"], {"Rated Power": "430"}),
    ("zh-hans", "储能柜", ["Outdoor Battery Energy Storage Cabinet"], {}),
    ("zh-hans", "户外储能", ["Outdoor Battery Energy Storage Cabinet", "Portable Power Station"], {}),
    ("zh-hans", "不粘锅", ["Non-stick Frying Pan"], {}),
    ("ja", "充電式ドリル", ["Cordless Drill"], {}),
    ("ja", "タンブラー ステンレス", ["Vacuum Insulated Tumbler"], {}),
    ("ja", "ソーラーパネル 430W", ["Monocrystalline Solar Panel"], {"Rated Power": "430"}),
    (
        "ja",
        "蓄電池",
        ["Wall-Mounted LiFePO4 Home Battery", "Outdoor Battery Energy Storage Cabinet", "Portable Power Station"],
        {},
    ),
    ("ja", "フライパン", ["Non-stick Frying Pan"], {}),
]


def templates():
    for top in demo_catalog.CATEGORIES:
        for leaf in top["children"]:
            for template in leaf["products"]:
                yield leaf["slug"], template


def product_truth():
    """external_id -> (English noun, leaf slug, {attribute: 'value unit'}) for the published demo products."""
    nouns = sorted(((t["noun"]["en"], slug) for slug, t in templates()), key=lambda item: -len(item[0]))
    attributes = {}
    for pid, name, value, unit in ProductAttribute.objects.values_list("product_id", "name", "value", "unit"):
        attributes.setdefault(pid, {})[name] = f"{value} {unit}".strip()
    truth = {}
    for pid, external_id, title in Product.objects.filter(
        status=ProductStatus.PUBLISHED, external_id__startswith="demo-"
    ).values_list("pk", "external_id", "title"):
        noun, slug = next(((n, s) for n, s in nouns if n in title), (None, None))
        truth[external_id] = (noun, slug, attributes.get(pid, {}))
    return truth


def judge(truth, wanted_nouns, specs):
    slugs = {slug for slug, t in templates() if t["noun"]["en"] in wanted_nouns}
    grades = {}
    for external_id, (noun, slug, attributes) in truth.items():
        if noun in wanted_nouns:
            met = all(needle.lower() in attributes.get(name, "").lower() for name, needle in specs.items())
            grades[external_id] = 3 if met else 2
        elif slug in slugs:
            grades[external_id] = 1
    return grades


def main():
    truth = product_truth()
    if not truth:
        raise SystemExit("No demo products: run `python manage.py seed_demo` first.")
    queries = []
    head = [t for i, (_slug, t) in enumerate(templates()) if i % 3 == 0]
    for language in demo_catalog.LANGUAGES:
        for template in head:
            queries.append(("head", language, template["noun"][language], [template["noun"]["en"]], {}))
    queries += [("long-tail", *row) for row in LONG_TAIL]
    with OUT.open("w", encoding="utf-8") as out:
        for n, (kind, language, query, nouns, specs) in enumerate(queries, 1):
            grades = judge(truth, nouns, specs)
            out.write(
                json.dumps(
                    {
                        "id": f"q{n:03d}",
                        "kind": kind,
                        "lang": language,
                        "query": query,
                        "judgments": dict(sorted(grades.items())),
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    print(f"wrote {len(queries)} queries over {len(truth)} products to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
