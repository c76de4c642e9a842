"""The requirements as the things a supplier answers "meets / alternative / no" to, and as labelled rows for
pages and e-mails. One place turns a Requirements into words, so the RFQ, the quote form and the comparison agree.

An RFQ stores each item as {key, params, label}: the key and its parameters are the record, and the label is
rendered again in whoever reads it (a German buyer writes the RFQ, a Chinese seller answers it). The stored label
is the buyer's wording, used for items this module does not know (an API client's own requirement).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .schema import Requirements

# Units after a quantity, in words ("" is plain pieces).
UNIT_CHOICES = [
    ("", gettext_lazy("pieces")),
    ("set", gettext_lazy("sets")),
    ("pair", gettext_lazy("pairs")),
    ("box", gettext_lazy("boxes / cartons")),
    ("meter", gettext_lazy("meters")),
    ("square meter", gettext_lazy("square meters")),
    ("kg", gettext_lazy("kilograms")),
    ("ton", gettext_lazy("tons")),
    ("liter", gettext_lazy("liters")),
    ("roll", gettext_lazy("rolls")),
    ("bag", gettext_lazy("bags")),
    ("bottle", gettext_lazy("bottles")),
    ("container", gettext_lazy("containers")),
]
UNIT_LABELS = dict(UNIT_CHOICES)
CUSTOMIZATION_LABELS = {
    "logo": gettext_lazy("Your logo on the product"),
    "packaging": gettext_lazy("Custom packaging"),
    "color": gettext_lazy("Custom colour"),
    "oem": gettext_lazy("OEM (your brand, your design)"),
    "odm": gettext_lazy("ODM (the supplier's design under your brand)"),
}


def unit_words(unit: str | None) -> str:
    """The unit as a reader says it after a quantity ("piece" → "pieces"); an unknown unit as written."""
    return str(UNIT_LABELS.get("" if unit in (None, "", "piece") else unit, unit))


def _temperature(low: float | None, high: float | None) -> str | None:
    if low is not None and high is not None:
        return _("Works from %(low)g °C to %(high)g °C") % {"low": low, "high": high}
    if low is not None:
        return _("Works down to %(low)g °C") % {"low": low}
    if high is not None:
        return _("Works up to %(high)g °C") % {"high": high}
    return None


def _label(key: str, params: dict) -> str | None:
    """The item's words in the active language, or None for a key this module does not write."""
    kind, _sep, code = key.partition(":")
    try:
        if kind == "quantity":
            return _("Quantity: %(q)s %(unit)s") % {"q": f"{params['quantity']:,}", "unit": unit_words(params["unit"])}
        if kind == "target_unit_price":
            return _("Target price: %(price)s %(currency)s per unit") % {
                "price": f"{params['price']:g}",
                "currency": params["currency"],
            }
        if kind == "max_lead_time_days":
            return _("Ready within %(days)d days") % {"days": params["days"]}
        if kind == "incoterm":
            return _("Delivery terms: %(term)s %(place)s") % {"term": params["term"], "place": params["place"]}
        if kind == "cert":
            return _("%(code)s certificate") % {"code": code}
        if kind == "custom" and code in CUSTOMIZATION_LABELS:
            return str(CUSTOMIZATION_LABELS[code])
        if kind == "temperature":
            return _temperature(params.get("low"), params.get("high"))
        if kind == "samples":
            return _("Samples before the order")
        if kind == "payment_terms":
            return _("Payment terms: %(terms)s") % {"terms": params["terms"]}
    except (KeyError, TypeError, ValueError):
        return None
    return None


def requirement_label(item: dict) -> str:
    """An RFQ item's words for the person reading it now."""
    return (_label(item.get("key", ""), item.get("params") or {}) or item.get("label") or item.get("key", "")).strip()


def requirement_items(requirements: Requirements) -> list[dict]:
    """[{key, params, label}] for every requirement a quote should answer, in a stable order."""
    items: list[tuple[str, dict]] = []
    if requirements.quantity:
        items.append(("quantity", {"quantity": requirements.quantity, "unit": requirements.quantity_unit or "piece"}))
    if requirements.target_unit_price and requirements.currency:
        items.append(
            ("target_unit_price", {"price": requirements.target_unit_price, "currency": requirements.currency})
        )
    if requirements.max_lead_time_days:
        items.append(("max_lead_time_days", {"days": requirements.max_lead_time_days}))
    if requirements.incoterm:
        place = requirements.incoterm_place or requirements.destination_place or ""
        items.append(("incoterm", {"term": requirements.incoterm, "place": place}))
    items.extend((f"cert:{code}", {}) for code in requirements.certifications)
    items.extend((f"custom:{option}", {}) for option in requirements.customization)
    low, high = requirements.min_operating_temp_c, requirements.max_operating_temp_c
    if low is not None or high is not None:
        items.append(("temperature", {"low": low, "high": high}))
    if requirements.samples_required:
        items.append(("samples", {}))
    if requirements.payment_terms:
        items.append(("payment_terms", {"terms": requirements.payment_terms}))
    return [
        {"key": key[:60], "params": params, "label": requirement_label({"key": key, "params": params})}
        for key, params in items
    ]
