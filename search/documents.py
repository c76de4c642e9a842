"""From catalog rows to search documents: the fields search filters on, the weighted text, the numeric specs."""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone

from marketplace.models import Product, ProductAttribute, ProductStatus, ProductTranslation
from suppliers.models import Supplier, certificate_valid_q, verified_supplier_q
from taxonomy.models import Category

from .query import UNITS, take_quantities
from .text import fold, normalize_units, words

# Weights: A title, B keywords / attributes / category names, C description (PostgreSQL setweight letters;
# SQLite gives its three FTS5 columns the matching bm25 weights).
TITLE, KEYWORDS, BODY = "A", "B", "C"
_RANGE = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*(?:to|-|~|…)\s*(-?\d+(?:[.,]\d+)?)\s*([^\d\s].*)?$")
_SINGLE = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*([^\d\s].*)?$")


@dataclass
class DocumentData:
    product_id: int
    fields: dict
    segments: list[tuple[str, str, str]] = field(default_factory=list)  # (language, weight, text)
    quantities: list[tuple[str, float, float]] = field(default_factory=list)

    def terms(self) -> list[tuple[str, str]]:
        """(word, language) pairs worth suggesting: from titles, keywords and category names."""
        out = []
        for language, weight, text in self.segments:
            if weight in (TITLE, KEYWORDS):
                for line in text.split("\n"):
                    out += [(w, language) for w in words(line) if 3 <= len(w) <= 64 and w.isalpha()]
        return out


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def quantities_of(value: str, unit: str) -> list[tuple[str, float, float]]:
    """'-30 to 55' °C -> [('C', -30, 55)]; '2' kW -> [('W', 2000, 2000)]; '1500 V DC' -> [('V', 1500, 1500)]."""
    value = fold(value or "")
    match = _RANGE.match(value)
    if match:
        low, high, tail = match.groups()
    else:
        match = _SINGLE.match(value)
        if not match:
            return []
        low, tail = match.groups()
        high = low
    unit_text = fold(unit or (tail or "").split(" ")[0]).strip()
    known = UNITS.get(unit_text) or UNITS.get(unit_text.replace("°", ""))
    if not known:
        return []
    canonical, factor = known
    a, b = sorted((_number(low) * factor, _number(high) * factor))
    return [(canonical, a, b)]


def title_quantities(title: str) -> list[tuple[str, float, float]]:
    """The numbers with a recognised unit in a title, as quantities_of gives them ('Kettle 1.7L 2200W' ->
    [('ml', 1700, 1700), ('W', 2200, 2200)]), read the way queries are (search.query.take_quantities)."""
    quantities, _words, _rest = take_quantities(normalize_units(fold(title or "")), limit=6)
    return [(q.unit, q.low, q.high) for q in quantities]


def category_paths() -> dict[int, list[Category]]:
    """Each category with its ancestors, from one query over the (small) category table."""
    categories = {c.pk: c for c in Category.objects.all()}
    paths = {}
    for pk, category in categories.items():
        path, node, seen = [], category, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            path.append(node)
            node = categories.get(node.parent_id)
        paths[pk] = path
    return paths


PRODUCT_FIELDS = (
    "pk",
    "status",
    "supplier_id",
    "category_id",
    "language",
    "title",
    "keywords",
    "description",
    "moq",
    "lead_time_days",
    "price_min",
    "currency",
    "quality_score",
    "custom_logo",
    "custom_packaging",
    "custom_color",
    "oem",
    "odm",
    "samples_available",
    "published_at",
)
# Document field -> the supplier's field it copies (see ProductSearchDocument).
SUPPLIER_FIELDS = {
    "supplier_kind": "kind",
    "supplier_country": "country",
    "supplier_verified": "verification_level",
    "supplier_trade_assurance": "trade_assurance",
    "supplier_response_rate": "response_rate",
    "supplier_standing": "leaderboard_standing",
}


def supplier_signals(values: dict) -> dict:
    """Document fields from a supplier's raw values (keyed by supplier field name; `verified` is
    verified_supplier_q evaluated by the database)."""
    return {
        "supplier_kind": values["kind"],
        "supplier_country": values["country"],
        "supplier_verified": bool(values["verified"]),
        "supplier_trade_assurance": values["trade_assurance"],
        "supplier_response_rate": round(values["response_rate"] or 0),
        "supplier_standing": values["leaderboard_standing"] or 0.0,
    }


def supplier_signals_by_id(supplier_ids) -> dict[int, dict]:
    names = [name for name in SUPPLIER_FIELDS.values() if name != "verification_level"] + ["verified"]
    suppliers = Supplier.objects.filter(pk__in=set(supplier_ids)).annotate(
        verified=ExpressionWrapper(verified_supplier_q(), output_field=BooleanField())
    )
    return {
        row[0]: supplier_signals(dict(zip(names, row[1:], strict=True))) for row in suppliers.values_list("pk", *names)
    }


def build_documents(product_ids, *, paths=None, today=None) -> tuple[list[DocumentData], list[int]]:
    """Documents for the published products among `product_ids`, and the ids that must leave the index.
    Certificates count when valid on `today` (the local date by default).

    Five flat queries and no model instances: a rebuild of a million products spends its time on text."""
    today = today or timezone.localdate()
    paths = paths if paths is not None else category_paths()
    product_ids = list(product_ids)
    rows = [
        dict(zip(PRODUCT_FIELDS, row, strict=True))
        for row in Product.objects.filter(pk__in=product_ids, status=ProductStatus.PUBLISHED).values_list(
            *PRODUCT_FIELDS
        )
    ]
    published = [row["pk"] for row in rows]
    translations, attributes, certs = {}, {}, {}
    if published:
        for pid, *values in ProductTranslation.objects.filter(product_id__in=published).values_list(
            "product_id", "language", "title", "description", "keywords"
        ):
            translations.setdefault(pid, []).append(values)
        for pid, *values in (
            ProductAttribute.objects.filter(product_id__in=published)
            .order_by("position", "id")
            .values_list("product_id", "name", "value", "unit")
        ):
            attributes.setdefault(pid, []).append(values)
        through = Product.certifications.through
        for pid, code in through.objects.filter(
            certificate_valid_q("certification__", on=today),
            product_id__in=published,
        ).values_list("product_id", "certification__type"):
            certs.setdefault(pid, set()).add(code)
    signals = supplier_signals_by_id(row["supplier_id"] for row in rows)
    documents = [
        document_for(
            row, translations.get(row["pk"], []), attributes.get(row["pk"], []), certs.get(row["pk"], set()), paths
        )
        for row in rows
    ]
    for document in documents:
        document.fields.update(signals[document.fields["supplier_id"]])
    indexed = set(published)
    return documents, [pk for pk in product_ids if pk not in indexed]


def document_for(row, translations, attributes, certs, paths) -> DocumentData:
    lang = row["language"]
    segments = [(lang, TITLE, row["title"])]
    if row["keywords"]:
        segments.append((lang, KEYWORDS, row["keywords"]))
    if row["description"]:
        segments.append((lang, BODY, row["description"]))
    for language, title, description, keywords in translations:
        if language == lang:
            continue
        segments.append((language, TITLE, title))
        if keywords:
            segments.append((language, KEYWORDS, keywords))
        if description:
            segments.append((language, BODY, description))
    quantities = []
    attribute_text = []
    for name, value, unit in attributes:
        attribute_text.append(f"{name} {value} {unit}".strip())
        quantities += quantities_of(value, unit)
    if attribute_text:
        segments.append((lang, KEYWORDS, "\n".join(attribute_text)))
    # The title's specs too ("Bifacial Solar Panel 550W", "Kettle 1.7L"): many listings have no attributes.
    quantities += title_quantities(row["title"])
    # Category names in every language: a buyer's word for the category finds listings written in another.
    by_language = {}
    for category in paths.get(row["category_id"], []):
        by_language.setdefault("en", []).append(category.name)
        for language, name in (category.names or {}).items():
            by_language.setdefault(language, []).append(name)
    for language, names in by_language.items():
        segments.append((language, KEYWORDS, "\n".join(names)))
    codes = sorted(certs)
    fields = {
        name: row[name] for name in PRODUCT_FIELDS if name not in ("pk", "status", "title", "keywords", "description")
    }
    fields["quality_score"] = fields["quality_score"] or 0
    fields["cert_codes"] = f"|{'|'.join(codes)}|" if codes else ""
    return DocumentData(row["pk"], fields, segments, list(dict.fromkeys(quantities)))


def term_counts(documents) -> Counter:
    counts = Counter()
    for document in documents:
        for pair in set(document.terms()):
            counts[pair] += 1
    return counts
