"""`extract_offline`: the rule-based reading of a buyer's request into `Requirements`.

Order matters: temperatures, prices and lead times are read first, so that the quantity reader does not take
"-20", "140" or "30" for a count, and everything used is blanked before the product phrase is taken.
"""

from __future__ import annotations

from ..schema import Requirements
from . import terms
from .destination import destination
from .instructions import without_instructions
from .measures import lead_time, price, temperatures
from .product import product_phrase
from .quantity import quantity
from .text import LANGUAGES, MAX_SCAN_CHARS, detect_language, normalize


def extract_offline(text: str, *, language: str | None = None) -> Requirements:
    """Read `text` (any of en, es, zh, fr, de, pt, ru, ar, ja) into Requirements. Deterministic, no I/O."""
    raw = text or ""
    if not raw.strip():
        return Requirements(language=language or "en", unread=["The request is empty."])
    notes: list[str] = []
    if len(raw) > MAX_SCAN_CHARS:
        notes.append(f"Only the first {MAX_SCAN_CHARS:,} characters of the request were read.")
        raw = raw[:MAX_SCAN_CHARS]
    raw, instructions = without_instructions(raw)
    notes.extend(f"Ignored as an instruction to the software, not a requirement: “{s}”" for s in instructions)
    text = normalize(raw)
    lang = language if language in LANGUAGES else detect_language(text)
    fields, spans, notes = _read(text, lang, notes)
    fields["product"] = product_phrase(text, spans, fields.pop("_quantity_span"))
    return Requirements(language=lang, unread=notes[:50], **fields)


def _read(text: str, lang: str, notes: list[str]) -> tuple[dict, list[tuple[int, int]], list[str]]:
    fields: dict = {}
    spans: list[tuple[int, int]] = []

    temps = temperatures(text, lang)
    fields["min_operating_temp_c"], fields["max_operating_temp_c"] = temps.value
    cost = price(text, lang, temps.spans)
    if cost.value:
        fields["target_unit_price"], fields["currency"] = cost.value
    lead = lead_time(text, temps.spans + cost.spans)
    fields["max_lead_time_days"] = lead.value
    place = destination(text, lang)
    fields.update(
        incoterm=place.incoterm,
        incoterm_place=place.incoterm_place,
        destination_country=place.country,
        destination_place=place.place,
    )
    certifications, cert_spans = terms.certifications(text)
    taken = temps.spans + cost.spans + lead.spans + place.spans + cert_spans
    amount = quantity(text, taken)
    if amount.value:
        fields["quantity"], fields["quantity_unit"] = amount.value
    fields["_quantity_span"] = amount.spans[0] if amount.spans else None
    fields["certifications"] = certifications
    fields["supplier_kind"], kind_spans = terms.supplier_kind(text)
    fields["customization"], custom_spans = terms.customization(text)
    fields["samples_required"], sample_spans = terms.samples(text)
    fields["payment_terms"], pay_spans = terms.payment_terms(text)
    spans = taken + amount.spans + kind_spans + custom_spans + sample_spans + pay_spans
    for reading in (temps, cost, lead, place, amount):
        notes.extend(reading.unread)
    return fields, spans, notes
