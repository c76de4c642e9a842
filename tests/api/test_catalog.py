"""Categories and products: localization, filters, ordering, cursor pagination, detail, ETags, query counts."""

import pytest

from marketplace.models import ProductTranslation

from .helpers import bulk_products, error_fields, make_product

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/products/"


def titles(response):
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


def test_category_tree_is_nested_and_localized(api, categories):
    tree = api.get("/api/v1/categories/").json()
    assert [node["slug"] for node in tree] == ["tools", "home"]
    assert tree[0]["children"][0]["slug"] == "drills"
    assert tree[0]["name"] == "Tools"

    german = api.get("/api/v1/categories/", HTTP_ACCEPT_LANGUAGE="de").json()
    assert german[0]["name"] == "Werkzeuge"
    assert german[0]["children"][0]["name"] == "Bohrmaschinen"
    chinese = api.get("/api/v1/categories/", HTTP_ACCEPT_LANGUAGE="zh-Hans").json()
    assert chinese[0]["name"] == "工具"
    assert chinese[1]["name"] == "Home"  # no Chinese name: the English one


def test_product_list_shows_published_cards_only(api, catalog):
    body = api.get(PRODUCTS).json()
    assert body["next"] is None
    by_title = {item["title"]: item for item in body["results"]}
    assert set(by_title) == {"Cordless Drill 18V", "Circular Saw 1400W", "Electric Kettle 1.7L"}
    drill = by_title["Cordless Drill 18V"]
    assert drill["supplier"]["slug"] == "alpha-tools"
    assert drill["supplier"]["is_verified"] is True
    assert drill["category"] == {"id": catalog["drill"].category_id, "slug": "drills", "name": "Drills"}
    assert drill["price_min"] == "11.0000" and drill["price_max"] == "12.5000"
    assert drill["customization"] == ["logo", "oem"]
    assert drill["image"].endswith("/media/products/drill.jpg")
    assert drill["web_url"].startswith("http://testserver/products/")


def test_product_list_speaks_the_requested_language(api, catalog):
    assert "Akku-Bohrschrauber 18V" in titles(api.get(PRODUCTS, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9"))
    assert "Cordless Drill 18V" in titles(api.get(PRODUCTS, HTTP_ACCEPT_LANGUAGE="fr"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"category": "tools"}, {"Cordless Drill 18V", "Circular Saw 1400W"}),  # includes sub-category drills
        ({"category": "drills"}, {"Cordless Drill 18V"}),
        ({"supplier": "beta-housewares"}, {"Electric Kettle 1.7L"}),
        ({"supplier_kind": "trading_company"}, {"Electric Kettle 1.7L"}),
        ({"country": "vn"}, {"Electric Kettle 1.7L"}),
        ({"verified": "true"}, {"Cordless Drill 18V", "Circular Saw 1400W"}),
        ({"verified": "false"}, {"Electric Kettle 1.7L"}),
        ({"trade_assurance": "1"}, {"Cordless Drill 18V", "Circular Saw 1400W"}),
        ({"certification": "CE"}, {"Cordless Drill 18V"}),
        ({"certification": "ROHS"}, set()),  # only an expired RoHS certificate
        ({"moq_max": "100"}, {"Cordless Drill 18V", "Circular Saw 1400W"}),
        ({"lead_time_max": "20"}, {"Cordless Drill 18V", "Electric Kettle 1.7L"}),
        ({"max_price": "10"}, {"Electric Kettle 1.7L"}),
        ({"min_price": "12"}, {"Cordless Drill 18V", "Circular Saw 1400W"}),
        ({"min_price": "11.5", "max_price": "12"}, {"Cordless Drill 18V"}),
        ({"customization": ["logo", "oem"]}, {"Cordless Drill 18V"}),
        ({"customization": "packaging"}, {"Electric Kettle 1.7L"}),
        ({"q": "cordless"}, {"Cordless Drill 18V"}),
        ({"q": "DRILL 18v"}, {"Cordless Drill 18V"}),
        ({"q": "bohrschrauber"}, {"Cordless Drill 18V"}),  # the German translation (and the glossary's English)
        ({"q": "kettle", "supplier_kind": "factory"}, set()),
    ],
)
def test_product_filters(api, catalog, query, expected):
    assert set(titles(api.get(PRODUCTS, query))) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"category": "no-such-category"}, "category"),
        ({"supplier": "nobody"}, "supplier"),
        ({"supplier_kind": "spaceship"}, "supplier_kind"),
        ({"country": "Germany"}, "country"),
        ({"verified": "banana"}, "verified"),
        ({"certification": "XYZ"}, "certification"),
        ({"moq_max": "-5"}, "moq_max"),
        ({"moq_max": "2.5"}, "moq_max"),
        ({"moq_max": "99999999999999999999"}, "moq_max"),
        ({"min_price": "cheap"}, "min_price"),
        ({"max_price": "NaN"}, "max_price"),
        ({"min_price": "20", "max_price": "10"}, "max_price"),
        ({"lead_time_max": "0"}, "lead_time_max"),
        ({"customization": "gold-plating"}, "customization"),
        ({"q": "x" * 201}, "q"),
        ({"q": "drill\x00"}, "q"),
        ({"ordering": "random"}, "ordering"),
        ({"page_size": "1000"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
def test_bad_query_values_are_field_errors(api, catalog, query, field):
    response = api.get(PRODUCTS, query)
    assert response.status_code == 400
    assert field in {name for name, _code in error_fields(response)}


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("price", ["Electric Kettle 1.7L", "Cordless Drill 18V", "Circular Saw 1400W"]),
        ("-price", ["Circular Saw 1400W", "Cordless Drill 18V", "Electric Kettle 1.7L"]),
        ("moq", ["Circular Saw 1400W", "Cordless Drill 18V", "Electric Kettle 1.7L"]),
        ("lead_time", ["Electric Kettle 1.7L", "Cordless Drill 18V", "Circular Saw 1400W"]),
        ("newest", ["Electric Kettle 1.7L", "Circular Saw 1400W", "Cordless Drill 18V"]),
    ],
)
def test_product_ordering(api, catalog, ordering, expected):
    assert titles(api.get(PRODUCTS, {"ordering": ordering})) == expected


@pytest.mark.parametrize("ordering", ["relevance", "newest", "price", "-price", "moq", "lead_time"])
def test_cursor_walks_every_product_once(api, supplier_a, categories, ordering):
    # Equal sort keys everywhere (same MOQ, price, lead time): the id tie-break must still page cleanly.
    products = bulk_products(7, supplier=supplier_a, category=categories["tools"])
    seen, url, pages = [], PRODUCTS + f"?page_size=3&ordering={ordering}", 0
    while url:
        body = api.get(url).json()
        seen += [item["id"] for item in body["results"]]
        url, pages = body["next"], pages + 1
    assert pages == 3
    assert sorted(seen) == sorted(p.pk for p in products)
    assert len(seen) == len(set(seen))


def test_cursor_from_another_ordering_is_rejected(api, supplier_a, categories):
    bulk_products(3, supplier=supplier_a, category=categories["tools"])
    next_url = api.get(PRODUCTS, {"page_size": 1, "ordering": "price"}).json()["next"]
    cursor = next_url.split("cursor=")[1].split("&")[0]
    response = api.get(PRODUCTS, {"cursor": cursor, "ordering": "moq"})
    assert response.status_code == 400
    assert error_fields(response) == {("cursor", "invalid_cursor")}


def test_product_detail_has_tiers_attributes_images_and_current_certificates(api, catalog):
    drill = catalog["drill"]
    body = api.get(f"{PRODUCTS}{drill.pk}/").json()
    assert body["price_tiers"] == [
        {"min_quantity": 100, "unit_price": "12.5000", "lead_time_days": None},
        {"min_quantity": 500, "unit_price": "11.0000", "lead_time_days": None},
    ]
    assert body["attributes"] == [{"name": "Voltage", "value": "18", "unit": "V"}]
    assert body["images"][0]["alt_text"] == "Drill"
    assert [c["type"] for c in body["certifications"]] == ["CE"]  # the expired RoHS one is not shown
    assert body["translation"] is None and body["content_language"] == "en"


def test_product_detail_in_german_carries_the_translation(api, catalog):
    body = api.get(f"{PRODUCTS}{catalog['drill'].pk}/", HTTP_ACCEPT_LANGUAGE="de").json()
    assert body["title"] == "Akku-Bohrschrauber 18V"
    assert body["description"] == "Bürstenlos."
    assert body["content_language"] == "de"
    assert body["translation"]["language"] == "de"


def test_draft_and_missing_products_are_404(api, catalog):
    for pk in (catalog["draft"].pk, 10**9, 2**70):
        response = api.get(f"{PRODUCTS}{pk}/")
        assert response.status_code == 404
        assert error_fields(response) == {(None, "not_found")}


def test_product_detail_etag_and_conditional_get(api, catalog):
    url = f"{PRODUCTS}{catalog['drill'].pk}/"
    first = api.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and "Accept-Language" in first["Vary"]
    again = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert api.get(url, HTTP_IF_NONE_MATCH=f'W/{etag}, "other"').status_code == 304
    # Another language is another representation.
    german = api.get(url, HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_LANGUAGE="de")
    assert german.status_code == 200 and german["ETag"] != etag
    # Changing what the detail shows (a translation) changes the tag, even though the product row did not change.
    ProductTranslation.objects.filter(product=catalog["drill"]).update(title="Bohrer")
    changed = api.get(url, HTTP_IF_NONE_MATCH=german["ETag"], HTTP_ACCEPT_LANGUAGE="de")
    assert changed.status_code == 200 and changed.json()["title"] == "Bohrer"
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304  # the English one did not change


@pytest.mark.parametrize("rows", [5, 50])
def test_product_list_query_count_is_bounded(api, supplier_a, categories, rows, django_assert_max_num_queries):
    bulk_products(rows, supplier=supplier_a, category=categories["drills"])
    # products, translations, images; plus the category lookup and tree for the category filter, and on
    # PostgreSQL the query words' lexemes (once per process and word).
    with django_assert_max_num_queries(3):
        response = api.get(PRODUCTS, {"page_size": 50}, HTTP_ACCEPT_LANGUAGE="de")
    assert len(response.json()["results"]) == rows
    with django_assert_max_num_queries(6):
        response = api.get(PRODUCTS, {"page_size": 50, "category": "tools", "verified": "false", "q": "bulk"})
    assert len(response.json()["results"]) == rows


def test_product_detail_query_count(api, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert api.get(f"{PRODUCTS}{catalog['drill'].pk}/").status_code == 200


def test_product_without_price_tiers_still_lists(api, supplier_a, categories):
    # Legacy rows without derived prices must not break price ordering or cursors.
    make_product(supplier=supplier_a, category=categories["tools"], title="No price", tiers=[])
    response = api.get(PRODUCTS, {"ordering": "price", "page_size": 1})
    assert response.status_code == 200
    assert response.json()["results"][0]["price_min"] is None


@pytest.mark.parametrize("param", ["verified", "moq_max", "supplier_kind", "country", "category", "customization"])
def test_empty_filter_values_are_400_not_ignored(api, catalog, param):
    response = api.get(PRODUCTS, {param: ""})
    assert response.status_code == 400
    assert (param, "blank") in error_fields(response)


def test_empty_search_is_no_search(api, catalog):
    assert len(titles(api.get(PRODUCTS, {"q": " "}))) == 3
