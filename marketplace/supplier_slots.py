"""Extension point: what apps above marketplace add to the supplier parts of marketplace pages.

Marketplace cannot import the apps built on it (rankings, search, ads...). They register a renderer for a named
slot in their AppConfig.ready(); marketplace templates render the slot with `{% supplier_slot "badges" supplier %}`
and never name the other app. A renderer takes the supplier and the request and returns HTML (or "").
"""

from collections.abc import Callable

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

# badges: beside the supplier's name (storefront head, product page supplier box); sidebar: the storefront aside.
SLOTS = ("badges", "sidebar")
_renderers: dict[str, list[Callable]] = {slot: [] for slot in SLOTS}


def register(slot: str, renderer: Callable) -> None:
    if slot not in _renderers:
        raise ValueError(f"Unknown supplier slot {slot!r}; slots are {', '.join(SLOTS)}.")
    if renderer not in _renderers[slot]:
        _renderers[slot].append(renderer)


def render(slot: str, *, supplier, request=None) -> SafeString:
    parts = [renderer(supplier=supplier, request=request) for renderer in _renderers[slot]]
    return format_html_join("", "{}", ((part,) for part in parts if part))
