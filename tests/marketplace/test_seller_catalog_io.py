"""The seller's catalog export (CSV, XLSX; own products, the list's filters, bounded queries) and import (CSV or
XLSX, every row reported, all rows or none, another supplier's ids refused, limits and wrong files refused)."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from marketplace import catalog_import
from marketplace.models import PriceTier, Product, ProductStatus
from tests.factories import AttributeFactory, CategoryFactory, ProductFactory, TranslationFactory

pytestmark = pytest.mark.django_db

IMPORT = "seller:marketplace_product_import"


def export(client, kind, **params):
    response = client.get(reverse("seller:marketplace_product_export", args=[kind]), params)
    assert response.status_code == 200
    return response.content


def csv_dicts(content: bytes):
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def upload(client, name, content):
    return client.post(reverse(IMPORT), {"file": SimpleUploadedFile(name, content)})


def snapshot(products):
    out = []
    for p in Product.objects.filter(pk__in=[p.pk for p in products]).order_by("pk"):
        out.append(
            (
                p.pk,
                p.external_id,
                p.title,
                p.category_id,
                p.description,
                p.keywords,
                p.moq,
                p.unit,
                p.currency,
                p.lead_time_days,
                p.samples_available,
                p.sample_price,
                p.status,
                p.language,
                [(t.min_quantity, t.unit_price, t.lead_time_days) for t in p.price_tiers.all()],
                [(a.name, a.value, a.unit) for a in p.attributes.all()],
                [(t.language, t.title, t.description, t.keywords) for t in p.translations.all()],
            )
        )
    return out


@pytest.fixture
def catalogs(supplier_a, supplier_b):
    bottles = CategoryFactory(name="Drinkware", slug="drinkware")
    a1 = ProductFactory(
        supplier=supplier_a,
        category=bottles,
        title="Glass Bottle",
        external_id="GB-1",
        keywords="bottle, glass",
        samples_available=True,
        sample_price=Decimal("3.50"),
    )
    PriceTier.objects.filter(product=a1).update(lead_time_days=14)
    AttributeFactory(product=a1, name="Capacity", value="500", unit="ml")
    AttributeFactory(product=a1, name="Colour", value="red | blue", unit="x")  # needs JSON to round-trip
    TranslationFactory(product=a1, language="de", title="Glasflasche", description="Aus Glas", keywords="flasche")
    a2 = ProductFactory(
        supplier=supplier_a,
        category=bottles,
        title="Steel Mug",
        status=ProductStatus.DRAFT,
        description="Line one\nLine two",
    )
    b1 = ProductFactory(
        supplier=supplier_b, category=CategoryFactory(slug="knives"), title="Santoku Knife", external_id="SK-1"
    )
    return {"a": [a1, a2], "b": b1}


def test_export_csv_is_own_products_and_honours_filters(seller_a_client, catalogs):
    rows = csv_dicts(export(seller_a_client, "csv"))
    assert {r["title"] for r in rows} == {"Glass Bottle", "Steel Mug"}
    glass = next(r for r in rows if r["title"] == "Glass Bottle")
    assert glass["price_tiers"] == "100:12.5:14|500:11:14" and glass["category"] == "drinkware"
    assert glass["title_de"] == "Glasflasche" and glass["samples_available"] == "yes"
    assert {r["title"] for r in csv_dicts(export(seller_a_client, "csv", status__exact="draft"))} == {"Steel Mug"}


def test_export_xlsx(seller_a_client, catalogs):
    sheet = load_workbook(io.BytesIO(export(seller_a_client, "xlsx")), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("id", "external_id", "title") and len(rows) == 3
    assert "Santoku Knife" not in str(rows)


def test_export_queries_are_bounded(seller_a_client, catalogs, supplier_a, django_assert_max_num_queries):
    for i in range(30):
        product = ProductFactory(supplier=supplier_a, title=f"Extra {i}")
        AttributeFactory(product=product)
        TranslationFactory(product=product)
    with django_assert_max_num_queries(15):
        assert len(csv_dicts(export(seller_a_client, "csv"))) == 32


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_round_trip_changes_nothing(seller_a_client, catalogs, kind):
    before = snapshot(catalogs["a"])
    content = export(seller_a_client, kind)
    response = upload(seller_a_client, f"products.{kind}", content)
    html = response.content.decode()
    assert "Import done: 0 created, 2 updated." in html, html[:3000]
    assert snapshot(catalogs["a"]) == before


def test_rows_are_reported_and_one_error_changes_nothing(seller_a_client, catalogs):
    rows = csv_dicts(export(seller_a_client, "csv"))
    rows[0]["title"] = "Renamed"
    rows[1]["moq"] = "-3"
    rows.append({**rows[0], "id": "", "external_id": "NEW-1", "title": "New One", "category": "no-such-category"})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=catalog_import.EXPORT_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    html = upload(seller_a_client, "products.csv", out.getvalue().encode()).content.decode()
    assert "2 rows have errors: nothing was imported." in html
    assert "moq must be at least 1" in html and "unknown category path &#x27;no-such-category&#x27;" in html
    assert "<td>2</td>" in html and "<td>4</td>" in html  # line numbers (the header is line 1)
    assert not Product.objects.filter(title__in=["Renamed", "New One"]).exists()


def test_a_new_row_creates_a_product(seller_a_client, catalogs, supplier_a):
    content = (
        b"external_id,title,category,lead_time_days,price_tiers,status\n"
        b"NEW-1,Bamboo Lid,drinkware,7,50:1.20|200:1.00,published\n"
    )
    html = upload(seller_a_client, "new.csv", content).content.decode()
    assert "Import done: 1 created, 0 updated." in html
    product = Product.objects.get(supplier=supplier_a, external_id="NEW-1")
    assert product.moq == 50 and product.price_min == Decimal("1.0000")


def test_another_suppliers_ids_are_refused(seller_a_client, catalogs, supplier_b):
    b = catalogs["b"]
    content = (
        "id,external_id,title,category,lead_time_days,price_tiers\n"
        f"{b.pk},,Hijacked,drinkware,7,100:1\n"
        f"{catalogs['a'][0].pk},GB-1,Glass Bottle,drinkware,7,100:1\n"
        ",,No id,drinkware,7,100:1\n"
    ).encode()
    html = upload(seller_a_client, "x.csv", content).content.decode()
    assert f"id {b.pk} is not one of your products" in html and "nothing was imported" in html
    b.refresh_from_db()
    assert b.title == "Santoku Knife"
    content = b"external_id,title,category,lead_time_days,supplier\nZ-1,Mine?,drinkware,7,beta-housewares\n"
    html = upload(seller_a_client, "x.csv", content).content.decode()
    assert "unknown supplier &#x27;beta-housewares&#x27;" in html
    # An external id that only B uses names no product of A's: it creates A's own product, never touches B's.
    content = b"external_id,title,category,lead_time_days,price_tiers\nSK-1,Mine,drinkware,7,100:1\n"
    html = upload(seller_a_client, "x.csv", content).content.decode()
    assert "1 created" in html
    b.refresh_from_db()
    assert b.title == "Santoku Knife" and b.supplier == supplier_b


def test_wrong_files_and_limits_are_refused(seller_a_client, catalogs, monkeypatch):
    html = upload(seller_a_client, "catalog.pdf", b"%PDF-1.4").content.decode()
    assert "Upload a .csv or .xlsx file" in html
    html = upload(seller_a_client, "catalog.xlsx", b"title\nnot a workbook").content.decode()
    assert "not an Excel workbook" in html
    html = upload(seller_a_client, "catalog.csv", "title\nCafé".encode("latin-1")).content.decode()
    assert "not UTF-8" in html
    html = upload(seller_a_client, "catalog.csv", b"external_id,title\n").content.decode()
    assert "no product rows" in html
    monkeypatch.setattr(catalog_import, "MAX_ROWS", 1)
    html = upload(seller_a_client, "catalog.csv", b"external_id,title\na,A\nb,B\n").content.decode()
    assert "more than 1 products" in html
    monkeypatch.setattr(catalog_import, "MAX_UPLOAD_BYTES", 10)
    html = upload(seller_a_client, "catalog.csv", b"external_id,title\na,A\nb,B\n").content.decode()
    assert "larger than" in html


def test_xlsx_import_with_numbers_in_cells(seller_a_client, catalogs, supplier_a):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["external_id", "title", "category", "moq", "lead_time_days", "price_tiers", "samples_available"])
    sheet.append(["X-1", "Typed in Excel", "drinkware", 10, 5.0, "10:2.5", True])
    out = io.BytesIO()
    workbook.save(out)
    html = upload(seller_a_client, "typed.xlsx", out.getvalue()).content.decode()
    assert "1 created" in html, html[:2000]
    product = Product.objects.get(supplier=supplier_a, external_id="X-1")
    assert (product.moq, product.lead_time_days, product.samples_available) == (10, 5, True)


def test_other_sellers_cannot_see_the_import_of_nobody(client, catalogs, buyer):
    client.force_login(buyer)
    assert client.get(reverse(IMPORT)).status_code == 302  # not a seller: the login page
