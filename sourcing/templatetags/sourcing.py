from django import template
from django.utils.translation import gettext_lazy as _

from ..requirements import unit_words

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.764 → "76%": plan shares are fractions."""
    try:
        return f"{round(float(value) * 100)}%"
    except (TypeError, ValueError):
        return ""


@register.filter
def unit_label(unit: str) -> str:
    """The unit as buyers read it after a quantity ("piece" → "pieces")."""
    return unit_words(unit)


PROVENANCE = {
    "self_declared": _("self-declared"),
    "document_verified": _("document-verified"),
    "platform_derived": _("platform-derived"),
    "computed": _("computed"),
    "unknown": _("unknown"),
}


@register.filter
def provenance_label(code: str) -> str:
    """Where a plan's figure comes from, in words (the codes are the plan's stable keys)."""
    return str(PROVENANCE.get(code, code))
