"""The plain data the matcher reasons over: what we know about a candidate (supplier, its best product, its
certificates and capacities), the plan-wide context, and a dimension's result.

Dimensions and constraints read these dataclasses only, never models or the database, so each rule is a pure
function a test can feed by hand; `evidence.py` builds them from the database in a fixed number of queries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from sourcing.reference import Rates
from sourcing.schema import Requirements

WEIGHTS_FILE = Path(__file__).resolve().parent / "weights.json"

SELF_DECLARED = "self_declared"
DOCUMENT_VERIFIED = "document_verified"
PLATFORM_DERIVED = "platform_derived"
COMPUTED = "computed"
UNKNOWN = "unknown"
PROVENANCES = (SELF_DECLARED, DOCUMENT_VERIFIED, PLATFORM_DERIVED, COMPUTED, UNKNOWN)


@cache
def config() -> dict[str, Any]:
    """weights.json, read once per process."""
    return json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))


def param(name: str) -> Any:
    return config()["params"][name]


@dataclass(frozen=True)
class Dimension:
    """One scored aspect of one option. `score` is in [0, 1], or None when we have no data (it then leaves the
    weighted mean). `applicable` is False when the request does not ask about it (no temperature stated, no
    samples needed): such a dimension counts neither as data nor as missing data."""

    key: str
    label: str
    value: str
    score: float | None
    provenance: str
    evidence: str
    applicable: bool = True

    @property
    def known(self) -> bool:
        return self.applicable and self.score is not None

    def as_dict(self, weight: float) -> dict:
        return {
            "key": self.key,
            "label": str(self.label),
            "value": str(self.value),
            "score": None if self.score is None else round(self.score, 3),
            "weight": weight,
            "provenance": self.provenance,
            "evidence": str(self.evidence),
            "applicable": self.applicable,
        }


@dataclass(frozen=True)
class Tier:
    min_quantity: int
    unit_price: Decimal
    lead_time_days: int | None = None


@dataclass(frozen=True)
class Cert:
    code: str
    valid_from: date
    valid_until: date
    # Silkway checked the uploaded document (verified_at set and a document on file): "document_verified".
    verified: bool = False

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_until


@dataclass(frozen=True)
class Capacity:
    category_id: int
    monthly: float  # converted from per day / month / year
    unit: str = "pieces"
    product_line: str = ""


@dataclass(frozen=True)
class Badge:
    board: str  # rankings.BoardKind value
    board_label: str
    category_id: int | None
    category_name: str
    rank: int


@dataclass
class SupplierFacts:
    id: int
    name: str
    slug: str = ""
    kind: str = "factory"
    country: str = "CN"
    region: str = ""
    founded_year: int | None = None
    staff_count: int | None = None
    rd_staff_count: int | None = None
    factory_area_m2: int | None = None
    export_markets: list[str] = field(default_factory=list)
    years_exporting: int | None = None
    languages: list[str] = field(default_factory=list)
    offers_oem: bool = False
    offers_odm: bool = False
    offers_custom_packaging: bool = False
    offers_samples: bool = False
    trade_assurance: bool = False
    invention_patents: int = 0
    utility_patents: int = 0
    design_patents: int = 0
    rd_spend_share: Decimal | None = None
    verification_level: str = "unverified"
    response_rate: Decimal | None = None
    median_response_minutes: int | None = None
    response_sample_size: int = 0
    # The supplier's response commitment and how well it is kept (suppliers.display words them).
    response_commitment_minutes: int | None = None
    response_hours_start: time | None = None
    response_hours_end: time | None = None
    response_timezone: str = "Asia/Shanghai"
    commitment_kept_rate: Decimal | None = None
    commitment_sample_size: int = 0
    commitment_kept: bool | None = None
    on_time_delivery_rate: Decimal | None = None
    dispute_rate: Decimal | None = None
    repeat_buyer_rate: Decimal | None = None
    rating_average: Decimal | None = None
    rating_count: int = 0
    leaderboard_standing: float = 0.0
    # Every certificate row we hold (expired ones too, to say "expired on ..."); `has_cert_data` tells "none
    # declared" (unknown) from "declared others, not this one" (missing).
    certs: list[Cert] = field(default_factory=list)
    capacities: list[Capacity] = field(default_factory=list)
    badges: list[Badge] = field(default_factory=list)

    @property
    def is_verified(self) -> bool:
        return self.verification_level != "unverified"

    @property
    def has_cert_data(self) -> bool:
        return bool(self.certs)


@dataclass
class ProductFacts:
    id: int
    title: str
    category_id: int | None = None
    moq: int = 1
    unit: str = "pieces"
    currency: str = "USD"
    lead_time_days: int | None = None
    custom_logo: bool = False
    custom_packaging: bool = False
    custom_color: bool = False
    oem: bool = False
    odm: bool = False
    samples_available: bool = False
    sample_price: Decimal | None = None
    tiers: list[Tier] = field(default_factory=list)
    attributes: list[tuple[str, str, str]] = field(default_factory=list)  # (name, value, unit)
    cert_codes: set[str] = field(default_factory=set)  # valid certificates linked to this product


@dataclass
class Candidate:
    supplier: SupplierFacts
    product: ProductFacts
    search_score: float = 0.0
    matching_products: int = 1


@dataclass(frozen=True)
class MarketRule:
    destination: str
    category_slug: str
    certification: str
    mandatory: bool
    source: str
    note: str = ""


@dataclass
class Context:
    """Everything plan-wide a rule may read: the requirements, today's date, rates, the destination's keys, the
    category tree (slug paths, most specific first), market rules, and cohort figures computed before scoring."""

    requirements: Requirements
    today: date
    rates: Rates
    buyer_currency: str = "USD"
    destination_keys: list[str] = field(default_factory=lambda: ["*"])
    category_paths: dict[int, list[tuple[int, str, str]]] = field(default_factory=dict)  # id -> [(id, slug, name)]
    market_rules: list[MarketRule] = field(default_factory=list)
    max_search_score: float = 0.0
    price_median: Decimal | None = None  # the cohort's median unit price in the buyer's currency
    freight_rates: list[Any] = field(default_factory=list)  # landed.FreightRow
    duty_rates: list[Any] = field(default_factory=list)  # landed.DutyRow

    @property
    def destination(self) -> str | None:
        return self.requirements.destination_country

    def category_ids(self, category_id: int | None) -> list[int]:
        return [pk for pk, _slug, _name in self.category_paths.get(category_id or 0, [])]

    def category_slugs(self, category_id: int | None) -> list[str]:
        return [slug for _pk, slug, _name in self.category_paths.get(category_id or 0, [])]

    def category_name(self, category_id: int | None) -> str:
        path = self.category_paths.get(category_id or 0)
        return path[0][2] if path else ""

    def market_rules_for(self, category_id: int | None) -> list[MarketRule]:
        """Rules of this destination (or its regions, or "*") for the category or any ancestor. Without a
        destination there are none: we never guess a market."""
        if not self.destination:
            return []
        slugs = set(self.category_slugs(category_id))
        keys = set(self.destination_keys)
        return [rule for rule in self.market_rules if rule.destination in keys and rule.category_slug in slugs]

    def required_certs(self, category_id: int | None) -> dict[str, str]:
        """Certificate code -> why it is needed: the buyer named it, or the destination requires/expects it."""
        out: dict[str, str] = dict.fromkeys(self.requirements.certifications, "named by you")
        for rule in self.market_rules_for(category_id):
            why = f"{'required' if rule.mandatory else 'expected'} in {rule.destination} ({rule.source})"
            out.setdefault(rule.certification, why)
        return out

    def mandatory_certs(self, category_id: int | None) -> dict[str, MarketRule]:
        rules: dict[str, MarketRule] = {}
        for rule in self.market_rules_for(category_id):
            if rule.mandatory:
                rules.setdefault(rule.certification, rule)
        return rules
