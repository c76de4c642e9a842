"""The demo data agrees with itself (issue #16): supplier names, product lines, titles in every language, board
leaders, rank history and verified certificates. The checks themselves are in tests/demo/coherence.py."""

import io
import re

import pytest
from django.core.management import call_command

from demo import catalog
from rankings.models import Snapshot
from suppliers.models import Certification, Supplier

from . import coherence

# --- the seed data, without a database ---------------------------------------------------------------------------

LEAVES = {leaf["slug"]: top["slug"] for top in catalog.CATEGORIES for leaf in top["children"]}
TEMPLATES = [template for top in catalog.CATEGORIES for leaf in top["children"] for template in leaf["products"]]

# Two weeks show a history as well as the demo's six and publish a third as many boards.
WEEKS = 2


def test_every_trade_is_one_line_of_business_and_every_category_has_one():
    for trade in catalog.TRADES:
        assert set(trade["categories"]) <= set(LEAVES), trade
        assert len({LEAVES[slug] for slug in trade["categories"]}) == 1, f"{trade['name']} spans top-level categories"
    assert {slug for trade in catalog.TRADES for slug in trade["categories"]} == set(LEAVES)
    # A name reads back as the trade it was built with, whatever the city, word and suffix around it.
    for trade in catalog.TRADES:
        for suffix in [*catalog.FACTORY_SUFFIXES, *catalog.TRADING_SUFFIXES]:
            name = f"Ningbo {catalog.COMPANY_WORDS[0]} {trade['name']} {suffix}"
            assert catalog.trade_of(name) is trade, name
    for suffix in [*catalog.FACTORY_SUFFIXES, *catalog.TRADING_SUFFIXES]:
        assert catalog.trade_of(f"Yiwu {catalog.COMPANY_WORDS[0]} {suffix}") is None


def test_every_contradiction_names_phrases_the_catalog_uses():
    """A pair with a typo would silently check nothing."""
    texts = [
        text
        for template in TEMPLATES
        for text in [
            template["noun"]["en"],
            *template["variants"],
            *(f"{a['name']}: {v} {a.get('unit', '')}".strip() for a in template["attributes"] for v in a["values"]),
        ]
    ]
    for pair in catalog.CONTRADICTIONS:
        for phrase in pair:
            pattern = catalog.phrase_pattern(phrase)
            assert any(pattern.search(text) for text in texts), f"{phrase!r} of {pair} is nowhere in the catalog"
    assert catalog.contradictions("Pure Copper Cat6 Network Cable UTP CCA 24 AWG") == [("Pure Copper", "CCA")]
    assert catalog.contradictions("Energy Monitoring: No") == []  # one text matching both phrases is no conflict


def test_no_template_contradicts_itself_or_repeats_a_word_in_its_noun():
    for template in TEMPLATES:
        noun = template["noun"]["en"]
        assert not catalog.contradictions(noun), noun
        words = catalog.title_words(noun)
        assert len(words) == len(set(words)), noun
        for attribute in template["attributes"]:
            fitting = [v for v in attribute["values"] if not catalog.contradictions(noun, f"{attribute['name']}: {v}")]
            assert fitting, f"{noun}: no {attribute['name']} fits the noun"


# --- the seeded marketplace --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seeded_demo_is_coherent():
    # Enough suppliers for every leaf category, general traders and multi-category trades; every template drawn.
    call_command("seed_demo", "--suppliers", "70", "--products", "700", "--seed", "11", stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_rankings_demo", "--seed", "11", "--history-weeks", str(WEEKS), stdout=out)

    for name, check in coherence.CHECKS.items():
        problems = check()
        assert not problems, f"{name}: {len(problems)} problems, e.g. {problems[:5]}"

    # The checks had something to check: named and general suppliers, verified and self-declared certificates,
    # boards with a history of WEEKS weeks.
    names = list(Supplier.objects.filter(slug__startswith="demo-").values_list("name", flat=True))
    assert sum(catalog.trade_of(name) is None for name in names) >= 3
    assert sum(catalog.trade_of(name) is not None for name in names) >= len(names) // 2
    certificates = Certification.objects.filter(supplier__slug__startswith="demo-")
    assert certificates.filter(verified_at__isnull=False).exists()
    assert certificates.filter(verified_at__isnull=True, document="").exists()
    assert Snapshot.objects.values("period").distinct().count() == WEEKS
    assert re.search(r"past weeks' boards published first", out.getvalue())
