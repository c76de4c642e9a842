"""A supplier's responsiveness in words, the one wording for storefronts, cards, search results, plans and the API:
"Replies in about 2 h · 94% within 24 h · from 37 conversations in the last 30 days" and
"Commits to answer within 2 h, 9:00–18:00 China time (Mon–Fri) — kept: 96% of 37". Reads the supplier's own
fields only (no query), so it is free on a page of cards."""

from __future__ import annotations

from datetime import time

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# Names buyers use for the zones suppliers are in; any other zone is "<city> time".
ZONE_NAMES = {
    "Asia/Shanghai": gettext_lazy("China time"),
    "Asia/Chongqing": gettext_lazy("China time"),
    "Asia/Hong_Kong": gettext_lazy("Hong Kong time"),
    "Asia/Taipei": gettext_lazy("Taiwan time"),
    "Asia/Ho_Chi_Minh": gettext_lazy("Vietnam time"),
    "Asia/Kolkata": gettext_lazy("India time"),
    "Asia/Tokyo": gettext_lazy("Japan time"),
    "Asia/Seoul": gettext_lazy("Korea time"),
    "Europe/Istanbul": gettext_lazy("Turkey time"),
    "UTC": gettext_lazy("UTC"),
}


def duration_text(minutes: int) -> str:
    """45 -> '45 min', 120 -> '2 h', 3000 -> '2 days'."""
    if minutes < 90:
        return _("%(n)d min") % {"n": minutes}
    hours = round(minutes / 60)
    if hours < 48:
        return _("%(n)d h") % {"n": hours}
    days = round(hours / 24)
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


def percent_text(value) -> str:
    return f"{float(value):.0f}%"


def zone_text(name: str) -> str:
    if name in ZONE_NAMES:
        return str(ZONE_NAMES[name])
    return _("%(city)s time") % {"city": name.rsplit("/", 1)[-1].replace("_", " ")}


def _clock(value: time) -> str:
    return f"{value.hour}:{value.minute:02d}"


def response_summary(supplier) -> str:
    """How fast and how often the supplier answered, with the number of conversations it rests on."""
    n, rate, minutes = supplier.response_sample_size, supplier.response_rate, supplier.median_response_minutes
    if rate is None:
        return _("No conversations in the last 30 days yet")
    values = {"n": n, "rate": percent_text(rate)}
    if minutes is not None:
        values["time"] = duration_text(minutes)
        if not n:  # figures from before sample sizes were kept
            return _("Replies in about %(time)s · %(rate)s within 24 h") % values
        return (
            ngettext(
                "Replies in about %(time)s · %(rate)s within 24 h · from %(n)d conversation in the last 30 days",
                "Replies in about %(time)s · %(rate)s within 24 h · from %(n)d conversations in the last 30 days",
                n,
            )
            % values
        )
    return (
        ngettext(
            "%(rate)s answered within 24 h · from %(n)d conversation in the last 30 days",
            "%(rate)s answered within 24 h · from %(n)d conversations in the last 30 days",
            n,
        )
        % values
    )


def commitment_text(supplier) -> str:
    """The commitment itself: "Commits to answer within 2 h, 9:00–18:00 China time (Mon–Fri)"; "" without one."""
    minutes = supplier.response_commitment_minutes
    if not minutes:
        return ""
    start, end = supplier.response_hours_start, supplier.response_hours_end
    if start is None or end is None:
        return _("Commits to answer within %(time)s, around the clock") % {"time": duration_text(minutes)}
    return _("Commits to answer within %(time)s, %(start)s–%(end)s %(zone)s (Mon–Fri)") % {
        "time": duration_text(minutes),
        "start": _clock(start),
        "end": _clock(end),
        "zone": zone_text(supplier.response_timezone),
    }


def commitment_state(supplier) -> str:
    """ "kept", "broken", "unknown" (too few conversations) or "" (no commitment): for CSS classes and the API."""
    if not supplier.response_commitment_minutes:
        return ""
    return {True: "kept", False: "broken"}.get(supplier.commitment_kept, "unknown")


def commitment_status_text(supplier) -> str:
    """ "kept: 96% of 37", "not kept lately: 41% of 22" or "too few conversations to tell"; "" without one."""
    state = commitment_state(supplier)
    if not state:
        return ""
    if state == "unknown":
        return _("too few conversations to tell")
    values = {"rate": percent_text(supplier.commitment_kept_rate), "n": supplier.commitment_sample_size}
    n = supplier.commitment_sample_size
    if state == "kept":
        return ngettext("kept: %(rate)s of %(n)d", "kept: %(rate)s of %(n)d", n) % values
    return ngettext("not kept lately: %(rate)s of %(n)d", "not kept lately: %(rate)s of %(n)d", n) % values


def commitment_summary(supplier) -> str:
    """The commitment and whether it is kept, in one sentence; "" when the supplier publishes none."""
    text = commitment_text(supplier)
    if not text:
        return ""
    return _("%(commitment)s — %(status)s") % {"commitment": text, "status": commitment_status_text(supplier)}
