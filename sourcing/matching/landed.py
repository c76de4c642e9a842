"""Landed cost per unit at the destination: an estimate, always labelled as one, from the reference tables.

    unit price at the quantity (price tier, product currency -> buyer currency)
  + freight per unit   FreightRate (supplier country -> destination, its regions, "*"; sea): percent of the goods'
                       value, at least the per-shipment minimum, spread over the quantity
  + duty per unit      DutyRate (destination keys x the category and its ancestors' slugs, most specific first,
                       then the destination's default ""), applied to the unit price

Catalog prices are FOB-like, so freight is always added, whatever Incoterm the buyer wants quoted (under CIF/CFR/
CPT/CIP/DAP/DPU/DDP the seller pays it and folds it into the quote). A missing rate leaves that component and
the total unknown (None): never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .facts import Candidate, Context
from .figures import fmt_money, price_quote

SELLER_PAYS_FREIGHT = ("CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP")
Q4 = Decimal("0.0001")


@dataclass(frozen=True)
class FreightRow:
    origin_country: str
    destination: str
    mode: str
    percent_of_value: Decimal
    minimum_usd: Decimal
    transit_days: int
    source: str
    as_of: date


@dataclass(frozen=True)
class DutyRow:
    destination: str
    category_slug: str
    rate_percent: Decimal
    source: str
    as_of: date


def freight_row(rows: list[FreightRow], origin: str, keys: list[str], mode: str = "sea") -> FreightRow | None:
    """The most specific row for the destination (country, then region, then "*") from this origin."""
    by_key = {row.destination: row for row in rows if row.origin_country == origin and row.mode == mode}
    return next((by_key[key] for key in keys if key in by_key), None)


def duty_row(rows: list[DutyRow], keys: list[str], slugs: list[str]) -> DutyRow | None:
    """Destination keys most specific first; within one, the category's own slug, its ancestors', then the
    destination's default (blank slug)."""
    by_key = {(row.destination, row.category_slug): row for row in rows}
    for key in keys:
        for slug in [*slugs, ""]:
            if (key, slug) in by_key:
                return by_key[(key, slug)]
    return None


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount.quantize(Q4, rounding=ROUND_HALF_UP))


def landed_cost(c: Candidate, ctx: Context) -> dict:
    currency = ctx.buyer_currency
    incoterm = ctx.requirements.incoterm
    basis = _("Estimate, assuming catalog prices are FOB (origin port); freight is added whatever the Incoterm.")
    if incoterm in SELLER_PAYS_FREIGHT:
        basis += " " + _(
            "Under %(term)s the seller pays the freight and includes it in the quote: compare quotes with this total."
        ) % {"term": incoterm}
    out: dict = {"estimate": True, "currency": currency, "basis": basis, "components": [], "total_per_unit": None}
    quote = price_quote(c.product, ctx)
    unit = quote.buyer if quote else None
    quantity = quote.quantity if quote else ctx.requirements.quantity
    out["quantity"] = quantity
    out["components"].append(
        {
            "key": "unit_price",
            "label": _("Unit price"),
            "amount": _money(unit),
            "source": _("Price tier of the listing (%(q)s+), %(cur)s converted at the reference rate")
            % {"q": quote.tier.min_quantity, "cur": quote.currency}
            if quote
            else _("No price tiers"),
            "as_of": ctx.rates.as_of.isoformat() if quote and quote.currency != currency and ctx.rates.as_of else None,
        }
    )
    freight = duty = None
    if not ctx.destination:
        note = _("No destination country: freight and duty cannot be estimated.")
        out["components"].append(
            {"key": "freight", "label": _("Freight"), "amount": None, "source": note, "as_of": None}
        )
        out["components"].append(
            {"key": "duty", "label": _("Import duty"), "amount": None, "source": note, "as_of": None}
        )
        return out
    row = freight_row(ctx.freight_rates, c.supplier.country, ctx.destination_keys)
    if row is None:
        out["components"].append(
            {
                "key": "freight",
                "label": _("Freight"),
                "amount": None,
                "source": _("No freight rate from %(o)s to %(d)s.") % {"o": c.supplier.country, "d": ctx.destination},
                "as_of": None,
            }
        )
    elif quote is not None and quantity:
        value_usd = ctx.rates.convert(quote.native * quantity, quote.currency, "USD")
        if value_usd is not None:
            total_usd = max(value_usd * row.percent_of_value / 100, row.minimum_usd)
            freight = ctx.rates.convert(total_usd / quantity, "USD", currency)
        out["components"].append(
            {
                "key": "freight",
                "label": _("Freight (sea, %(o)s → %(d)s)") % {"o": row.origin_country, "d": row.destination},
                "amount": _money(freight),
                "source": _(
                    "%(pct)s%% of the goods' value, at least %(min)s per shipment, over %(q)s units; "
                    "%(days)s days in transit. %(src)s"
                )
                % {
                    "pct": row.percent_of_value.normalize(),
                    "min": fmt_money(row.minimum_usd, "USD"),
                    "q": f"{quantity:,}",
                    "days": row.transit_days,
                    "src": row.source,
                },
                "as_of": row.as_of.isoformat(),
                "transit_days": row.transit_days,
            }
        )
    else:
        out["components"].append(
            {
                "key": "freight",
                "label": _("Freight"),
                "amount": None,
                "source": _("No unit price to base it on."),
                "as_of": None,
            }
        )
    drow = duty_row(ctx.duty_rates, ctx.destination_keys, ctx.category_slugs(c.product.category_id))
    if drow is None:
        out["components"].append(
            {
                "key": "duty",
                "label": _("Import duty"),
                "amount": None,
                "source": _("No duty rate for %(d)s.") % {"d": ctx.destination},
                "as_of": None,
            }
        )
    else:
        duty = unit * drow.rate_percent / 100 if unit is not None else None
        out["components"].append(
            {
                "key": "duty",
                "label": _("Import duty (%(rate)s%%, %(where)s)")
                % {
                    "rate": drow.rate_percent.normalize(),
                    "where": f"{drow.destination} {drow.category_slug}".strip()
                    if drow.category_slug
                    else drow.destination,
                },
                "amount": _money(duty),
                "source": _(
                    "On the goods' value (FOB); destinations that assess on CIF value charge a little more. %(src)s"
                )
                % {"src": drow.source},
                "as_of": drow.as_of.isoformat(),
                "rate_percent": str(drow.rate_percent),
            }
        )
    if unit is not None and freight is not None and duty is not None:
        out["total_per_unit"] = _money(unit + freight + duty)
    return out
