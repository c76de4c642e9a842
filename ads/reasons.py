"""A recommendation's reason in the reader's language. The tuner (ads/tuning.py, no Django) writes its reason in
English with the numbers, and that text stays on the record as written; screens show it in the seller's language,
rebuilt from the kind and the evidence the tuner recorded. Evidence that lacks a number falls back to the text."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.languages import base_language

from .models import RecommendationKind


def _pct(rate) -> str:
    rate = float(rate)
    return f"{100 * rate:.2f}%" if rate < 0.01 else f"{100 * rate:.0f}%" if rate >= 0.1 else f"{100 * rate:.1f}%"


def reason_in_language(rec, *, currency: str) -> str:
    if base_language(get_language() or "en") == "en":
        return rec.reason

    def money(value) -> str:
        return f"{currency} {float(value):.2f}"

    e = rec.evidence or {}
    try:
        if rec.kind in (RecommendationKind.RAISE_BID, RecommendationKind.LOWER_BID):
            template = (
                _("Raise the bid on “%(text)s” from %(old)s to %(new)s")
                if rec.kind == RecommendationKind.RAISE_BID
                else _("Lower the bid on “%(text)s” from %(old)s to %(new)s")
            )
            head = template % {"text": rec.text, "old": money(rec.current_bid), "new": money(rec.proposed_bid)}
            return head + _(
                ": %(clicks)s clicks and %(inquiries)s inquiries give an estimated conversion rate of %(rate)s, so at "
                "your target of %(target)s per inquiry a click is worth about %(worth)s."
            ) % {
                "clicks": e["mature_clicks"],
                "inquiries": e["conversions"],
                "rate": _pct(e["cvr_used"]),
                "target": money(e["target_cpi"]),
                "worth": money(e["raw_bid"]),
            }
        if rec.kind == RecommendationKind.PAUSE:
            return _(
                "Pause “%(text)s”: %(clicks)s clicks brought %(inquiries)s inquiries; the chance that it converts the "
                "%(needed)s of clicks needed to meet your target of %(target)s per inquiry is only %(chance)s."
            ) % {
                "text": rec.text,
                "clicks": e["mature_clicks"],
                "inquiries": e["conversions"],
                "needed": _pct(e["break_even_cvr"]),
                "target": money(e["target_cpi"]),
                "chance": _pct(e["probability_beats_break_even"]),
            }
        if rec.kind == RecommendationKind.NEGATIVE:
            return _(
                "Exclude the search “%(text)s”: %(clicks)s clicks, no inquiry, a %(chance)s chance of meeting your "
                "target cost per inquiry of %(target)s."
            ) % {
                "text": rec.text,
                "clicks": e["clicks"],
                "chance": _pct(e["probability_beats_break_even"]),
                "target": money(e["target_cpi"]),
            }
        if rec.kind == RecommendationKind.HARVEST:
            return _(
                "Add “%(text)s” as an exact keyword at %(bid)s: buyers who searched it sent %(inquiries)s inquiries "
                "from %(clicks)s clicks."
            ) % {"text": rec.text, "bid": money(rec.proposed_bid), "inquiries": e["conversions"], "clicks": e["clicks"]}
        if rec.kind == RecommendationKind.EXPAND:
            return _(
                "Add “%(text)s” as a broad keyword at %(bid)s: buyers searched it %(searches)s times and none of your "
                "keywords covers it."
            ) % {"text": rec.text, "bid": money(rec.proposed_bid), "searches": e["searches"]}
        if rec.kind == RecommendationKind.HEADLINE:
            return _(
                "Built from the listing's title, its leading spec and MOQ, for buyers searching in %(language)s."
            ) % {"language": rec.language}
    except (KeyError, TypeError, ValueError):
        pass
    return rec.reason
