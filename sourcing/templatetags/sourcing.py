from django import template

from ..forms import UNIT_CHOICES

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.764 → "76%": plan shares are fractions."""
    try:
        return f"{round(float(value) * 100)}%"
    except (TypeError, ValueError):
        return ""


UNIT_LABELS = dict(UNIT_CHOICES)


@register.filter
def unit_label(unit: str) -> str:
    """The unit as buyers read it after a quantity ("piece" → "pieces"); an unknown unit as written."""
    return str(UNIT_LABELS.get("" if unit in ("piece", None) else unit, unit))
