"""The demo marketplace's content, read from demo/data/*.json, for `seed_demo` and the benchmarks.

Conventions of the data:

* Category ``names`` carry every served language (settings.LANGUAGES); the search index relies on them.
* A product template names its product by the English key of a taxonomy vocabulary noun
  (taxonomy/data/vocabulary/products.json); the noun in every language and its trade keywords come from there,
  so the demo and the platform share one vocabulary.
* ``price`` is a USD unit-price range (per ``unit``) at the MOQ, ``lead_time`` a range in days.
* Attribute values that are ranges are written as ``"A to B"``; ``unit`` is omitted where the values carry it.
* ``certifications`` only use codes from ``CERT_CODES``; ``customization`` is a subset of ``CUSTOMIZATION_OPTIONS``.
"""

import json
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
FACTORY_TRADES = _companies["factory_trades"]
FACTORY_SUFFIXES = _companies["factory_suffixes"]
TRADING_SUFFIXES = _companies["trading_suffixes"]
BUYERS = _read("buyers.json")
_messages = _read("messages.json")
INQUIRY_MESSAGES = _messages["inquiries"]
REPLY_MESSAGES = _messages["replies"]
_certifications = _read("certifications.json")
CERT_CODES = _certifications["codes"]
CERT_ISSUERS = _certifications["issuers"]
