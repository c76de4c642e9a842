"""Extension point: sponsored results beside a product search's organic ones.

Search cannot import the ads app built on it. Ads registers a provider in its AppConfig.ready(); the search page
and the search API ask `sponsored_for(result, request=...)` after the organic results are final, so a provider
can never change them. A provider returns at most MAX_SPONSORED items, each a dict with at least `product_id` and
`click_url` (the signed URL the result must link through) and `label`; search hydrates and renders them.
"""

from collections.abc import Callable

MAX_SPONSORED = 3  # at most this many per page, whatever the providers offer
_providers: list[Callable] = []


def register(provider: Callable) -> None:
    if provider not in _providers:
        _providers.append(provider)


def sponsored_for(result, *, request=None) -> list[dict]:
    out: list[dict] = []
    seen: set[int] = set()
    for provider in _providers:
        for item in provider(result=result, request=request):
            if item["product_id"] not in seen and len(out) < MAX_SPONSORED:
                seen.add(item["product_id"])
                out.append(item)
    return out
