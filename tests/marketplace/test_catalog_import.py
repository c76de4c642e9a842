"""import_catalog: foreign category paths created on request (--create-categories, reported per row), and the
report says why an imported row is not published."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from marketplace.models import Product, ProductStatus
from taxonomy.models import Category
from taxonomy.services import category_path_ensure
from tests.factories import CategoryFactory, SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(db):
    tools = CategoryFactory(
        slug="power-tools", name="Power Tools", names={"de": "Elektrowerkzeuge"}, sector="industrial"
    )
    return {"tools": tools, "supplier": SupplierFactory(slug="acme")}


def run(tmp_path, rows, *args):
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    out = StringIO()
    call_command("import_catalog", str(path), "--supplier", "acme", *args, stdout=out)
    return out.getvalue()


def row(external_id, category, **extra):
    return {
        "external_id": external_id,
        "title": f"Item {external_id}",
        "category": category,
        "lead_time_days": 10,
        "price_tiers": [{"min_quantity": 1, "unit_price": "5"}],
        "publish": True,
        **extra,
    }


def test_create_categories_creates_foreign_paths_and_reports_them(tmp_path, setup):
    rows = [
        row("S-1", "Vehicles > Electric Scooters"),
        row("S-2", "Vehicles > Electric Scooters"),  # the same path again: found, not created twice
        row("S-3", "Elektrowerkzeuge > Schlagschrauber", language="de"),  # a new level under an existing one
        row("S-4", "Ghost > Town", moq=-1),  # rejected: its categories are not kept
    ]
    output = run(tmp_path, rows, "--create-categories")
    assert "imported 3 (3 new, 0 updated), rejected 1." in output
    assert output.count("created category 'Vehicles'") == 1
    assert output.count("created category 'Vehicles > Electric Scooters'") == 1
    assert "line 3 (S-3): created category 'Power Tools > Schlagschrauber'" in output
    scooters = Category.objects.get(name="Electric Scooters")
    assert scooters.parent.name == "Vehicles" and scooters.sector == "consumer"
    impact = Category.objects.get(name="Schlagschrauber")
    assert (
        impact.parent == setup["tools"] and impact.sector == "industrial" and impact.names == {"de": "Schlagschrauber"}
    )
    assert not Category.objects.filter(name__in=["Ghost", "Town"]).exists()
    assert set(Product.objects.filter(status=ProductStatus.PUBLISHED).values_list("external_id", flat=True)) == {
        "S-1",
        "S-2",
        "S-3",
    }
    assert Product.objects.get(external_id="S-2").category == scooters


def test_without_the_flag_unknown_paths_are_rejected_and_dry_run_creates_nothing(tmp_path, setup):
    output = run(tmp_path, [row("S-1", "Vehicles > Electric Scooters")])
    assert "unknown category path 'Vehicles > Electric Scooters'" in output and "rejected 1." in output
    output = run(tmp_path, [row("S-1", "Vehicles > Electric Scooters")], "--create-categories", "--dry-run")
    assert "would import 1 (1 new, 0 updated)" in output
    assert not Category.objects.filter(name="Vehicles").exists() and not Product.objects.exists()


def test_report_says_why_a_row_is_not_published(tmp_path, setup):
    rows = [
        {**row("D-1", "Power Tools"), "price_tiers": []},  # asked to publish, but no price tier
        {**row("D-2", "Power Tools"), "publish": False},
        {**row("D-3", "Power Tools"), "price_tiers": [{"min_quantity": 10, "unit_price": "4"}], "moq": 20},
    ]
    output = run(tmp_path, rows)
    assert "line 1 (D-1): imported as a draft, not published: add at least one price tier" in output
    assert "line 2 (D-2): imported as a draft: publishing was not asked for" in output
    assert "line 3 (D-3): imported as a draft, not published: no price tier may start below the MOQ" in output
    assert not Product.objects.filter(status=ProductStatus.PUBLISHED).exists()
    # A published listing the re-import breaks goes back to draft, and the report says why.
    run(tmp_path, [row("D-4", "Power Tools")])
    assert Product.objects.get(external_id="D-4").is_published
    output = run(tmp_path, [{**row("D-4", "Power Tools"), "price_tiers": []}])
    assert "line 1 (D-4): unpublished, back to draft: add at least one price tier" in output
    assert not Product.objects.get(external_id="D-4").is_published


def test_category_path_ensure(setup):
    category, created = category_path_ensure(path="power tools > Drills > Hammer Drills")
    assert [c.name for c in created] == ["Drills", "Hammer Drills"]
    assert category.parent.parent == setup["tools"] and category.slug == "hammer-drills"
    again, created = category_path_ensure(path="Power Tools > Drills > Hammer Drills")
    assert again == category and created == []
    other, _created = category_path_ensure(path="Garden > Drills")  # same name elsewhere: its own slug
    assert other.slug == "drills-2"
