"""Extension point: links that apps above sourcing add beside an accepted quote (deals puts its contract there).

Sourcing cannot import the apps built on it. They register a provider in their AppConfig.ready(); the RFQ page
renders the links with `{% quote_links rfq as links %}` and never names the other app. A provider takes the quote
and the request and returns (label, url), or None when it has nothing for this quote; it must check that the
request's user may follow the link (the RFQ page is the buyer's, but a provider should not rely on that).
"""

from collections.abc import Callable

from .models import QuoteStatus

_providers: list[Callable] = []


def register(provider: Callable) -> None:
    if provider not in _providers:
        _providers.append(provider)


def links(quote, *, request=None) -> list[tuple[str, str]]:
    """Every provider's (label, url) for an accepted quote; nothing for any other quote."""
    if quote.status != QuoteStatus.ACCEPTED:
        return []
    found = [provider(quote=quote, request=request) for provider in _providers]
    return [link for link in found if link]
