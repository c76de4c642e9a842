"""Reference data for estimates: regions, what destination markets require, exchange rates, freight and duty.

The rows live in the database so operators can edit them in /admin/; the files in sourcing/data/ are the
initial values, loaded by a migration and re-loadable with `manage.py load_sourcing_reference`. Reads are
cached per call site by the caller (a plan loads each table once), never per row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
ANY = "*"


@cache
def _file(name: str) -> dict:
    return json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))


@cache
def regions() -> dict[str, tuple[str, ...]]:
    return {code: tuple(members) for code, members in _file("regions").items() if not code.startswith("_")}


def destination_keys(country: str | None) -> list[str]:
    """The keys a destination matches, most specific first: the country, its regions, then "*"."""
    if not country:
        return [ANY]
    country = country.upper()
    return [country, *[code for code, members in regions().items() if country in members], ANY]


# --- loading (the migration and the command share it; it takes model classes so historical models work) ---------


def reference_data_load(*, ExchangeRate, FreightRate, DutyRate, MarketRequirement) -> dict[str, int]:  # noqa: N803
    """Insert or update every row of the data files; rows an operator added stay. Returns counts per table."""
    counts = {}
    rates = _file("exchange_rates")
    for currency, per_usd in rates["rates"].items():
        ExchangeRate.objects.update_or_create(
            currency=currency,
            defaults={
                "per_usd": Decimal(per_usd),
                "as_of": date.fromisoformat(rates["as_of"]),
                "source": rates["source"],
            },
        )
    counts["exchange_rates"] = len(rates["rates"])
    freight = _file("freight_rates")
    for row in freight["rows"]:
        FreightRate.objects.update_or_create(
            origin_country=row["origin_country"],
            destination=row["destination"],
            mode=row["mode"],
            defaults={
                "percent_of_value": Decimal(row["percent_of_value"]),
                "minimum_usd": Decimal(row["minimum_usd"]),
                "transit_days": row["transit_days"],
                "source": freight["source"],
                "as_of": date.fromisoformat(freight["as_of"]),
            },
        )
    counts["freight_rates"] = len(freight["rows"])
    duty = _file("duty_rates")
    for row in duty["rows"]:
        DutyRate.objects.update_or_create(
            destination=row["destination"],
            category_slug=row["category_slug"],
            defaults={
                "rate_percent": Decimal(row["rate_percent"]),
                "source": duty["source"],
                "as_of": date.fromisoformat(duty["as_of"]),
            },
        )
    counts["duty_rates"] = len(duty["rows"])
    market = _file("market_requirements")
    for row in market["rows"]:
        MarketRequirement.objects.update_or_create(
            destination=row["destination"],
            category_slug=row["category_slug"],
            certification=row["certification"],
            defaults={"mandatory": row["mandatory"], "source": row["source"], "note": row.get("note", "")},
        )
    counts["market_requirements"] = len(market["rows"])
    return counts


# --- money ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rates:
    """Exchange rates loaded once (units per USD), with their date and source for the page to show."""

    per_usd: dict[str, Decimal]
    as_of: date | None
    source: str

    def knows(self, currency: str | None) -> bool:
        return bool(currency) and currency in self.per_usd

    def convert(self, amount: Decimal | float | None, source: str, target: str) -> Decimal | None:
        """`amount` in `source` expressed in `target`; None when either rate is unknown (never a guess)."""
        if amount is None or not self.knows(source) or not self.knows(target):
            return None
        value = Decimal(str(amount)) / self.per_usd[source] * self.per_usd[target]
        return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def rates_load() -> Rates:
    from .models import ExchangeRate

    rows = list(ExchangeRate.objects.all())
    return Rates(
        per_usd={row.currency: row.per_usd for row in rows},
        as_of=max((row.as_of for row in rows), default=None),
        source=rows[0].source if rows else "",
    )


def currency_known(code: str) -> bool:
    from .models import ExchangeRate

    return ExchangeRate.objects.filter(currency=code).exists()
