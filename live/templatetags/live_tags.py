from datetime import UTC

from django import template
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

register = template.Library()


@register.filter
def utc_time(value, fmt="D j M Y, H:i"):
    """A time as everybody reads it alike, wherever they are: in UTC, saying so, with a machine-readable
    `<time>` element (the reader's own zone is the offset away)."""
    if not value:
        return ""
    value = value.astimezone(UTC)
    return format_html('<time datetime="{}">{} UTC</time>', value.isoformat(), date_format(value, fmt))


@register.filter
def utc_short(value):
    return utc_time(value, "j M, H:i")


@register.filter
def utc_plain(value):
    """The same as text (e-mails)."""
    return f"{date_format(value.astimezone(UTC), 'j M Y, H:i')} UTC" if value else ""
