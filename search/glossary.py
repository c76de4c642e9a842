"""The multilingual search glossary: query terms in nine languages -> canonical English terms and categories.

Built once per process from data the project already keeps, so there is one vocabulary, not two:
* the demo catalog (marketplace/demo_catalog.py): every category name and product noun in all nine languages,
  plus the English trade keywords of each product type;
* the listing optimizer's glossary (marketplace/ai_glossary.py): materials, features and trade words;
* the buyer phrasings below (EXTRA_TERMS), which no listing uses but buyers type.
Category slugs are resolved to rows at query time, so a catalog without the demo categories just gets
canonical-term expansion.
"""

from dataclasses import dataclass
from functools import lru_cache

from marketplace import ai_glossary, demo_catalog

from .text import _is_cjk, cjk_runs, fold, words


@dataclass(frozen=True)
class Entry:
    term: str  # as written
    language: str
    canonical: str  # English phrase searched in English text
    categories: tuple[str, ...] = ()  # category slugs
    kind: str = "term"  # category | product | material | feature | term


# Buyer phrasings: language -> {term: (canonical English, category slugs)}.
EXTRA_TERMS = {
    "en": {
        "power drill": ("Cordless Drill", ("power-tools",)),
        "drill driver": ("Cordless Drill", ("power-tools",)),
        "impact driver": ("Impact Driver", ("power-tools",)),
        "powerbank": ("Power Bank", ("phone-accessories",)),
        "thermos": ("Vacuum Insulated Tumbler", ("drinkware",)),
        "solar module": ("Solar Panel", ("solar-panels",)),
        "pv module": ("Solar Panel", ("solar-panels",)),
        "home battery": ("Energy Storage", ("energy-storage",)),
        "battery cabinet": ("Energy Storage", ("energy-storage",)),
        "lifepo4": ("LiFePO4", ("energy-storage",)),
        "ss": ("Stainless Steel", ()),
    },
    "de": {
        "akkuschrauber": ("Cordless Drill", ("power-tools",)),
        "bohrmaschine": ("Drill", ("power-tools",)),
        "bohrschrauber": ("Cordless Drill", ("power-tools",)),
        "thermobecher": ("Vacuum Insulated Tumbler", ("drinkware",)),
        "solarmodul": ("Solar Panel", ("solar-panels",)),
        "stromspeicher": ("Energy Storage", ("energy-storage",)),
        "batteriespeicher": ("Energy Storage", ("energy-storage",)),
    },
    "es": {
        "taladro": ("Drill", ("power-tools",)),
        "termo": ("Vacuum Insulated Tumbler", ("drinkware",)),
        "panel solar": ("Solar Panel", ("solar-panels",)),
        "bateria": ("Battery", ("energy-storage",)),
    },
    "fr": {
        "perceuse": ("Drill", ("power-tools",)),
        "visseuse": ("Cordless Drill", ("power-tools",)),
        "panneau solaire": ("Solar Panel", ("solar-panels",)),
        "thermos": ("Vacuum Insulated Tumbler", ("drinkware",)),
    },
    "pt": {
        "furadeira": ("Drill", ("power-tools",)),
        "parafusadeira": ("Cordless Drill", ("power-tools",)),
        "painel solar": ("Solar Panel", ("solar-panels",)),
        "garrafa termica": ("Vacuum Insulated Tumbler", ("drinkware",)),
    },
    "ru": {
        "шуруповерт": ("Cordless Drill", ("power-tools",)),
        "дрель": ("Drill", ("power-tools",)),
        "термос": ("Vacuum Insulated Tumbler", ("drinkware",)),
        "солнечная панель": ("Solar Panel", ("solar-panels",)),
        "аккумулятор": ("Battery", ()),
    },
    "ar": {
        "مثقاب": ("Drill", ("power-tools",)),
        "دريل": ("Drill", ("power-tools",)),
        "لوح شمسي": ("Solar Panel", ("solar-panels",)),
        "ترمس": ("Vacuum Insulated Tumbler", ("drinkware",)),
    },
    "zh-hans": {
        "电钻": ("Drill", ("power-tools",)),
        "手电钻": ("Cordless Drill", ("power-tools",)),
        "保温杯": ("Vacuum Insulated Tumbler", ("drinkware",)),
        "太阳能板": ("Solar Panel", ("solar-panels",)),
        "储能柜": ("Energy Storage", ("energy-storage",)),
        "储能": ("Energy Storage", ("energy-storage",)),
    },
    "ja": {
        "ドリル": ("Drill", ("power-tools",)),
        "水筒": ("Water Bottle", ("drinkware",)),
        "ソーラーパネル": ("Solar Panel", ("solar-panels",)),
        "蓄電池": ("Energy Storage", ("energy-storage",)),
    },
}


def _entries():
    for top in demo_catalog.CATEGORIES:
        top_names = top["names"]
        for language, name in top_names.items():
            yield Entry(name, language, top_names["en"], (top["slug"],), "category")
        for leaf in top["children"]:
            for language, name in leaf["names"].items():
                yield Entry(name, language, leaf["names"]["en"], (leaf["slug"],), "category")
            for template in leaf["products"]:
                noun = template["noun"]
                for language, name in noun.items():
                    yield Entry(name, language, noun["en"], (leaf["slug"],), "product")
                for keyword in template.get("keywords", []):
                    yield Entry(keyword, "en", noun["en"], (leaf["slug"],), "product")
    for table, kind in ((ai_glossary.MATERIALS, "material"), (ai_glossary.FEATURES, "feature")):
        for english, translations in table.items():
            yield Entry(english, "en", english, (), kind)
            for language, term in translations.items():
                yield Entry(term, language, english, (), kind)
    for english in ("wholesale", "manufacturer"):
        for language, term in ai_glossary.PHRASES[english].items():
            yield Entry(term, language, english, (), "term")
    for language, terms in EXTRA_TERMS.items():
        for term, (canonical, categories) in terms.items():
            yield Entry(term, language, canonical, categories, "term")


def key(text: str) -> str:
    """The lookup key of a term: folded words (CJK runs kept whole) joined by single spaces."""
    parts = []
    for is_cjk, chunk in cjk_runs(fold(text)):
        parts += [chunk.strip()] if is_cjk else words(chunk)
    return " ".join(p for p in parts if p)


@lru_cache(maxsize=1)
def table() -> dict[str, tuple[Entry, ...]]:
    out: dict[str, list[Entry]] = {}
    for entry in _entries():
        k = key(entry.term)
        if k and entry not in out.setdefault(k, []):
            out[k].append(entry)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def longest_key_words() -> int:
    return max(len(k.split(" ")) for k in table())


@lru_cache(maxsize=1)
def chinese_terms() -> frozenset[str]:
    return frozenset(
        k for k, entries in table().items() if all(_is_cjk(c) for c in k) and any(
            e.language == "zh-hans" for e in entries)
    )


@lru_cache(maxsize=1)
def japanese_terms() -> frozenset[str]:
    return frozenset(k for k in table() if k and all(_is_cjk(c) for c in k))


def lookup(phrase_key: str) -> tuple[Entry, ...]:
    return table().get(phrase_key, ())


def cjk_category_hints(word: str) -> set[str]:
    """Category slugs of product nouns and category names that contain a CJK query word (for 保温杯 in 真空保温杯)."""
    if len(word) < 2:
        return set()
    slugs = set()
    for k, entries in table().items():
        if word in k and word != k:
            for entry in entries:
                if entry.kind in ("product", "category"):
                    slugs.update(entry.categories)
    return slugs if len(slugs) <= 3 else set()


@lru_cache(maxsize=1)
def vocabulary_by_language() -> dict[str, frozenset[str]]:
    """Folded single words per language, for language detection (built once: the glossary is static)."""
    out: dict[str, set[str]] = {}
    for k, entries in table().items():
        for entry in entries:
            out.setdefault(entry.language, set()).update(k.split(" "))
    return {language: frozenset(vocabulary) for language, vocabulary in out.items()}
