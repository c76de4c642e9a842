"""The trade vocabulary: platform data in taxonomy/data/vocabulary/*.json, read once per process and validated.

Every entry has an English canonical term ("en") and terms in the served languages (settings.LANGUAGES; the
first term of a language is its preferred form, the rest are synonyms and buyer phrasings). Kinds and files:

* products.json       product nouns; optional English ``keywords`` (trade keywords sellers use), category
                      ``categories`` hints, and for product templates typical ``attributes`` ({name, unit})
                      and ``variants`` (title prefixes) — what the offline listing optimizer builds on;
* category_terms.json category names as buyers type them (the Category rows keep their own names);
* attributes.json, materials.json (+ polymer ``codes``), features.json, attribute_values.json (colours,
  finishes), trade_terms.json (wholesale, OEM, MOQ, Incoterms…), phrasings.json (what buyers type that no
  listing says), units.json and listing_text.json (the listing optimizer's units, headings and phrases).

Category hints are slugs or English category names, kept as slugs (``slugify``): they are resolved at query time
against whatever Category rows exist (``categories_for_hints``), so a catalog without those categories still gets
the canonical English expansion and only misses the category boost. The vocabulary never reads the database.

The category tree's reads (``category_tree``, ``category_get``, ``category_descendant_ids``) are at the end.
"""

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from django.utils.text import slugify

from core.languages import language_codes, normalize_language

from .models import Category

DATA_DIR = Path(__file__).resolve().parent / "data" / "vocabulary"

# file -> kind; every term file holds {"entries": [...]} (plus "codes" in materials.json).
TERM_FILES = {
    "products.json": "product",
    "category_terms.json": "category",
    "attributes.json": "attribute",
    "materials.json": "material",
    "features.json": "feature",
    "attribute_values.json": "value",
    "trade_terms.json": "trade",
    "phrasings.json": "phrasing",
}
# Kinds whose entries must name every served language (the rest may cover only the languages buyers use them in).
COMPLETE_KINDS = frozenset({"product", "category", "attribute", "material", "feature", "value", "trade"})
ENTRY_KEYS = {"en", "terms", "categories", "keywords", "attributes", "variants"}


class VocabularyError(ValueError):
    """A vocabulary file that does not follow the format; the message names the file and the entry."""


@dataclass(frozen=True, eq=False)
class Term:
    kind: str
    en: str  # the canonical English term
    terms: MappingProxyType  # language -> tuple of terms, preferred first ("en": English synonyms)
    categories: tuple[str, ...] = ()  # category hints, as slugs
    keywords: tuple[str, ...] = ()  # English trade keywords
    attributes: tuple[tuple[str, str], ...] = ()  # (name, unit) typical of the product
    variants: tuple[str, ...] = ()

    def term(self, language: str) -> str | None:
        """The preferred term in a language (the canonical term in English), or None; "zh" is read as "zh-hans"."""
        language = normalize_language(language) or language
        if language == "en":
            return self.en
        found = self.terms.get(language, ())
        return found[0] if found else None

    def names(self) -> dict[str, str]:
        """language -> preferred term, English included."""
        return {"en": self.en, **{lang: terms[0] for lang, terms in self.terms.items() if lang != "en" and terms}}

    def synonyms(self) -> tuple[str, ...]:
        """Other English names of the same thing (not keywords: a synonym may stand for the canonical term)."""
        return self.terms.get("en", ())

    def forms(self, language: str) -> tuple[str, ...]:
        """Every term in a language plus the forms buyers also type: the regular plural ("discos de freno",
        "тормозные диски") and, for a Chinese or Japanese term led by a Latin code, the CJK noun alone
        ("LED投光灯" -> "投光灯")."""
        out = list(self.terms.get(language, ()))
        if language == "en":
            out.insert(0, self.en)
        for term in list(out):
            for form in (plural_form(term, language), cjk_head(term, language)):
                if form and form not in out:
                    out.append(form)
        return tuple(out)


@dataclass(frozen=True, eq=False)
class Vocabulary:
    products: tuple[Term, ...]
    category_terms: tuple[Term, ...]
    attributes: tuple[Term, ...]
    materials: tuple[Term, ...]
    features: tuple[Term, ...]
    attribute_values: tuple[Term, ...]
    trade_terms: tuple[Term, ...]
    phrasings: tuple[Term, ...]
    material_codes: tuple[str, ...]
    units: MappingProxyType  # unit key -> {language: label}
    headings: tuple[Term, ...]
    listing_phrases: tuple[Term, ...]
    by_product: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))  # casefolded en -> Term

    def counts(self) -> dict[str, int]:
        return {
            name: len(getattr(self, name))
            for name in (
                "products",
                "category_terms",
                "attributes",
                "materials",
                "features",
                "attribute_values",
                "trade_terms",
                "phrasings",
                "headings",
                "listing_phrases",
            )
        }


# --- plurals ----------------------------------------------------------------------------------------------------

_VOWELS = "aeiouáéíóúàèìòùâêîôûãõ"


def _romance_plural(word: str, language: str) -> str | None:
    lower = word.lower()
    if not lower.isalpha() or len(lower) < 3 or lower[-1] in "sx":
        return None
    if language == "fr":
        if lower.endswith("eau") or lower.endswith("eu"):
            return word + "x"
        if lower.endswith("al"):
            return word[:-2] + "aux"
        return None if lower[-1] == "z" else word + "s"
    if language == "pt":
        if lower.endswith("ão"):
            return word[:-2] + "ões"
        if lower.endswith("l"):
            return word[:-1] + "is"
        if lower.endswith("m"):
            return word[:-1] + "ns"
    if lower[-1] in _VOWELS:
        return word + "s"
    if language == "es" and lower.endswith("z"):
        return word[:-1] + "ces"
    if lower[-1] in "rnldj" or (language == "pt" and lower[-1] == "r"):
        return word + "es"
    return None


_RU_ADJECTIVE = (("ый", "ые"), ("ой", "ые"), ("ий", "ие"), ("ая", "ые"), ("яя", "ие"), ("ое", "ые"), ("ее", "ие"))
_RU_SOFT = "кгхжшщч"  # after these, -ы is spelt -и


def _ru_noun_plural(word: str) -> str | None:
    lower = word.lower()
    if len(lower) < 3 or not lower.isalpha():
        return None
    last = lower[-1]
    if last == "а":
        return word[:-1] + ("и" if lower[-2] in _RU_SOFT else "ы")
    if last in "ья":
        return word[:-1] + "и"
    if last == "о":
        return word[:-1] + "а"
    if last in "йиеэюёуы":
        return None  # neuter -ие, indeclinable and already plural words: no simple rule
    return word + ("и" if last in _RU_SOFT else "ы")


def _ru_plural(words: list[str]) -> str | None:
    if len(words) == 1:
        return _ru_noun_plural(words[0])
    first = words[0].lower()
    for singular, plural in _RU_ADJECTIVE:
        if first.endswith(singular) and len(words) == 2:
            if singular == "ая" and len(first) > 2 and first[-3] in _RU_SOFT:
                plural = "ие"
            noun = _ru_noun_plural(words[1])
            return f"{words[0][:-2]}{plural} {noun}" if noun else None
    noun = _ru_noun_plural(words[0])  # "свеча зажигания" -> "свечи зажигания": the head noun comes first
    return " ".join([noun, *words[1:]]) if noun else None


def cjk_head(term: str, language: str) -> str | None:
    """The CJK part of a Chinese or Japanese term that starts with a Latin code ("LED路灯" -> "路灯"), when it is a
    word of its own (two characters or more); word segmenters split such terms there."""
    if language not in ("zh-hans", "ja"):
        return None
    head = term.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-+ ")
    return head if head != term and len(head) >= 2 and not any(c.isascii() for c in head) else None


def plural_form(term: str, language: str) -> str | None:
    """The regular plural buyers type for a singular product term, or None when no simple rule applies.
    Romance languages inflect the head noun (the first word); German compounds take -n/-en on the last word."""
    words = term.split(" ")
    if language in ("es", "pt", "fr"):
        plural = _romance_plural(words[0], language)
        if plural is None:
            return None
        # An adjective that follows the noun agrees with it ("painel solar" -> "painéis solares").
        rest = [
            (_romance_plural(w, language) or w) if i == 0 and w.isalpha() and len(words) == 2 else w
            for i, w in enumerate(words[1:])
        ]
        return " ".join([plural, *rest])
    if language == "ru":
        return _ru_plural(words)
    if language == "de" and len(words) == 1 and words[0][:1].isupper():
        word = words[0]
        if word.endswith("e"):
            return word + "n"
        if word.endswith(("ung", "heit", "keit", "ion", "tät")):
            return word + "en"
    return None


# --- loading ----------------------------------------------------------------------------------------------------


def _strings(value, where, what):
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(v, str) and v.strip() for v in items):
        raise VocabularyError(f"{where}: {what} must be a non-empty string or a list of them, not {value!r}")
    return tuple(v.strip() for v in items)


def _term(kind, raw, where, languages) -> Term:
    if not isinstance(raw, dict):
        raise VocabularyError(f"{where}: an entry is an object, not {raw!r}")
    unknown = set(raw) - ENTRY_KEYS
    if unknown:
        raise VocabularyError(f"{where}: unknown keys {sorted(unknown)}")
    en = raw.get("en")
    if not isinstance(en, str) or not en.strip():
        raise VocabularyError(f"{where}: every entry needs an English canonical term in 'en'")
    where = f"{where} ({en!r})"
    terms = raw.get("terms") or {}
    if not isinstance(terms, dict):
        raise VocabularyError(f"{where}: 'terms' must map language codes to terms")
    for language in terms:
        if language not in languages:
            raise VocabularyError(
                f"{where}: {language!r} is not a served language (settings.LANGUAGES: {', '.join(languages)})"
            )
    if kind in COMPLETE_KINDS:
        missing = [lang for lang in languages if lang != "en" and lang not in terms]
        if missing:
            raise VocabularyError(f"{where}: no term in {', '.join(missing)}")
    attributes = []
    for attribute in raw.get("attributes", ()):
        if not isinstance(attribute, dict) or not isinstance(attribute.get("name"), str) or not attribute["name"]:
            raise VocabularyError(f"{where}: an attribute is {{'name': ..., 'unit': ...}}, not {attribute!r}")
        attributes.append((attribute["name"], str(attribute.get("unit", ""))))
    return Term(
        kind=kind,
        en=en.strip(),
        terms=MappingProxyType({lang: _strings(v, where, f"terms[{lang!r}]") for lang, v in terms.items()}),
        categories=tuple(dict.fromkeys(slugify(h) for h in _strings(raw["categories"], where, "categories")))
        if raw.get("categories")
        else (),
        keywords=_strings(raw["keywords"], where, "keywords") if raw.get("keywords") else (),
        attributes=tuple(attributes),
        variants=_strings(raw["variants"], where, "variants") if raw.get("variants") else (),
    )


def _read(path: Path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise VocabularyError(f"{path.name}: missing") from None
    except json.JSONDecodeError as error:
        raise VocabularyError(f"{path.name}: not valid JSON ({error})") from None


def _terms(kind, entries, where, languages) -> tuple[Term, ...]:
    if not isinstance(entries, list):
        raise VocabularyError(f"{where}: 'entries' must be a list")
    out, seen = [], set()
    for n, raw in enumerate(entries):
        term = _term(kind, raw, f"{where} entry {n}", languages)
        if term.en.casefold() in seen and kind != "phrasing":  # many phrasings may share a canonical term
            raise VocabularyError(f"{where} entry {n}: {term.en!r} appears twice")
        seen.add(term.en.casefold())
        out.append(term)
    return tuple(out)


def load_vocabulary(directory: Path = DATA_DIR) -> Vocabulary:
    """Read and validate every vocabulary file in `directory` (uncached; `vocabulary()` is the cached one)."""
    directory = Path(directory)
    languages = language_codes()
    kinds = {}
    material_codes = ()
    for name, kind in TERM_FILES.items():
        data = _read(directory / name)
        if not isinstance(data, dict) or "entries" not in data:
            raise VocabularyError(f"{name}: expected an object with 'entries'")
        kinds[kind] = _terms(kind, data["entries"], name, languages)
        if kind == "material":
            material_codes = _strings(data.get("codes", []), name, "codes") if data.get("codes") else ()
    units_data = _read(directory / "units.json")
    units = {}
    for n, raw in enumerate(units_data.get("entries", [])):
        if not isinstance(raw, dict) or not raw.get("key") or not isinstance(raw.get("terms"), dict):
            raise VocabularyError(f"units.json entry {n}: expected {{'key': ..., 'terms': {{...}}}}")
        bad = set(raw["terms"]) - set(languages)
        if bad:
            raise VocabularyError(f"units.json entry {n}: {sorted(bad)} are not served languages")
        units[raw["key"]] = MappingProxyType(dict(raw["terms"]))
    text = _read(directory / "listing_text.json")
    headings = _terms("heading", text.get("headings", []), "listing_text.json headings", languages)
    phrases = _terms("phrase", text.get("phrases", []), "listing_text.json phrases", languages)
    products = kinds["product"]
    return Vocabulary(
        products=products,
        category_terms=kinds["category"],
        attributes=kinds["attribute"],
        materials=kinds["material"],
        features=kinds["feature"],
        attribute_values=kinds["value"],
        trade_terms=kinds["trade"],
        phrasings=kinds["phrasing"],
        material_codes=material_codes,
        units=MappingProxyType(units),
        headings=headings,
        listing_phrases=phrases,
        by_product=MappingProxyType({p.en.casefold(): p for p in products}),
    )


# --- the selector API -------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The platform's vocabulary, read once per process (the files change only with a deploy)."""
    return load_vocabulary()


def product_terms() -> tuple[Term, ...]:
    return vocabulary().products


def product(english: str) -> Term | None:
    """A product noun by its English canonical term (case-insensitive)."""
    return vocabulary().by_product.get(english.casefold())


def product_templates() -> tuple[Term, ...]:
    """Product nouns that carry typical attributes: what the offline listing optimizer matches listings to."""
    return tuple(p for p in vocabulary().products if p.attributes)


def category_terms() -> tuple[Term, ...]:
    return vocabulary().category_terms


def attribute_names() -> tuple[Term, ...]:
    return vocabulary().attributes


def materials() -> tuple[Term, ...]:
    return vocabulary().materials


def material_codes() -> tuple[str, ...]:
    return vocabulary().material_codes


def features() -> tuple[Term, ...]:
    return vocabulary().features


def attribute_values() -> tuple[Term, ...]:
    return vocabulary().attribute_values


def trade_terms() -> tuple[Term, ...]:
    return vocabulary().trade_terms


def phrasings() -> tuple[Term, ...]:
    return vocabulary().phrasings


def units() -> MappingProxyType:
    return vocabulary().units


def headings() -> tuple[Term, ...]:
    return vocabulary().headings


def listing_phrases() -> tuple[Term, ...]:
    return vocabulary().listing_phrases


def translation_table(terms) -> dict[str, dict[str, str]]:
    """{English: {language: preferred term}} without English, the shape the listing optimizer's glossary uses."""
    return {t.en: {lang: values[0] for lang, values in t.terms.items() if lang != "en"} for t in terms}


def categories_for_hints(hints, categories) -> list:
    """The Category rows (from `categories`, any iterable of them) that category hints name, by slug or by
    English name; hints naming no row are ignored (no category boost, nothing else)."""
    wanted = {slugify(h) for h in hints}
    return [c for c in categories if c.slug in wanted or slugify(c.name) in wanted]


# --- the category tree ---------------------------------------------------------------------------------------------


def category_tree() -> list[Category]:
    """Top-level categories, each with `.child_list`; one query for the whole (small) tree."""
    categories = list(Category.objects.all())
    by_parent: dict[int | None, list[Category]] = {}
    for category in categories:
        by_parent.setdefault(category.parent_id, []).append(category)
    for category in categories:
        category.child_list = by_parent.get(category.pk, [])  # type: ignore[attr-defined]  # shown by templates
    return by_parent.get(None, [])


def category_get(*, slug: str) -> Category:
    return Category.objects.select_related("parent").get(slug=slug)


def category_descendant_ids(*, category: Category) -> list[int]:
    edges = list(Category.objects.values_list("pk", "parent_id"))
    ids, frontier = [category.pk], [category.pk]
    while frontier:
        frontier = [pk for pk, parent_id in edges if parent_id in frontier]
        ids.extend(frontier)
    return ids
