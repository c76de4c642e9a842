from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from marketplace import product_slots, supplier_slots
from suppliers.display import duration_text

register = template.Library()


@register.simple_tag(takes_context=True)
def supplier_slot(context, slot, supplier):
    """What other apps show in a supplier slot (marketplace.supplier_slots), e.g. leaderboard badges."""
    return supplier_slots.render(slot, supplier=supplier, request=context.get("request"))


@register.simple_tag(takes_context=True)
def product_slot(context, slot, product):
    """What other apps show on a product (marketplace.product_slots), e.g. live session badges."""
    return product_slots.render(slot, product=product, request=context.get("request"))


@register.filter
def duration_minutes(minutes):
    """45 -> '45 min', 200 -> '3 h', 3000 -> '2 days': how buyers think about reply times (suppliers.display)."""
    if minutes is None or minutes == "":
        return ""
    return duration_text(int(minutes))


@register.filter
def price(value):
    """Two decimals for ordinary prices; up to four for unit prices below 1 (screws, cable per meter)."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    places = 2
    if abs(value) < 1:
        places = max(2, len(f"{value:.4f}".rstrip("0").split(".")[1]))
    # In the reader's number format: 1,234.50 in English, 1.234,50 in German, 1 234,50 in French.
    return number_format(value, places, force_grouping=True)


@register.simple_tag(takes_context=True)
def converted(context, amount, currency, high=None):
    """A price (or a low–high range) in the reader's currency, "≈ EUR 31.92", beside the supplier's price of record;
    nothing when the reader's currency is the supplier's or the operators have no rate for either."""
    money = context.get("display_money")
    low = money.convert(amount, currency) if money else None
    if low is None:
        return ""
    text = price(low)
    if high is not None and high != amount and (converted_high := money.convert(high, currency)) is not None:
        text = f"{text}–{price(converted_high)}"
    return format_html(
        '<span class="converted" title="{}">≈ {} {}</span>',
        _("At Silkway's reference exchange rate. The supplier's own price is the one that counts."),
        money.currency,
        text,
    )
