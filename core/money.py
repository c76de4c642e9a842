"""Prices shown in the reader's currency beside the supplier's, which stays the price of record.

The operators' exchange rates live in sourcing (sourcing.ExchangeRate), above core; sourcing registers how to read
them when it starts, and pages read them at most once per request, only where a converted price is rendered (cached
fragments are keyed by the reader's currency, so a warm page reads none).
"""

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import cached_property

_rates_loader: Callable[[], dict[str, Decimal]] | None = None


def register_rates_loader(loader: Callable[[], dict[str, Decimal]]) -> None:
    """`loader` returns units of each currency per US dollar."""
    global _rates_loader
    _rates_loader = loader


class DisplayMoney:
    """Converts amounts into one reader's currency; None when there is nothing to show (same currency, no rate)."""

    def __init__(self, currency: str | None):
        self.currency = currency or ""

    @cached_property
    def rates(self) -> dict[str, Decimal]:
        return _rates_loader() if _rates_loader and self.currency else {}

    def convert(self, amount, source: str) -> Decimal | None:
        if amount is None or not self.currency or source == self.currency:
            return None
        if source not in self.rates or self.currency not in self.rates:
            return None
        value = Decimal(str(amount)) / self.rates[source] * self.rates[self.currency]
        return value.quantize(Decimal("0.01") if abs(value) >= 1 else Decimal("0.0001"), rounding=ROUND_HALF_UP)
