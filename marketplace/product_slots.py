"""Extension point: what apps above marketplace add to products on marketplace pages (the shape of supplier_slots).

Marketplace cannot import the apps built on it (live, rankings, search...). They register a renderer for a named
slot in their AppConfig.ready(); marketplace templates render it with `{% product_slot "badges" product %}` and
never name the other app. A renderer takes the product and the request and returns HTML (or ""). Product cards
come many to a page: a renderer reads what it needs once per request (e.g. kept on the request), not per card.
"""

from collections.abc import Callable

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

# badges: on product cards (lists, search results, storefronts) and beside the product page's title.
SLOTS = ("badges",)
_renderers: dict[str, list[Callable]] = {slot: [] for slot in SLOTS}


def register(slot: str, renderer: Callable) -> None:
    if slot not in _renderers:
        raise ValueError(f"Unknown product slot {slot!r}; slots are {', '.join(SLOTS)}.")
    if renderer not in _renderers[slot]:
        _renderers[slot].append(renderer)


def render(slot: str, *, product, request=None) -> SafeString:
    parts = [renderer(product=product, request=request) for renderer in _renderers[slot]]
    return format_html_join("", "{}", ((part,) for part in parts if part))
