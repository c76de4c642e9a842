"""The /search/ page, autocomplete, click beacon, bad input and the operators' zero-result report."""

import pytest
from django.urls import reverse

from search.models import SearchLog

pytestmark = pytest.mark.django_db
URL = "/search/"


def test_results_page_shows_cards_chips_and_facets(client, catalog):
    response = client.get(URL, {"q": "Akku-Bohrschrauber 18V Hersteller"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "18V Brushless Cordless Drill with 2 Batteries" in html
    assert "Manufacturers" in html and "18 V" in html  # understood, removable chips
    assert "ignore=kind%3Afactory" in html
    assert "Power Tools" in html  # category facet
    log = SearchLog.objects.get()
    assert log.query == "Akku-Bohrschrauber 18V Hersteller" and log.language == "de" and log.result_count == 1
    assert log.filters["understood"] == ["kind:factory", "qty:V:18:18"]


def test_removing_a_chip_widens_the_search(client, catalog):
    narrow = client.get(URL, {"q": "drill factory"}).context["result"].total
    wide = client.get(URL, {"q": "drill factory", "ignore": "kind:factory"}).context["result"].total
    assert wide > narrow


def test_supplier_tab_finds_factories_by_capability(client, catalog):
    response = client.get(URL, {"q": "Stainless Steel Tumbler manufacturer", "tab": "suppliers"})
    assert response.status_code == 200
    hits = response.context["result"].hits
    assert [s.name for s in hits] == ["Saigon Drinkware Works"]
    response = client.get(URL, {"q": "drill", "tab": "suppliers", "cert": "CE"})
    assert [s.name for s in response.context["result"].hits] == ["Yongkang Tools Factory"]


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "x" * 10_000},
        {"q": "\x00\x01\x02\xff\ufffd binary"},
        {"q": "AND OR NOT"},
        {"q": 'drill" OR "1"="1'},
        {"q": "drill*"},
        {"q": "NEAR(drill mug, 2)"},
        {"q": "'; DROP TABLE marketplace_product; --"},
        {"q": "drill", "page": str(10**9)},
        {"q": "drill", "page": "-3"},
        {"q": "drill", "page": "abc"},
        {"q": "drill", "per_page": "100000"},
        {
            "q": "drill",
            "cert": "NOPE",
            "kind": "alien",
            "country": "Narnia",
            "moq": "7",
            "price": "free",
            "category": "no-such",
            "custom": "gold",
            "sort": "random",
            "lang": "xx",
        },
        {"q": "drill", "tab": "elsewhere"},
        {"q": "$$$ under $ 5 kW -°C 18 V V V"},
    ],
)
def test_bad_input_gives_a_normal_page(client, catalog, params):
    response = client.get(URL, params)
    assert response.status_code == 200


def test_bad_input_is_explained(client, catalog):
    html = client.get(URL, {"q": "drill " * 100, "cert": "NOPE"}).content.decode()
    assert "first 200 characters" in html
    assert "Unknown filter values were ignored: NOPE" in html


def test_page_out_of_range_shows_the_last_page(client, catalog):
    response = client.get(URL, {"q": "drill", "per_page": "12", "page": str(10**9)})
    assert response.context["page"].number == response.context["page"].num_pages


@pytest.mark.parametrize("per_page", [12, 96])
def test_bounded_queries_whatever_the_page_size(client, catalog, django_assert_max_num_queries, per_page):
    from tests.search.conftest import make_product

    for n in range(30):
        make_product(
            supplier=catalog["factory"],
            category=catalog["tools"],
            title=f"Cordless Drill Model {n}",
            translations={"de": (f"Akku-Bohrschrauber {n}", "")},
        )
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"q": "cordless drill", "per_page": per_page})
    assert len(response.context["result"].hits) == min(per_page, 32)
    with django_assert_max_num_queries(8):
        client.get(URL, {"q": "factory", "tab": "suppliers", "per_page": per_page})


def test_autocomplete(client, catalog):
    data = client.get(reverse("search:autocomplete"), {"q": "cordl"}).json()
    assert "cordless" in data["terms"]
    data = client.get(reverse("search:autocomplete"), {"q": "elektrow"}).json()
    assert [c["slug"] for c in data["categories"]] == ["power-tools"]
    assert client.get(reverse("search:autocomplete"), {"q": "\x00"}).json()["terms"] == []


def test_click_beacon_counts_without_personal_data(client, catalog):
    client.get(URL, {"q": "mug"})
    log = SearchLog.objects.get()
    assert client.post(reverse("search:click"), {"log": log.pk}).status_code == 200
    assert client.post(reverse("search:click"), {"log": "junk"}).status_code == 400
    log.refresh_from_db()
    assert log.clicks == 1
    field_names = {f.name for f in SearchLog._meta.fields}
    assert not field_names & {"user", "ip", "session", "user_agent"}


def test_zero_result_report_for_operators(client, catalog, operator):
    client.get(URL, {"q": "unobtainium widget"})
    client.get(URL, {"q": "Unobtainium  widget"})
    client.get(URL, {"q": "mug"})
    client.force_login(operator)
    response = client.get(reverse("admin:search_zeroresultsearch_changelist"))
    assert response.status_code == 200
    rows = list(response.context["rows"])
    assert [(r["normalized"], r["searches"]) for r in rows] == [("unobtainium widget", 2)]
    assert client.get(reverse("admin:search_searchlog_changelist")).status_code == 200
