"""The inputs every ruleset can name, collected for all suppliers with a handful of set-based queries.

The database does the heavy part — joins and aggregates over inquiries, the activity ledger, certificates,
capacities and products (GROUP BY supplier, with 90-day-half-life decay as CASE weights) — and hands back one row per
supplier. The ruleset is then applied to those rows by rankings.methodology, the same interpreter the seller's
"how to improve" view uses on a single supplier.

What is live now and what waits for orders:

* platform-derived now: inquiry volume, 24-hour response rate, demand growth, share of the category's inquiries
  (from conversations.Conversation), median first-response time (Supplier.median_response_minutes, kept by the
  conversations metrics task), verification level and Silkway-checked certificates;
* platform-derived once orders exist: orders, order value, on-time delivery, disputes and ratings — read from
  rankings.SupplierActivity, which the sourcing app will write; today those inputs are missing, not zero;
* self-declared (document-verified once an operator checks the evidence): SupplierFigures and the storefront
  profile (staff, factory area, export markets, customization).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, Exists, F, FloatField, Max, OuterRef, Q, Subquery, Sum, Value, When

from conversations.models import Conversation
from marketplace.models import Product, ProductStatus
from suppliers.models import (
    RESPONSE_WINDOW,
    Certification,
    ProductionCapacity,
    Supplier,
    VerificationLevel,
    is_manufacturer,
)
from taxonomy.models import Category

from .models import (
    FIGURE_INPUTS,
    PROVENANCE_CODES,
    ActivityKind,
    Provenance,
    RankingPenalty,
    SupplierActivity,
    SupplierFigures,
)

S, D, P = (
    PROVENANCE_CODES[p] for p in (Provenance.SELF_DECLARED, Provenance.DOCUMENT_VERIFIED, Provenance.PLATFORM_DERIVED)
)

HALF_LIFE_DAYS = 90
DECAY_STEP_DAYS = 30
DECAY_STEPS = 12  # 360 days of history
QUALITY_CERTIFICATES = ["ISO9001", "ISO13485"]  # ISO 9001-type quality-management systems
VERIFICATION_RANK = {
    VerificationLevel.UNVERIFIED: 0,
    VerificationLevel.BUSINESS_LICENSE: 1,
    VerificationLevel.ONSITE: 2,
    VerificationLevel.ASSESSED: 3,
}

# Every input a ruleset may reference. Rate inputs are (successes, trials) pairs; mean inputs (sum, count).
INPUT_NAMES = {
    # SupplierFigures
    "revenue_cny",
    "main_business_share",
    "main_business_growth_2y",
    "years_in_niche",
    "key_field",
    "digitalization_level",
    "quality_award",
    "own_brand",
    "standards_drafted",
    "net_profit_margin",
    "debt_asset_ratio",
    "class1_ip_high_value",
    "class1_ip_self_developed",
    "class1_ip_total",
    "class2_ip_total",
    "rd_spend_cny",
    "rd_spend_share",
    "rd_institution",
    "equity_financing_2y_cny",
    # storefront profile and verification
    "iso9001",
    "rd_staff_share",
    "customization_count",
    "export_market_count",
    "is_manufacturer",
    "verification_rank",
    "verified_cert_count",
    "factory_area_m2",
    "staff_count",
    "production_lines",
    "years_in_business",
    "years_exporting",
    # inquiries
    "demand_share",
    "demand_growth",
    "response_24h",
    "median_response_minutes",
    "inquiries_90d",
    "answered_90d",
    # activity ledger (orders, ratings)
    "orders_w",
    "order_value_w",
    "orders_365d",
    "on_time",
    "disputes",
    "rating",
}

# Inputs whose value depends on the category being ranked (InputSet.category_inputs).
CATEGORY_INPUTS = {"demand_share"}

FIGURE_FIELDS = FIGURE_INPUTS  # the declared figures, defined once beside the model


@dataclass
class InputSet:
    as_of: datetime
    inputs: dict = field(default_factory=dict)  # supplier_id -> {input: value}
    provenance: dict = field(default_factory=dict)  # supplier_id -> {input: code}
    names: dict = field(default_factory=dict)  # supplier_id -> name
    members: dict = field(default_factory=dict)  # category_id -> set of supplier ids
    category_inputs: dict = field(default_factory=dict)  # (category_id, supplier_id) -> {input: value}
    penalized: frozenset = frozenset()


def decay_weight(field_name, as_of):
    """CASE expression: weight 0.5^(age/90 d), constant within each 30-day step (midpoint), 0 beyond 360 days."""
    whens = [
        When(
            **{f"{field_name}__gte": as_of - timedelta(days=DECAY_STEP_DAYS * (step + 1))},
            then=Value(0.5 ** ((DECAY_STEP_DAYS * step + DECAY_STEP_DAYS / 2) / HALF_LIFE_DAYS)),
        )
        for step in range(DECAY_STEPS)
    ]
    return Case(*whens, default=Value(0.0), output_field=FloatField())


def category_ancestors():
    """category id -> [itself, parent, grandparent…]; one query for the (small) tree."""
    parents = dict(Category.objects.values_list("pk", "parent_id"))
    chains = {}
    for pk in parents:
        chain, current, seen = [], pk, set()
        while current is not None and current not in seen:
            chain.append(current)
            seen.add(current)
            current = parents.get(current)
        chains[pk] = chain
    return chains


def _figures_rows(as_of):
    """The latest fiscal year's figures per supplier (not later than the year before as_of), as one anti-join."""
    last_year = as_of.year - 1
    newer = SupplierFigures.objects.filter(
        supplier_id=OuterRef("supplier_id"), fiscal_year__gt=OuterRef("fiscal_year"), fiscal_year__lte=last_year
    )
    return (
        SupplierFigures.objects.filter(fiscal_year__lte=last_year, fiscal_year__gte=last_year - 2)
        .filter(~Exists(newer))
        .values("supplier_id", "fiscal_year", "provenance", *FIGURE_FIELDS)
    )


def figures_to_inputs(row, as_of_year):
    """Input values and provenance codes from one SupplierFigures row (a dict of its fields)."""
    values, codes = {}, {}
    declared = row.get("provenance") or {}

    def code(name):
        return PROVENANCE_CODES.get(declared.get(name, Provenance.SELF_DECLARED), S)

    for name in FIGURE_FIELDS:
        value = row.get(name)
        if value is None or value == "":
            continue
        if name == "niche_since_year":
            values["years_in_niche"] = max(0, as_of_year - value)
            codes["years_in_niche"] = code(name)
            continue
        # Floats from here on: Decimal arithmetic is slow in the scoring loop and not JSON-serializable.
        values[name] = float(value) if isinstance(value, Decimal) else value
        codes[name] = code(name)
    revenue, rd_spend = row.get("revenue_cny"), row.get("rd_spend_cny")
    if revenue and rd_spend is not None:
        values["rd_spend_share"] = float(rd_spend) * 100 / float(revenue)
        codes["rd_spend_share"] = min(code("rd_spend_cny"), code("revenue_cny"), key="sdp".index)
    return values, codes


def supplier_profile_inputs(supplier_row, as_of_year):
    """Inputs from the storefront profile (self-declared) and verification (operator-set)."""
    values, codes = {}, {}
    kind = supplier_row["kind"]
    values["is_manufacturer"] = is_manufacturer(kind)
    codes["is_manufacturer"] = S
    rank = VERIFICATION_RANK.get(supplier_row["verification_level"], 0)
    values["verification_rank"] = rank
    codes["verification_rank"] = D
    staff, rd_staff = supplier_row["staff_count"], supplier_row["rd_staff_count"]
    if staff:
        values["staff_count"] = staff
        codes["staff_count"] = S
        if rd_staff is not None:
            values["rd_staff_share"] = rd_staff * 100 / staff
            codes["rd_staff_share"] = S
    for name in ("factory_area_m2", "years_exporting"):
        if supplier_row[name] is not None:
            values[name] = supplier_row[name]
            codes[name] = S
    if supplier_row["founded_year"]:
        values["years_in_business"] = max(0, as_of_year - supplier_row["founded_year"])
        codes["years_in_business"] = S
    markets = supplier_row["export_markets"]
    if isinstance(markets, list) and markets:
        values["export_market_count"] = len(set(markets))
        codes["export_market_count"] = S
    values["customization_count"] = sum(
        bool(supplier_row[name]) for name in ("offers_oem", "offers_odm", "offers_custom_packaging", "offers_samples")
    )
    codes["customization_count"] = S
    if supplier_row["median_response_minutes"] is not None:
        values["median_response_minutes"] = supplier_row["median_response_minutes"]
        codes["median_response_minutes"] = P
    return values, codes


def collect_inputs(*, as_of: datetime, supplier_ids=None) -> InputSet:
    """Every input for every supplier with a published product (or just `supplier_ids`), as of `as_of`."""
    result = InputSet(as_of=as_of)
    chains = category_ancestors()

    def scoped(queryset, path="supplier_id"):
        return queryset if supplier_ids is None else queryset.filter(**{f"{path}__in": supplier_ids})

    # Which categories each supplier competes in: those it has published products in, and their ancestors.
    pairs = scoped(Product.objects.filter(status=ProductStatus.PUBLISHED)).values_list("supplier_id", "category_id")
    members = defaultdict(set)
    for supplier_id, category_id in pairs.distinct():
        for ancestor in chains.get(category_id, ()):
            members[ancestor].add(supplier_id)
    result.members = dict(members)
    ranked_ids = set().union(*members.values()) if members else set()

    year = as_of.year
    supplier_rows = scoped(Supplier.objects.all(), "pk").values(
        "pk",
        "name",
        "kind",
        "verification_level",
        "staff_count",
        "rd_staff_count",
        "factory_area_m2",
        "years_exporting",
        "founded_year",
        "export_markets",
        "offers_oem",
        "offers_odm",
        "offers_custom_packaging",
        "offers_samples",
        "median_response_minutes",
    )
    for row in supplier_rows.iterator(chunk_size=5000):
        if row["pk"] not in ranked_ids and supplier_ids is None:
            continue
        values, codes = supplier_profile_inputs(row, year)
        result.inputs[row["pk"]] = values
        result.provenance[row["pk"]] = codes
        result.names[row["pk"]] = row["name"]

    def merge(supplier_id, values, codes):
        if supplier_id in result.inputs:
            result.inputs[supplier_id].update(values)
            result.provenance[supplier_id].update(codes)

    for row in scoped(_figures_rows(as_of)).iterator(chunk_size=5000):
        merge(row["supplier_id"], *figures_to_inputs(row, year))

    # Certificates valid on the as-of date: ISO 9001-type present, and how many Silkway has checked.
    today = as_of.date()
    certificates = (
        scoped(Certification.objects.valid_on(today))
        .values("supplier_id")
        .annotate(
            quality=Count("pk", filter=Q(type__in=QUALITY_CERTIFICATES)),
            quality_checked=Count("pk", filter=Q(type__in=QUALITY_CERTIFICATES, verified_at__isnull=False)),
            checked=Count("pk", filter=Q(verified_at__isnull=False)),
        )
    )
    for row in certificates:
        merge(
            row["supplier_id"],
            {"iso9001": row["quality"] > 0, "verified_cert_count": row["checked"]},
            {"iso9001": D if row["quality_checked"] else S, "verified_cert_count": D},
        )
    for supplier_id in result.inputs:  # no certificate row: zero checked certificates is a fact, not a gap
        result.inputs[supplier_id].setdefault("verified_cert_count", 0)
        result.provenance[supplier_id].setdefault("verified_cert_count", D)

    lines = (
        scoped(ProductionCapacity.objects.filter(production_lines__isnull=False))
        .values("supplier_id")
        .annotate(lines=Sum("production_lines"))
    )
    for row in lines:
        merge(row["supplier_id"], {"production_lines": row["lines"]}, {"production_lines": S})

    _inquiry_inputs(result, as_of, scoped, chains)
    _activity_inputs(result, as_of, scoped)

    penalties = RankingPenalty.objects.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=as_of), starts_at__lte=as_of)
    result.penalized = frozenset(scoped(penalties).values_list("supplier_id", flat=True))
    return result


def _product_inquiries(as_of):
    """Conversations about a product in the year before `as_of`, annotated with the product's category."""
    category = Product.objects.filter(pk=OuterRef("topic_id")).values("category_id")[:1]
    return (
        Conversation.objects.filter(
            created_at__gte=as_of - timedelta(days=365),
            created_at__lt=as_of,
            topic_type=ContentType.objects.get_for_model(Product),
        )
        .annotate(product_category_id=Subquery(category))
        .filter(product_category_id__isnull=False)
    )


def _inquiry_inputs(result, as_of, scoped, chains):
    # Inquiries younger than the response window are left out: they cannot have failed yet.
    settled = as_of - RESPONSE_WINDOW
    inquiries = scoped(
        Conversation.objects.filter(
            created_at__gte=as_of - timedelta(days=DECAY_STEP_DAYS * DECAY_STEPS), created_at__lt=settled
        )
    )
    answered_in_time = Q(first_response_at__isnull=False, first_response_at__lte=F("created_at") + RESPONSE_WINDOW)
    weight = decay_weight("created_at", as_of)
    rows = inquiries.values("supplier_id").annotate(
        weighted=Sum(weight),
        answered_weighted=Sum(Case(When(answered_in_time, then=weight), default=Value(0.0), output_field=FloatField())),
        last_90=Count("pk", filter=Q(created_at__gte=as_of - timedelta(days=90))),
        answered_90=Count("pk", filter=Q(created_at__gte=as_of - timedelta(days=90), first_response_at__isnull=False)),
        previous_90=Count(
            "pk", filter=Q(created_at__gte=as_of - timedelta(days=180), created_at__lt=as_of - timedelta(days=90))
        ),
    )
    for row in rows.iterator(chunk_size=5000):
        values = {
            "response_24h": (round(row["answered_weighted"] or 0.0, 4), round(row["weighted"] or 0.0, 4)),
            "inquiries_90d": row["last_90"],
            "answered_90d": row["answered_90"],
        }
        codes = dict.fromkeys(values, P)
        if row["last_90"] or row["previous_90"]:
            values["demand_growth"] = (row["last_90"] - row["previous_90"]) * 100 / max(row["previous_90"], 1)
            codes["demand_growth"] = P
        if row["weighted"] and row["supplier_id"] in result.inputs:
            result.inputs[row["supplier_id"]].update(values)
            result.provenance[row["supplier_id"]].update(codes)
    # Share of each category's inquiries (last 365 days), counted on the inquired product's category.
    per_leaf = scoped(_product_inquiries(as_of)).values("supplier_id", "product_category_id").annotate(n=Count("pk"))
    per_category = defaultdict(int)
    for row in per_leaf.iterator(chunk_size=5000):
        for ancestor in chains.get(row["product_category_id"], ()):
            per_category[(ancestor, row["supplier_id"])] += row["n"]
    # The denominators always cover every supplier, even when only one supplier's inputs are collected.
    totals = defaultdict(int)
    per_leaf_total = _product_inquiries(as_of).values("product_category_id").annotate(n=Count("pk"))
    for row in per_leaf_total:
        for ancestor in chains.get(row["product_category_id"], ()):
            totals[ancestor] += row["n"]
    for (category_id, supplier_id), n in per_category.items():
        result.category_inputs[(category_id, supplier_id)] = {"demand_share": n * 100 / totals[category_id]}


def _activity_inputs(result, as_of, scoped):
    since = as_of - timedelta(days=DECAY_STEP_DAYS * DECAY_STEPS)
    weight = decay_weight("occurred_at", as_of)

    def weighted(condition):
        return Sum(Case(When(condition, then=weight), default=Value(0.0), output_field=FloatField()))

    orders = (
        scoped(SupplierActivity.objects.filter(kind=ActivityKind.ORDER, occurred_at__gte=since, occurred_at__lt=as_of))
        .values("supplier_id")
        .annotate(
            orders_w=Sum(weight),
            value_w=Sum(F("order_value_usd") * weight, output_field=FloatField()),
            on_time_w=weighted(Q(delivered_on_time=True)),
            delivered_w=weighted(Q(delivered_on_time__isnull=False)),
            disputed_w=weighted(Q(disputed=True)),
            orders_365=Count("pk", filter=Q(occurred_at__gte=as_of - timedelta(days=365))),
        )
    )
    for row in orders.iterator(chunk_size=5000):
        values = {
            "orders_w": round(row["orders_w"] or 0.0, 4),
            "order_value_w": round(row["value_w"] or 0.0, 2),
            "orders_365d": row["orders_365"],
            "disputes": (round(row["disputed_w"] or 0.0, 4), round(row["orders_w"] or 0.0, 4)),
        }
        if row["delivered_w"]:
            values["on_time"] = (round(row["on_time_w"] or 0.0, 4), round(row["delivered_w"], 4))
        if row["supplier_id"] in result.inputs:
            result.inputs[row["supplier_id"]].update(values)
            result.provenance[row["supplier_id"]].update(dict.fromkeys(values, P))

    # Ratings: each buyer's ratings of a supplier collapse into one vote (their mean), weighted by the decay of
    # their latest rating — a burst from a few accounts is a few votes, whatever its size.
    votes = (
        scoped(SupplierActivity.objects.filter(kind=ActivityKind.RATING, occurred_at__gte=since, occurred_at__lt=as_of))
        .values("supplier_id", "buyer_id")
        .annotate(total=Sum("rating"), n=Count("pk"), latest_weight=Max(weight))
    )
    sums = defaultdict(lambda: [0.0, 0.0])
    for row in votes.iterator(chunk_size=5000):
        accumulator = sums[row["supplier_id"]]
        accumulator[0] += row["latest_weight"] * row["total"] / row["n"]
        accumulator[1] += row["latest_weight"]
    for supplier_id, (total, count) in sums.items():
        if supplier_id in result.inputs and count > 0:
            result.inputs[supplier_id]["rating"] = (round(total, 4), round(count, 4))
            result.provenance[supplier_id]["rating"] = P
