"""The demo marketplace's content, read from demo/data/*.json, for `seed_demo` and the benchmarks.

Conventions of the data:

* Category ``names`` carry every served language (settings.LANGUAGES); the search index relies on them.
* A product template names its product by the English key of a taxonomy vocabulary noun
  (taxonomy/data/vocabulary/products.json); the noun in every language and its trade keywords come from there,
  so the demo and the platform share one vocabulary.
* ``price`` is a USD unit-price range (per ``unit``) at the MOQ, ``lead_time`` a range in days.
* Attribute values that are ranges are written as ``"A to B"``; ``unit`` is omitted where the values carry it.
* ``certifications`` only use codes from ``CERT_CODES``; ``customization`` is a subset of ``CUSTOMIZATION_OPTIONS``.
* A supplier's name names its trade (``TRADES``, in companies.json) and it sells only in that trade's categories;
  a trading company dealing in several trades has a name without one. ``trade_of`` reads the trade back.
* ``CONTRADICTIONS`` (contradictions.json) are attribute phrases no one product may carry together; seed_demo draws
  attributes and variants around them, and titles never repeat a word (``title_words``).
"""

import json
import re
from functools import cache
from pathlib import Path

from core.languages import language_codes
from taxonomy import selectors as vocabulary

DATA = Path(__file__).resolve().parent / "data"

UNITS = ["pieces", "sets", "pairs", "meters", "square_meters", "kilograms", "tons", "cartons", "rolls", "units"]
CUSTOMIZATION_OPTIONS = ["logo", "packaging", "color", "oem", "odm"]


def _read(name):
    with open(DATA / name, encoding="utf-8") as handle:
        return json.load(handle)


def _categories():
    """The category tree, with each template's noun (language -> name) and keywords filled from the vocabulary."""
    tree = _read("categories.json")
    for top in tree:
        for leaf in top["children"]:
            for template in leaf["products"]:
                product = vocabulary.product(template["noun"])
                if product is None:
                    raise ValueError(f"demo template {template['noun']!r} is not a vocabulary product noun")
                template["noun"] = product.names()
                template["keywords"] = list(product.keywords)
    return tree


LANGUAGES = language_codes()
CATEGORIES = _categories()
CLUSTERS = _read("clusters.json")
_companies = _read("companies.json")
COMPANY_WORDS = _companies["words"]
TRADES = _companies["trades"]
FACTORY_SUFFIXES = _companies["factory_suffixes"]
TRADING_SUFFIXES = _companies["trading_suffixes"]
BUYERS = _read("buyers.json")
_messages = _read("messages.json")
INQUIRY_MESSAGES = _messages["inquiries"]
# What buyers who write in their own language send (the English list is for English-speaking buyers).
INQUIRY_MESSAGES_BY_LANGUAGE = {"en": INQUIRY_MESSAGES, **_messages["inquiries_by_language"]}
REPLY_MESSAGES = _messages["replies"]
_certifications = _read("certifications.json")
CERT_CODES = _certifications["codes"]
CERT_ISSUERS = _certifications["issuers"]

CONTRADICTIONS = [tuple(pair) for pair in _read("contradictions.json")["contradictions"]]


# --- trades ----------------------------------------------------------------------------------------------------


def phrase_pattern(phrase):
    """`phrase` as whole words (a hyphen joins words: "Dimmable" is not in "Non-dimmable"), ignoring case."""
    return re.compile(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", re.IGNORECASE)


# Longest first, so "Power Tools" wins over "Tools" and "Packaging Machinery" over "Machinery".
_TRADE_PATTERNS = [
    (phrase_pattern(trade["name"]), trade) for trade in sorted(TRADES, key=lambda t: (-len(t["name"]), t["name"]))
]


def trade_of(name):
    """The trade a supplier's name says it is in (a TRADES item), or None for a name without one."""
    return next((trade for pattern, trade in _TRADE_PATTERNS if pattern.search(name)), None)


def trades_for(leaf_slug):
    """The trades that sell in a leaf category, in TRADES order."""
    return [trade for trade in TRADES if leaf_slug in trade["categories"]]


def name_fits(name, leaf_slug):
    """Whether a supplier with this name is, by its name, in the trade of this leaf category."""
    trade = trade_of(name)
    return trade is not None and leaf_slug in trade["categories"]


# --- titles and attributes ------------------------------------------------------------------------------------

_LETTERS = re.compile(r"[^\W\d_]+")
# Words a title may repeat: units ("600x600 mm 9 mm") and small joining words.
UNIT_WORDS = frozenset(
    word.casefold()
    for top in CATEGORIES
    for leaf in top["children"]
    for template in leaf["products"]
    for attribute in template["attributes"]
    for word in _LETTERS.findall(attribute.get("unit", ""))
)
JOINING_WORDS = frozenset({"and", "for", "in", "of", "or", "per", "to", "up", "with"})


@cache
def title_words(text):
    """The words of a title that must not occur twice: letters only, two or more, not units or joining words."""
    words = (word.casefold() for word in _LETTERS.findall(text))
    return tuple(word for word in words if len(word) > 1 and word not in UNIT_WORDS and word not in JOINING_WORDS)


_CONTRADICTION_PATTERNS = [(phrase_pattern(a), phrase_pattern(b), (a, b)) for a, b in CONTRADICTIONS]


def contradictions(*texts):
    """The CONTRADICTIONS pairs found in `texts` (a title, or a product's variant, noun and "Name: value unit"
    attributes): one phrase in one text and the other in another, or in the same text without overlapping."""
    found = []
    for pattern_a, pattern_b, pair in _CONTRADICTION_PATTERNS:
        spans_a = [(i, m.span()) for i, text in enumerate(texts) for m in pattern_a.finditer(text)]
        if not spans_a:
            continue
        spans_b = [(i, m.span()) for i, text in enumerate(texts) for m in pattern_b.finditer(text)]
        if any(
            i != j or span_a[1] <= span_b[0] or span_b[1] <= span_a[0] for i, span_a in spans_a for j, span_b in spans_b
        ):
            found.append(pair)
    return found


@cache
def _phrases_in(text):
    """Which pairs' first and second phrases `text` contains (indexes into CONTRADICTIONS)."""
    first = frozenset(k for k, (pattern, _, _) in enumerate(_CONTRADICTION_PATTERNS) if pattern.search(text))
    second = frozenset(k for k, (_, pattern, _) in enumerate(_CONTRADICTION_PATTERNS) if pattern.search(text))
    return first, second


def compatible(text, others):
    """Whether `text` (a variant, or an attribute as "Name: value unit") contradicts none of `others`."""
    first, second = _phrases_in(text)
    for other in others:
        other_first, other_second = _phrases_in(other)
        if first & other_second or second & other_first:
            return False
    return True
