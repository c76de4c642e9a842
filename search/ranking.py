"""The one place where the order of organic search results is decided.

    score = 0.55 · text          text relevance from the backend, normalized to [0, 1)
          + 0.10 · quality       listing quality score / 100 (complete listings answer buyers' questions)
          + 0.07 · verified      the supplier passed any verification (license, on-site, third party)
          + 0.06 · response      supplier's measured response rate / 100 (0 when unknown)
          + 0.04 · assurance     Silkway Order Protection granted
          + 0.06 · category      the product is in a category the query's glossary terms point to
          + 0.10 · specs         share of the query's numeric specs (18 V, −30 °C, over 1500 W) the product meets
          + 0.02 · standing      the supplier's best current leaderboard percentile (1 = first place, 0 = unranked)

Text relevance dominates, so a well-run supplier never outranks a clearly better match; between comparable
matches, the listing and the supplier decide. Specs weigh next: near-duplicates (a 400 W and a 550 W panel, 304
and 316 steel) match the same words, and the one whose spec contradicts the query must rank below the one that
meets it (at 0.05 the foreign-catalog evaluation scored 0.844, at 0.10 0.848, the demo set and both held-out sets
up too; bench/search_eval_foreign/README.md). Not more: half the text scale must still beat every supplier signal.

Leaderboard standing weighs least: it already rewards what verification and response rate measure. Paid placement
is not an input: sponsored slots (ads) are placed beside organic results, never blended into this score. Supplier
signals are read from the search document, where search_documents_sync_suppliers copies them, so the score is plain
column arithmetic.
"""

from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Cast

from .models import SearchQuantity

WEIGHTS = {
    "text": 0.55,
    "quality": 0.10,
    "verified": 0.07,
    "response": 0.06,
    "assurance": 0.04,
    "category": 0.06,
    "specs": 0.10,
    "standing": 0.02,
}
# A single value in the query matches a spec within this share of it (18 V ~ 18 V; 2 kW ~ 1.9–2.1 kW).
SPEC_TOLERANCE = 0.05


def spec_bonus_sql(quantities, *, product_id: str) -> tuple[str, list]:
    """The specs term as SQL over one product (`product_id`: the column naming it), with its parameters.

    It is added after the text and signal terms, and only for rows that can still reach the page (see
    PageQuery), so it is evaluated for a band of candidates, not for every match. The database picks per query
    between probing each candidate (index on document) and collecting every document with a value in range once
    (index on unit, low, high): at a million products the first wins for 28 cm, the second for 430 W."""
    if not quantities:
        return "", []
    weight = WEIGHTS["specs"] / len(quantities)
    table = SearchQuantity._meta.db_table
    terms, params = [], []
    for quantity in quantities:
        # A bound the buyer named is met exactly ("at least 2 l": 1.9 l is not enough); a value has some tolerance.
        slack = 0 if quantity.unit == "C" or quantity.bounded else abs(quantity.high) * SPEC_TOLERANCE
        terms.append(
            f"CASE WHEN EXISTS (SELECT 1 FROM {table} AS q WHERE q.document_id = {product_id} "
            f"AND q.unit = %s AND q.low <= %s AND q.high >= %s) THEN {weight} ELSE 0 END"
        )
        params += [quantity.unit, quantity.high + slack, quantity.low - slack]
    return "(" + " + ".join(terms) + ")", params


def _flag(condition: Q, weight: float):
    return Case(When(condition, then=Value(weight)), default=Value(0.0), output_field=FloatField())


def product_score(text_rank, *, category_ids=()):
    """The blend above as one SQL expression over ProductSearchDocument, all but the specs term (spec_bonus_sql)."""
    w = WEIGHTS
    score = Value(w["text"]) * text_rank
    score = score + Value(w["quality"] / 100) * Cast(F("quality_score"), FloatField())
    score = score + _flag(Q(supplier_verified=True), w["verified"])
    score = score + Value(w["response"] / 100) * Cast(F("supplier_response_rate"), FloatField())
    score = score + _flag(Q(supplier_trade_assurance=True), w["assurance"])
    score = score + Value(w["standing"]) * F("supplier_standing")
    if category_ids:
        score = score + _flag(Q(category_id__in=list(category_ids)), w["category"])
    return score


def blend(
    *, text, quality, verified, response_rate, trade_assurance, in_category, specs_met=0.0, standing=0.0
) -> float:
    """The same blend for one product in Python (for the docs, tests and offline evaluation)."""
    w = WEIGHTS
    return (
        w["text"] * text
        + w["quality"] * (quality or 0) / 100
        + w["verified"] * bool(verified)
        + w["response"] * float(response_rate or 0) / 100
        + w["assurance"] * bool(trade_assurance)
        + w["category"] * bool(in_category)
        + w["specs"] * specs_met
        + w["standing"] * (standing or 0)
    )
