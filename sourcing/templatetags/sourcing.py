from django import template

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.764 → "76%": plan shares are fractions."""
    try:
        return f"{round(float(value) * 100)}%"
    except (TypeError, ValueError):
        return ""
