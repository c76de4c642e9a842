"""A query with a word few listings share does not hide the near matches (issue #11, "recall that degrades
gracefully"): when fewer listings than FILL_BELOW match every word, the first page goes on with the best listings
that match some of them, marked as such, on both backends, in the page and the API."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from search.engine import FILL_BELOW, product_search
from tests.search.conftest import make_product

pytestmark = pytest.mark.django_db
QUERY = "sds plus drill bit for concrete"


@pytest.fixture
def bits(catalog):
    supplier, category = catalog["factory"], catalog["tools"]
    listings = {
        "exact": "SDS Plus Masonry Drill Bit Set for Concrete",
        "no_concrete": "SDS Plus Drill Bit 10 x 160 mm",
        "chisel": "SDS Plus Flat Chisel 250 mm",
        "chair": "Ergonomic Mesh Office Chair",
    }
    return {key: make_product(supplier=supplier, category=category, title=title) for key, title in listings.items()}


def pks(hits):
    return [p.pk for p in hits]


def test_listings_matching_every_word_come_first_then_the_nearest(bits):
    result = product_search(q=QUERY)
    assert result.partial_from == 1
    assert pks(result.hits[:1]) == [bits["exact"].pk]
    partial = pks(result.hits[1:])
    # The bit without "concrete" is nearer than the chisel that shares only "sds plus"; a chair shares nothing.
    assert partial.index(bits["no_concrete"].pk) < partial.index(bits["chisel"].pk)
    assert bits["chair"].pk not in partial
    # The count and facets are those of the full matches: the page does not pretend the partial ones match.
    assert result.total == 1


def test_no_filling_when_enough_listings_match_or_on_other_orders_and_pages(bits, catalog):
    assert product_search(q=QUERY, sort="price").partial_from is None
    # A caller that must only see full matches (sourcing's candidates) asks for no filling.
    unfilled = product_search(q=QUERY, fill=False)
    assert unfilled.partial_from is None and pks(unfilled.hits) == [bits["exact"].pk]
    assert product_search(q=QUERY, page=2).partial_from is None  # asked past the last page: its rows, unfilled
    assert product_search(q="concrete").partial_from is None  # one word: nothing to match "some" of
    for n in range(FILL_BELOW):
        make_product(
            supplier=catalog["factory"], category=catalog["tools"], title=f"SDS Plus Drill Bit for Concrete {n}"
        )
    result = product_search(q=QUERY)
    assert result.partial_from is None and result.total == FILL_BELOW + 1


def test_filters_still_apply_to_the_partial_matches(bits, catalog):
    other = make_product(supplier=catalog["trader"], category=catalog["tools"], title="SDS Plus Drill Bit 12 x 210 mm")
    result = product_search(q=QUERY, params={"kind": "factory"})
    assert other.pk not in pks(result.hits)
    assert bits["no_concrete"].pk in pks(result.hits[result.partial_from :])


def test_the_page_marks_where_partial_matches_start(client, bits, django_assert_max_num_queries):
    # A plain search's 12 (tests/search/test_pages.py), the check that "plus" and "concrete" are the catalog's own
    # words before any spelling correction, and the one filling statement: whatever the catalog's size.
    with django_assert_max_num_queries(14):
        response = client.get("/search/", {"q": QUERY})
    html = response.content.decode()
    heading = html.index('class="partial-heading"')
    assert html.index(bits["exact"].title) < heading < html.index(bits["no_concrete"].title)


def test_the_api_reports_where_partial_matches_start(bits):
    cache.clear()  # throttle counters
    body = APIClient().get("/api/v1/search/", {"q": QUERY}).json()
    assert body["recovery"]["partial_from"] == 1
    assert [row["id"] for row in body["results"]][0] == bits["exact"].pk
    assert APIClient().get("/api/v1/search/", {"q": "concrete"}).json()["recovery"]["partial_from"] is None
