"""The one place where the order of organic search results is decided.

    score = 0.60 · text          text relevance from the backend, normalized to [0, 1)
          + 0.10 · quality       listing quality score / 100 (complete listings answer buyers' questions)
          + 0.08 · verified      the supplier passed any verification (license, on-site, third party)
          + 0.06 · response      supplier's measured response rate / 100 (0 when unknown)
          + 0.04 · assurance     Trade Assurance enabled
          + 0.07 · category      the product is in a category the query's glossary terms point to
          + 0.05 · specs         share of the query's numeric specs (18 V, −30 °C) the product's attributes meet

Text relevance dominates, so a well-run supplier never outranks a clearly better match; between comparable
matches, the listing and the supplier decide. Paid placement is not an input: sponsored slots (ads) are
placed beside organic results, never blended into this score. Leaderboard rank is not an input yet: rankings
sits above marketplace in the import graph, so it would have to publish a per-supplier signal down here first.
"""

from django.db.models import Case, Exists, F, FloatField, OuterRef, Q, Value, When
from django.db.models.functions import Cast

from .models import SearchQuantity

WEIGHTS = {
    "text": 0.60,
    "quality": 0.10,
    "verified": 0.08,
    "response": 0.06,
    "assurance": 0.04,
    "category": 0.07,
    "specs": 0.05,
}
# A single value in the query matches a spec within this share of it (18 V ~ 18 V; 2 kW ~ 1.9–2.1 kW).
SPEC_TOLERANCE = 0.05


def spec_condition(quantity) -> Exists:
    """The document has a spec in the query's unit whose range meets the query's value or range."""
    slack = 0 if quantity.unit == "C" else abs(quantity.high) * SPEC_TOLERANCE
    return Exists(
        SearchQuantity.objects.filter(
            document_id=OuterRef("pk"), unit=quantity.unit,
            low__lte=quantity.high + slack, high__gte=quantity.low - slack,
        )
    )


def _flag(condition: Q | Exists, weight: float):
    return Case(When(condition, then=Value(weight)), default=Value(0.0), output_field=FloatField())


def product_score(text_rank, *, category_ids=(), quantities=(), suppliers=()):
    """The blend above as one SQL expression over ProductSearchDocument. Supplier signals come in as id sets
    (`suppliers`: rows with pk, verified, trade_assurance, response_rate), so the scan never joins suppliers;
    response rates count in steps of 10 points."""
    w = WEIGHTS
    suppliers = list(suppliers)
    score = Value(w["text"]) * text_rank
    score = score + Value(w["quality"] / 100) * Cast(F("quality_score"), FloatField())
    verified = [s.pk for s in suppliers if s.verified]
    if verified:
        score = score + _flag(Q(supplier_id__in=verified), w["verified"])
    by_step = {}
    for supplier in suppliers:
        step = int(supplier.response_rate // 10)
        if step:
            by_step.setdefault(step, []).append(supplier.pk)
    if by_step:
        score = score + Case(
            *[When(supplier_id__in=ids, then=Value(w["response"] * step / 10))
              for step, ids in sorted(by_step.items())],
            default=Value(0.0), output_field=FloatField(),
        )
    assured = [s.pk for s in suppliers if s.trade_assurance]
    if assured:
        score = score + _flag(Q(supplier_id__in=assured), w["assurance"])
    if category_ids:
        score = score + _flag(Q(category_id__in=list(category_ids)), w["category"])
    for quantity in quantities:
        score = score + _flag(spec_condition(quantity), w["specs"] / len(quantities))
    return score


def blend(*, text, quality, verified, response_rate, trade_assurance, in_category, specs_met=0.0) -> float:
    """The same blend for one product in Python (for the docs, tests and offline evaluation)."""
    w = WEIGHTS
    return (w["text"] * text + w["quality"] * (quality or 0) / 100 + w["verified"] * bool(verified)
            + w["response"] * float(response_rate or 0) / 100 + w["assurance"] * bool(trade_assurance)
            + w["category"] * bool(in_category) + w["specs"] * specs_met)
