"""PostgreSQL keeps each word's lexemes per process, bounded. When that cache is full, a query made partly of words
it holds and partly of new ones must still be answered: evicting for the new words must not drop the held ones
the same query is about to use (it did, and the search failed with a KeyError)."""

from collections import OrderedDict

import pytest
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from search.backends import postgres
from search.engine import product_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def lexeme_cache(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the lexeme cache belongs to the PostgreSQL backend")
    fresh: OrderedDict = OrderedDict()
    monkeypatch.setattr(postgres, "_LEXEMES", fresh)
    return fresh


def ids(result):
    """The listings that match every word (a short list goes on with partial matches: not what is tested here)."""
    return [hit.pk for hit in result.hits[: result.partial_from]]


def test_full_cache_still_answers_a_query_of_held_and_new_words(catalog, lexeme_cache, monkeypatch):
    drill = catalog["products"]["drill"].pk
    assert drill in ids(product_search(q="drill"))
    held = set(lexeme_cache)
    assert held, "the first search cached nothing: the test no longer exercises the cache"
    # Full to the brim: "batteries" is new, so answering the next query must evict, while "drill" is held.
    monkeypatch.setattr(postgres, "_LEXEMES_MAX", len(held))

    result = product_search(q="drill batteries")

    assert ids(result) == [drill]
    assert len(lexeme_cache) <= len(held)
    assert not held <= set(lexeme_cache), "nothing was evicted: the test no longer forces a rollover"


def test_fresh_words_roll_the_cache_over_between_real_queries(catalog, lexeme_cache, monkeypatch):
    """What the hostile run did: query after query carrying words never seen, each rolling the cache over, next to
    words it holds; on the page's engine and on the API."""
    monkeypatch.setattr(postgres, "_LEXEMES_MAX", 8)
    cache.clear()  # throttle counters
    api = APIClient()
    drill = catalog["products"]["drill"].pk
    rounds = 0
    for i in range(12):
        assert ids(product_search(q="drill batteries")) == [drill]  # held from here on (until evicted)
        response = api.get("/api/v1/search/", {"q": f"drill batteries zqxw{i}"})
        assert response.status_code == 200
        assert drill in [row["id"] for row in response.json()["results"]]
        assert drill in ids(product_search(q=f"drill plok{i}"))
        assert len(lexeme_cache) <= 8
        rounds += 1
    assert rounds == 12
