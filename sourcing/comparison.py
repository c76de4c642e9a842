"""Quotes side by side, in one currency and on one delivery basis.

Every quote is brought to "delivered to the destination, duty paid" in the RFQ's currency: the quoted unit
price at the line's quantity, converted with the operator's exchange rates, plus a freight estimate when the
Incoterm leaves the main carriage to the buyer (E- and F-terms), plus a duty estimate on the goods' value unless
the quote is DDP. The rows are chosen as the plan's landed cost chooses them (sourcing.matching.landed).
Freight and duty are estimates from the reference tables and are labelled so; a missing rate leaves the figure
unknown rather than guessed. Suppliers that have not answered appear as gaps, not as missing columns.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from taxonomy.models import Category

from .matching.landed import duty_row, freight_row
from .models import RFQ, DutyRate, FreightRate, QuoteStatus, RecipientStatus
from .reference import destination_keys, rates_load

BUYER_PAYS_FREIGHT = {"EXW", "FCA", "FAS", "FOB"}
SELLER_PAYS_DUTY = {"DDP"}
CENT = Decimal("0.01")


def _tier_price(tiers, quantity: int):
    """The unit price that applies at `quantity`: the last tier whose minimum is reached (the first tier, flagged,
    when the quantity is below every minimum)."""
    applicable = [tier for tier in tiers if tier.min_quantity <= quantity]
    if applicable:
        return applicable[-1], True
    return (tiers[0], False) if tiers else (None, False)


def _category_slugs(product, categories: dict[int, Category]) -> list[str]:
    slugs, category_id = [], getattr(product, "category_id", None)
    while category_id and category_id in categories:
        slugs.append(categories[category_id].slug)
        category_id = categories[category_id].parent_id
    return slugs


def quote_comparison(rfq: RFQ) -> dict:
    """The comparison table for an RFQ fetched with selectors.rfq_get_for_buyer (three more queries: rates,
    freight and duty rows, categories)."""
    rates = rates_load()
    keys = destination_keys(rfq.destination_country or None)
    freight_rows = list(FreightRate.objects.filter(destination__in=keys))
    duty_rows = list(DutyRate.objects.filter(destination__in=keys))
    categories = {c.pk: c for c in Category.objects.only("pk", "slug", "parent_id")}
    lines = list(rfq.lines.all())
    quotes = {quote.recipient_id: quote for quote in rfq.quotes.all()}
    slugs = _category_slugs(lines[0].reference_product if lines else None, categories) if lines else []

    columns = []
    for recipient in rfq.recipients.all():
        quote = quotes.get(recipient.pk)
        column = {"recipient": recipient, "supplier": recipient.supplier, "quote": quote, "lines": [], "gap": None}
        if quote is None:
            column["gap"] = (
                _("Declined: %(reason)s") % {"reason": recipient.decline_reason}
                if recipient.status == RecipientStatus.DECLINED
                else _("No quote yet (%(status)s)") % {"status": recipient.get_status_display()}
            )
            columns.append(column)
            continue
        by_line = {line.rfq_line_id: line for line in quote.lines.all()}
        goods, complete = Decimal(0), True
        for line in lines:
            quote_line = by_line.get(line.pk)
            tiers = list(quote_line.tiers.all()) if quote_line else []
            tier, reached = _tier_price(tiers, line.quantity)
            converted = rates.convert(tier.unit_price, quote.currency, rfq.currency) if tier else None
            column["lines"].append(
                {
                    "unit_price": tier.unit_price if tier else None,
                    "converted": converted,
                    "moq_reached": reached,
                    "offered_product": quote_line.offered_product if quote_line else "",
                }
            )
            if converted is None:
                complete = False
            else:
                goods += converted * line.quantity
        freight = duty = None
        notes = []
        if complete:
            if quote.incoterm in BUYER_PAYS_FREIGHT:
                rate = freight_row(freight_rows, recipient.supplier.country, keys)
                if rate is not None:
                    floor = rates.convert(rate.minimum_usd, "USD", rfq.currency) or Decimal(0)
                    freight = max(goods * rate.percent_of_value / 100, floor)
                    notes.append(
                        _("freight estimate %(pct)s%% of value (%(source)s)")
                        % {"pct": rate.percent_of_value, "source": rate.as_of}
                    )
                else:
                    notes.append(_("no freight estimate for this route"))
            else:
                freight = Decimal(0)
                notes.append(_("freight included (%(term)s)") % {"term": quote.incoterm})
            if quote.incoterm in SELLER_PAYS_DUTY:
                duty = Decimal(0)
                notes.append(_("duty included (DDP)"))
            elif freight is not None:
                rate = duty_row(duty_rows, keys, slugs)
                if rate is not None:
                    duty = goods * rate.rate_percent / 100
                    notes.append(_("duty estimate %(pct)s%%") % {"pct": rate.rate_percent})
                else:
                    notes.append(_("no duty estimate for this destination"))
        landed = goods + freight + duty if complete and freight is not None and duty is not None else None
        total_quantity = sum(line.quantity for line in lines) or 1
        column.update(
            {
                "goods": goods.quantize(CENT) if complete else None,
                "freight": freight.quantize(CENT) if freight is not None else None,
                "duty": duty.quantize(CENT) if duty is not None else None,
                "landed": landed.quantize(CENT) if landed is not None else None,
                "landed_per_unit": (landed / total_quantity).quantize(Decimal("0.0001"))
                if landed is not None
                else None,
                "notes": notes,
                "answers": {answer.key: answer for answer in quote.answers.all()},
                "open": quote.status in (QuoteStatus.SUBMITTED, QuoteStatus.SHORTLISTED),
            }
        )
        columns.append(column)
    # Quotes first, the lowest landed cost leading; then declines, then silences (a phone shows the first column).
    columns.sort(
        key=lambda c: (
            c["quote"] is None,
            c["recipient"].status != RecipientStatus.DECLINED,
            c.get("landed") is None,
            c.get("landed") or 0,
        )
    )
    landed_values = [c["landed"] for c in columns if c.get("landed") is not None and c.get("open")]
    best = min(landed_values) if landed_values else None
    for column in columns:
        column["best"] = best is not None and column.get("landed") == best
    requirement_rows = [
        {"item": item, "answers": [c.get("answers", {}).get(item["key"]) if c["quote"] else None for c in columns]}
        for item in rfq.requirement_items()
    ]
    line_rows = [
        {"line": line, "cells": [c["lines"][index] if c["quote"] else None for c in columns]}
        for index, line in enumerate(lines)
    ]
    return {
        "currency": rfq.currency,
        "line_rows": line_rows,
        "columns": columns,
        "requirements": requirement_rows,
        "rates_as_of": rates.as_of,
        "rates_source": rates.source,
    }
