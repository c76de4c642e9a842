"""Figures several rules share: the price tier and lead time at the buyer's quantity, a certificate's status,
monthly capacity in a category, number formatting. Pure functions over sourcing.matching.facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .facts import Candidate, Cert, Context, ProductFacts, SupplierFacts, Tier

PER_MONTH = {"day": Decimal(30), "month": Decimal(1), "year": Decimal(1) / Decimal(12)}


def fmt_money(amount: Decimal | float | None, currency: str = "") -> str:
    """4.2 -> "4.20"; fractions of a cent keep four decimals (fasteners sell at 0.0045)."""
    if amount is None:
        return "?"
    amount = Decimal(str(amount))
    step = Decimal("0.01") if abs(amount) >= 1 else Decimal("0.0001")
    text = f"{amount.quantize(step, rounding=ROUND_HALF_UP):,}"
    return f"{text} {currency}".strip()


def fmt_int(number: float | int | None) -> str:
    return "?" if number is None else f"{round(number):,}"


def monthly(quantity: int | float, period: str) -> float:
    """A capacity per day / month / year as a monthly figure (30 days, 12 months)."""
    return float(Decimal(quantity) * PER_MONTH.get(period, Decimal(1)))


def order_quantity(product: ProductFacts, ctx: Context) -> tuple[int, bool]:
    """The quantity prices and lead times are read at: the buyer's, else the product's MOQ (flag False)."""
    quantity = ctx.requirements.quantity
    return (quantity, True) if quantity else (product.moq, False)


def unit_label(product: ProductFacts, ctx: Context) -> str:
    return ctx.requirements.quantity_unit or product.unit or "pieces"


def tier_at(product: ProductFacts, quantity: int) -> Tier | None:
    """The tier that applies at `quantity`: the highest min_quantity at or under it; below every tier (under the
    MOQ) the first tier, since that is the nearest price the supplier states."""
    tiers = sorted(product.tiers, key=lambda t: t.min_quantity)
    if not tiers:
        return None
    chosen = tiers[0]
    for tier in tiers:
        if tier.min_quantity <= quantity:
            chosen = tier
    return chosen


@dataclass(frozen=True)
class PriceQuote:
    tier: Tier
    quantity: int
    stated_quantity: bool  # False: read at the MOQ because the buyer gave no quantity
    native: Decimal  # in the product's currency
    currency: str
    buyer: Decimal | None  # in the buyer's currency; None without an exchange rate
    buyer_currency: str


def price_quote(product: ProductFacts, ctx: Context) -> PriceQuote | None:
    quantity, stated = order_quantity(product, ctx)
    tier = tier_at(product, quantity)
    if tier is None:
        return None
    converted = (
        Decimal(tier.unit_price)
        if product.currency == ctx.buyer_currency
        else ctx.rates.convert(tier.unit_price, product.currency, ctx.buyer_currency)
    )
    return PriceQuote(tier, quantity, stated, Decimal(tier.unit_price), product.currency, converted, ctx.buyer_currency)


def lead_time_at(product: ProductFacts, ctx: Context) -> tuple[int | None, str]:
    """Days to ship the buyer's quantity and where the figure comes from: the quantity's price tier when it states
    a lead time, else the product's lead time (stated for an order of the MOQ)."""
    quantity, _stated = order_quantity(product, ctx)
    tier = tier_at(product, quantity)
    if tier is not None and tier.lead_time_days and tier.min_quantity <= quantity:
        return tier.lead_time_days, "tier"
    return product.lead_time_days, "moq"


def capacity_in_category(supplier: SupplierFacts, product: ProductFacts, ctx: Context) -> float | None:
    """Monthly capacity the supplier declares for the product's category or one of its ancestors (None if none)."""
    ids: set[int | None] = set(ctx.category_ids(product.category_id)) or {product.category_id}
    rows = [cap.monthly for cap in supplier.capacities if cap.category_id in ids]
    return sum(rows) if rows else None


@dataclass(frozen=True)
class CertStatus:
    code: str
    status: str  # verified | declared | expired | missing | unknown
    cert: Cert | None = None

    @property
    def held(self) -> bool:
        return self.status in ("verified", "declared")


def cert_status(candidate: Candidate, code: str, today: date) -> CertStatus:
    """Whether the supplier holds `code` today. "missing" only when the supplier declares certificates but not
    this one (or only an expired one: "expired"); a supplier with no certificate data at all is "unknown"."""
    rows = [cert for cert in candidate.supplier.certs if cert.code == code]
    valid = [cert for cert in rows if cert.valid_on(today)]
    if valid:
        best = max(valid, key=lambda cert: (cert.verified, cert.valid_until))
        return CertStatus(code, "verified" if best.verified else "declared", best)
    if code in candidate.product.cert_codes:
        return CertStatus(code, "declared")
    if rows:
        return CertStatus(code, "expired", max(rows, key=lambda cert: cert.valid_until))
    if candidate.supplier.has_cert_data or candidate.product.cert_codes:
        return CertStatus(code, "missing")
    return CertStatus(code, "unknown")


def clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


def linear(value: float, best: float, worst: float) -> float:
    """1 at `best`, 0 at `worst`, linear between (either direction), clamped."""
    if best == worst:
        return 1.0 if value == best else 0.0
    return clamp((value - worst) / (best - worst))
