"""Template helpers for leaderboards: the rank-history chart (SVG geometry computed here), badges, rule text."""

import math

from django import template
from django.utils.translation import gettext as _

from .. import display, selectors
from ..models import PROVENANCE_FROM_CODE, Provenance

register = template.Library()

CHART_WIDTH, CHART_HEIGHT = 640, 220
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 44, 16, 14, 30
MAX_SERIES = 4
COLORS = ["#b4462b", "#1f6fb2", "#1f7a4d", "#8a5a00"]


@register.simple_tag
def supplier_rank_history(supplier, max_series=MAX_SERIES):
    """Chart geometry for the supplier's rank history: one polyline per board (best-placed first). One query."""
    series = selectors.supplier_rank_history(supplier=supplier)[:max_series]
    if not series:
        return None
    periods = sorted({point["period"] for item in series for point in item["points"]})
    worst = max(point["rank_high"] for item in series for point in item["points"])
    inner_w = CHART_WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = CHART_HEIGHT - PAD_TOP - PAD_BOTTOM
    x_of = {
        period: PAD_LEFT + (inner_w * i / (len(periods) - 1) if len(periods) > 1 else inner_w / 2)
        for i, period in enumerate(periods)
    }

    def y(rank):
        # Logarithmic: moving from 40th to 20th matters as much as from 4th to 2nd.
        span = math.log(worst) if worst > 1 else 1.0
        return round(PAD_TOP + inner_h * (math.log(rank) / span if worst > 1 else 0.0), 1)

    lines = []
    for position, item in enumerate(series):
        points = [
            {
                **point,
                "x": round(x_of[point["period"]], 1),
                "y": y(point["rank"]),
                "y_low": y(point["rank_low"]),
                "y_high": y(point["rank_high"]),
            }
            for point in item["points"]
        ]
        lines.append(
            {
                "leaderboard": item["leaderboard"],
                "latest": item["latest"],
                "color": COLORS[position % len(COLORS)],
                "points": points,
                "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
            }
        )
    ticks = sorted({1, *[10**k for k in range(1, 7) if 10**k < worst], worst})
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "lines": lines,
        "y_ticks": [{"rank": t, "y": y(t)} for t in ticks],
        "x_ticks": [{"period": p, "x": round(x_of[p], 1)} for p in dict.fromkeys((periods[0], periods[-1]))],
        "left": PAD_LEFT,
        "right": CHART_WIDTH - PAD_RIGHT,
        "bottom": CHART_HEIGHT - PAD_BOTTOM,
    }


@register.simple_tag
def supplier_rank_badges(supplier):
    """Top-10 placements on the latest snapshots and verified official designations, for one supplier (3 queries)."""
    return selectors.supplier_badges(supplier_ids=[supplier.pk])[supplier.pk]


@register.filter
def provenance_label(code):
    value = PROVENANCE_FROM_CODE.get(code)
    return Provenance(value).label if value else _("not reported")


@register.filter
def share_of(value, total):
    """Percentage width for a bar segment."""
    try:
        return round(100 * float(value) / float(total), 2) if float(total) else 0
    except (TypeError, ValueError):
        return 0


def _bound(value):
    return "−∞" if value is None else f"{value:g}"


@register.filter
def rule_text(rule):
    """A rule as one line per band, using the published [min, max) convention."""
    kind = rule.get("type")
    if kind == "bands":
        lines = []
        for low, high, points in rule["bands"]:
            if high is None:
                span = f"≥ {low:g}"
            elif low is None:
                span = f"< {high:g}"
            else:
                span = f"[{low:g}, {high:g})"
            lines.append(
                _("%(input)s %(span)s → %(points)s pts")
                % {"input": rule["input"], "span": span, "points": f"{points:g}"}
            )
        lines.append(_("otherwise 0"))
        return lines
    if kind == "per_unit":
        return [
            _("%(points)s pt per full %(unit)s of %(input)s, at most %(cap)s")
            % {
                "points": f"{rule['points']:g}",
                "unit": f"{rule['unit']:g}",
                "input": rule["input"],
                "cap": f"{rule['cap']:g}",
            }
        ]
    if kind == "choice":
        return [f"{rule['input']} = {choice} → {points:g} pts" for choice, points in rule["points"].items()]
    if kind == "count_flags":
        return [
            _("%(each)s pts for each of %(inputs)s, at most %(cap)s")
            % {"each": f"{rule['points_each']:g}", "inputs": ", ".join(rule["inputs"]), "cap": f"{rule['cap']:g}"}
        ]
    if kind == "best_of":
        lines = [_("the best of:")]
        for sub in rule["rules"]:
            lines.extend(f"  {line}" for line in rule_text(sub) if line != _("otherwise 0"))
        lines.append(_("otherwise 0"))
        return lines
    return []


@register.filter
def condition_text(condition):
    if "all" in condition or "any" in condition:
        joiner = _(" and ") if "all" in condition else _(" or ")
        return "(" + joiner.join(condition_text(sub) for sub in condition.get("all", condition.get("any"))) + ")"
    parts = []
    if "equals" in condition:
        parts.append(f"{condition['input']} = {condition['equals']}")
    if "min" in condition:
        parts.append(f"{condition['input']} ≥ {condition['min']:g}")
    if "max" in condition:
        parts.append(f"{condition['input']} < {condition['max']:g}")
    return _(" and ").join(parts)


@register.filter
def plain_label(label):
    """An indicator's label without the statistics, translated (rankings.display.PLAIN_LABELS)."""
    return display.plain_label(label)
