"""Typo tolerance per language against the trade vocabulary (issue #11)."""

import pytest

from search.engine import product_search
from search.glossary import correct_word, typo_max_distance
from search.query import parse_query
from tests.search.conftest import make_product


def ids(result):
    return [p.pk for p in result.hits]


# --- typo tolerance ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed,language,word",
    [
        ("flashligt", "en", "flashlight"),
        ("generatr", "en", "generator"),
        ("taldro", "es", "taladro"),
        ("inalambriko", "es", "inalambrico"),
        ("perseuse", "fr", "perceuse"),
        ("meulleuse", "fr", "meuleuse"),
        ("schweisgerat", "de", "schweissgerat"),
        ("bohrschraubr", "de", "bohrschrauber"),
        ("furadera", "pt", "furadeira"),
        ("шуруповерд", "ru", "шуруповерт"),
        ("компресор", "ru", "компрессор"),
        ("болгарко", "ru", "болгарка"),
    ],
)
def test_misspelt_vocabulary_words_are_corrected_per_language(typed, language, word):
    assert correct_word(typed, language) == word


@pytest.mark.parametrize(
    "typed",
    [
        "drill",  # known
        "dril",  # too short to guess
        "qzxvbnmk",  # nothing near
        "电钻",  # CJK: not by edit distance
        "مثقاب",  # Arabic: left alone
        "18v",  # digits
    ],
)
def test_words_that_are_not_corrected(typed):
    assert correct_word(typed, "en") is None


def test_max_distance_grows_with_length():
    assert [typo_max_distance("x" * n) for n in (3, 4, 5, 7, 8, 12)] == [0, 0, 1, 1, 2, 2]


def test_corrected_word_is_searched_as_the_vocabulary_term_and_as_typed():
    parsed = parse_query("flashligt rechargeable")
    group = parsed.groups[0]
    assert group.text == "flashlight"
    assert ("flashligt",) in [a.tokens for a in group.alternatives]


@pytest.mark.parametrize("query", ["cordles drill", "Akku-Bohrschraubr", "taldro inalambriko", "шуруповерд"])
def test_misspelt_query_finds_the_product(catalog, query):
    result = product_search(q=query)
    assert catalog["products"]["drill"].pk in ids(result)[:2]


def test_a_word_the_catalog_uses_is_not_corrected(catalog):
    # "value" is one letter from the vocabulary's "valve": without a listing using it, it is read as a typo...
    assert parse_query("value pack").groups[0].text == "valve"
    pack = make_product(
        supplier=catalog["products"]["mug"].supplier, category=catalog["tools"], title="Value Pack Drill Bits"
    )
    # ...but the catalog's own words are never corrected (search.engine.indexed_words).
    result = product_search(q="value pack")
    assert result.query.groups[0].text == "value"
    assert ids(result) == [pack.pk]
