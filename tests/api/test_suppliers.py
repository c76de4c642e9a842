"""The supplier directory: filters, storefront detail, current certifications, products, ETags, query counts."""

import pytest

from tests.factories import CertificationFactory, SupplierFactory

from .helpers import bulk_products, error_fields

pytestmark = pytest.mark.django_db


def slugs(response):
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["alpha-tools", "beta-housewares"]),
        ({"kind": "trading_company"}, ["beta-housewares"]),
        ({"country": "cn"}, ["alpha-tools"]),
        ({"verified": "true"}, ["alpha-tools"]),
        ({"verified": "false"}, ["beta-housewares"]),
        ({"certification": "CE"}, ["alpha-tools"]),
        ({"certification": "ROHS"}, []),  # expired
        ({"trade_assurance": "true"}, ["alpha-tools"]),
        ({"q": "housewares"}, ["beta-housewares"]),
        ({"offers": "oem"}, []),
    ],
)
def test_supplier_filters(api, catalog, query, expected):
    assert slugs(api.get("/api/v1/suppliers/", query)) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"kind": "pirate"}, "kind"),
        ({"country": "CHN"}, "country"),
        ({"verified": "maybe"}, "verified"),
        ({"certification": "ce-mark"}, "certification"),
        ({"offers": "teleportation"}, "offers"),
        ({"ordering": "-name"}, "ordering"),
        ({"page_size": "-1"}, "page_size"),
    ],
)
def test_supplier_bad_filters_are_400(api, catalog, query, field):
    response = api.get("/api/v1/suppliers/", query)
    assert response.status_code == 400
    assert field in {name for name, _code in error_fields(response)}


def test_supplier_orderings(api, catalog, supplier_a, supplier_b):
    supplier_a.median_response_minutes, supplier_a.rating_average = 300, "4.10"
    supplier_a.save()
    supplier_b.median_response_minutes, supplier_b.rating_average = 30, None
    supplier_b.save()
    assert slugs(api.get("/api/v1/suppliers/", {"ordering": "response_time"})) == ["beta-housewares", "alpha-tools"]
    assert slugs(api.get("/api/v1/suppliers/", {"ordering": "rating"})) == ["alpha-tools", "beta-housewares"]


def test_storefront_detail_shows_only_current_certificates(api, catalog):
    body = api.get("/api/v1/suppliers/alpha-tools/").json()
    assert body["name"] == "Alpha Tools Co., Ltd."
    assert body["is_verified"] is True
    assert [c["type"] for c in body["certifications"]] == ["CE"]
    assert body["patents"] == {"invention": 0, "utility": 0, "design": 0}
    assert body["web_url"] == "http://testserver/suppliers/alpha-tools/"

    certs = api.get("/api/v1/suppliers/alpha-tools/certifications/").json()
    assert [(c["type"], c["number"]) for c in certs] == [("CE", "CE-1")]


def test_supplier_products_lists_published_only(api, catalog):
    body = api.get("/api/v1/suppliers/beta-housewares/products/").json()
    assert [item["title"] for item in body["results"]] == ["Electric Kettle 1.7L"]
    filtered = api.get("/api/v1/suppliers/alpha-tools/products/", {"moq_max": 60}).json()
    assert [item["title"] for item in filtered["results"]] == ["Circular Saw 1400W"]


@pytest.mark.parametrize(
    "url",
    ["/api/v1/suppliers/nobody/", "/api/v1/suppliers/nobody/certifications/", "/api/v1/suppliers/nobody/products/"],
)
def test_unknown_supplier_is_404(api, db, url):
    response = api.get(url)
    assert response.status_code == 404
    assert error_fields(response) == {(None, "not_found")}


def test_supplier_detail_etag(api, catalog, supplier_a):
    url = "/api/v1/suppliers/alpha-tools/"
    etag = api.get(url)["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    CertificationFactory(supplier=supplier_a, type="FCC", number="FCC-9")  # a new certificate changes the page
    response = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


@pytest.mark.parametrize("rows", [5, 50])
def test_supplier_list_query_count_is_bounded(api, db, rows, django_assert_max_num_queries):
    SupplierFactory.create_batch(rows)
    with django_assert_max_num_queries(1):
        response = api.get("/api/v1/suppliers/", {"page_size": 50})
    assert len(response.json()["results"]) == rows
    with django_assert_max_num_queries(1):
        api.get("/api/v1/suppliers/", {"page_size": 50, "certification": "CE", "verified": "false"})


@pytest.mark.parametrize("rows", [5, 50])
def test_supplier_products_query_count_is_bounded(api, supplier_a, categories, rows, django_assert_max_num_queries):
    bulk_products(rows, supplier=supplier_a, category=categories["tools"])
    with django_assert_max_num_queries(4):
        response = api.get("/api/v1/suppliers/alpha-tools/products/", {"page_size": 50})
    assert len(response.json()["results"]) == rows


def test_certifications_query_count(api, supplier_a, django_assert_max_num_queries):
    CertificationFactory.create_batch(20, supplier=supplier_a)
    with django_assert_max_num_queries(2):
        assert len(api.get("/api/v1/suppliers/alpha-tools/certifications/").json()) == 20
