"""What every page knows about the reader beyond the language: the currency prices are shown in."""

from django.utils.functional import SimpleLazyObject

from core.money import DisplayMoney

from .preferences import display_currency


def money(request) -> dict:
    # Lazy: read only by a page that renders a price outside a warm cached fragment.
    currency = SimpleLazyObject(lambda: display_currency(request))
    return {"display_currency": currency, "display_money": SimpleLazyObject(lambda: DisplayMoney(str(currency)))}
