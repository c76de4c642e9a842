"""The requirements as the things a supplier answers "meets / alternative / no" to, and as labelled rows for
pages and e-mails. One place turns a Requirements into words, so the RFQ, the quote form and the comparison agree.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .schema import Requirements

CUSTOMIZATION_LABELS = {
    "logo": "Your logo on the product",
    "packaging": "Custom packaging",
    "color": "Custom colour",
    "oem": "OEM (your brand, your design)",
    "odm": "ODM (the supplier's design under your brand)",
}


def _temperature(requirements: Requirements) -> str | None:
    low, high = requirements.min_operating_temp_c, requirements.max_operating_temp_c
    if low is not None and high is not None:
        return _("Works from %(low)g °C to %(high)g °C") % {"low": low, "high": high}
    if low is not None:
        return _("Works down to %(low)g °C") % {"low": low}
    if high is not None:
        return _("Works up to %(high)g °C") % {"high": high}
    return None


def requirement_items(requirements: Requirements) -> list[dict]:
    """[{key, label}] for every requirement a quote should answer, in a stable order."""
    items: list[dict] = []
    if requirements.quantity:
        unit = requirements.quantity_unit or "piece"
        items.append(
            {
                "key": "quantity",
                "label": _("Quantity: %(q)s %(unit)s") % {"q": f"{requirements.quantity:,}", "unit": unit},
            }
        )
    if requirements.target_unit_price and requirements.currency:
        items.append(
            {
                "key": "target_unit_price",
                "label": _("Target price: %(price)s %(currency)s per unit")
                % {"price": f"{requirements.target_unit_price:g}", "currency": requirements.currency},
            }
        )
    if requirements.max_lead_time_days:
        items.append(
            {
                "key": "max_lead_time_days",
                "label": _("Ready within %(days)d days") % {"days": requirements.max_lead_time_days},
            }
        )
    if requirements.incoterm:
        place = requirements.incoterm_place or requirements.destination_place or ""
        items.append(
            {
                "key": "incoterm",
                "label": _("Delivery terms: %(term)s %(place)s") % {"term": requirements.incoterm, "place": place},
            }
        )
    for code in requirements.certifications:
        items.append({"key": f"cert:{code}", "label": _("%(code)s certificate") % {"code": code}})
    for option in requirements.customization:
        items.append({"key": f"custom:{option}", "label": _(CUSTOMIZATION_LABELS[option])})
    temperature = _temperature(requirements)
    if temperature:
        items.append({"key": "temperature", "label": temperature})
    if requirements.samples_required:
        items.append({"key": "samples", "label": _("Samples before the order")})
    if requirements.payment_terms:
        items.append(
            {"key": "payment_terms", "label": _("Payment terms: %(terms)s") % {"terms": requirements.payment_terms}}
        )
    return [{"key": item["key"][:60], "label": item["label"].strip()} for item in items]
