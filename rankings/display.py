"""How leaderboards read to a buyer: stored inputs, rules and board kinds turned into words, in one place.

Entry.inputs keeps what the engine saw — numbers, booleans, choice codes, (successes, trials) pairs — so a snapshot
can be reproduced. Pages never print those directly: they go through format_indicator_input, so a buyer reads
"78.2%" or "ISO 9001-type certificate: yes", never "78.2413" or "[False, True]". Nothing here queries the database.
"""

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from suppliers.models import VerificationLevel

from .inputs import VERIFICATION_RANK
from .models import BoardKind, KeyField, RDInstitution

LEVEL_OF_RANK = {rank: level for level, rank in VERIFICATION_RANK.items()}

# What each board rewards and how to read it, in a buyer's words; the method page has the details.
BOARD_SUMMARIES = {
    BoardKind.TOP_FACTORIES: gettext_lazy(
        "Factories ranked by production capacity (factory area, staff, production lines: declared until checked on "
        "site), by the checks Silkway has made (verification level, certificates checked by Silkway) and by their "
        "record: years in business and exporting, and on-time delivery of Silkway orders. Only manufacturers that "
        "Silkway has verified are listed."
    ),
    BoardKind.SPECIALIZED_INNOVATIVE: gettext_lazy(
        "Suppliers ranked by their focus on a niche market, quality and sound finances, what sets them apart on "
        "Silkway, and innovation (patents, R&D spending and R&D staff), following the structure of China's scheme for "
        "specialized and innovative SMEs (MIIT 2022 No. 63). It is Silkway's assessment of the supplier's figures, "
        "not a government certification or title: a real designation appears as a separate, checked badge."
    ),
    BoardKind.FASTEST_RESPONDERS: gettext_lazy(
        "Suppliers ranked by how reliably and how fast they answer buyers' inquiries on Silkway: the share answered "
        "within 24 hours, the typical time to a first reply, and how many inquiries they answer. Everything is "
        "measured on Silkway, nothing is declared by the supplier."
    ),
    BoardKind.TOP_SUPPLIERS: gettext_lazy(
        "Suppliers ranked by their record on Silkway: completed orders and their value, on-time delivery, few "
        "disputes, buyer ratings and quick replies. Everything is measured on Silkway; nothing the supplier "
        "declares counts."
    ),
}


def board_summary(board: str) -> str:
    return str(BOARD_SUMMARIES.get(board, ""))


# --- Numbers -------------------------------------------------------------------------------------------------------

NOT_REPORTED = gettext_lazy("not reported")
NOT_AVAILABLE = "—"


def _number(value, decimals=1, rounding=ROUND_HALF_UP) -> str:
    """Localized, grouped, at most `decimals` places and no trailing zeros (78.0 → "78", 12345.6 → "12,345.6")."""
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=rounding)
    if number == number.to_integral_value():
        number, decimals = number.to_integral_value(), 0
    if number == 0:
        number = Decimal(0)  # never "-0"
    return formats.number_format(number, decimals, force_grouping=True)


def _percent(value, decimals=1) -> str:
    # Rounded down: a shown figure never lands in a band the supplier did not reach (79.96% is "79.9%", not "80%"),
    # and "100%" means every one.
    return _("%(number)s%%") % {"number": _number(value, decimals, ROUND_FLOOR)}


def _signed_percent(value) -> str:
    text = _percent(value, 0)
    return f"+{text}" if value > 0 else text


def _count(value) -> str:
    return _number(value, 0)


def _years(value) -> str:
    return ngettext("%(n)s year", "%(n)s years", int(value)) % {"n": _number(value, 0, ROUND_FLOOR)}


def _cny(value) -> str:
    if abs(value) >= 1_000_000:
        return _("CNY %(amount)s million") % {"amount": _number(value / 1_000_000, 1, ROUND_FLOOR)}
    return _("CNY %(amount)s") % {"amount": _number(value, 0)}


def _usd_recent(value) -> str:
    return _("US$%(amount)s (recent orders weigh more)") % {"amount": _number(value, 0)}


def _orders_recent(value) -> str:
    return _("%(number)s (recent orders weigh more)") % {"number": _number(value, 1)}


def _minutes(value) -> str:
    minutes = int(round(float(value)))
    if minutes < 60:
        return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}
    if minutes < 48 * 60:
        hours, rest = divmod(minutes, 60)
        if rest:
            return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}
        return _("%(hours)s h") % {"hours": hours}
    days = minutes / (24 * 60)
    return ngettext("%(n)s day", "%(n)s days", int(days)) % {"n": _number(days, 1)}


def _yes_no(value) -> str:
    return _("yes") if value else _("no")


def _choice(choices):
    def text(value):
        try:
            return str(choices(value).label)
        except ValueError:
            return NOT_AVAILABLE  # a code this version does not know: never show the code itself

    return text


def _verification(value) -> str:
    level = LEVEL_OF_RANK.get(int(value))
    return str(VerificationLevel(level).label) if level else NOT_AVAILABLE


def _rate(template):
    """(successes, trials) as the share of trials; the trials are recency-weighted, so only the share is shown."""

    def text(value):
        successes, trials = value
        if not trials:
            return NOT_AVAILABLE
        return str(template) % {"share": _percent(100 * successes / trials, 0)}

    return text


def _rating(value) -> str:
    total, votes = value
    if not votes:
        return NOT_AVAILABLE
    return _("%(stars)s of 5 stars") % {"stars": _number(total / votes, 1)}


def _of_four(value) -> str:
    return _("%(n)s of 4") % {"n": _count(value)}


def _markets(value) -> str:
    return ngettext("%(n)s market", "%(n)s markets", int(value)) % {"n": _count(value)}


def _area(value) -> str:
    return _("%(n)s m²") % {"n": _count(value)}


def _level(value) -> str:
    return _("level %(n)s of 4") % {"n": _count(value)}


# Every input a ruleset can name (rankings.inputs.INPUT_NAMES): how its value reads, and its short name for
# indicators that combine several inputs.
FORMATTERS = {
    "revenue_cny": _cny,
    "main_business_share": _percent,
    "main_business_growth_2y": _percent,
    "years_in_niche": _years,
    "key_field": _choice(KeyField),
    "digitalization_level": _level,
    "quality_award": _yes_no,
    "own_brand": _yes_no,
    "standards_drafted": _count,
    "net_profit_margin": _percent,
    "debt_asset_ratio": _percent,
    "class1_ip_high_value": _count,
    "class1_ip_self_developed": _count,
    "class1_ip_total": _count,
    "class2_ip_total": _count,
    "rd_spend_cny": _cny,
    "rd_spend_share": _percent,
    "rd_institution": _choice(RDInstitution),
    "equity_financing_2y_cny": _cny,
    "iso9001": _yes_no,
    "rd_staff_share": _percent,
    "customization_count": _of_four,
    "export_market_count": _markets,
    "is_manufacturer": _yes_no,
    "verification_rank": _verification,
    "verified_cert_count": _count,
    "factory_area_m2": _area,
    "staff_count": _count,
    "production_lines": _count,
    "years_in_business": _years,
    "years_exporting": _years,
    "demand_share": _percent,
    "demand_growth": _signed_percent,
    "response_24h": _rate(gettext_lazy("%(share)s answered within 24 h")),
    "median_response_minutes": _minutes,
    "inquiries_90d": _count,
    "answered_90d": _count,
    "orders_w": _orders_recent,
    "order_value_w": _usd_recent,
    "orders_365d": _count,
    "on_time": _rate(gettext_lazy("%(share)s on time")),
    "disputes": _rate(gettext_lazy("%(share)s of orders disputed")),
    "rating": _rating,
}

INPUT_LABELS = {
    "revenue_cny": gettext_lazy("revenue"),
    "main_business_share": gettext_lazy("main business share of revenue"),
    "main_business_growth_2y": gettext_lazy("main-business growth"),
    "years_in_niche": gettext_lazy("years in the niche"),
    "key_field": gettext_lazy("main product's field"),
    "digitalization_level": gettext_lazy("digitalization level"),
    "quality_award": gettext_lazy("quality award"),
    "own_brand": gettext_lazy("own brand"),
    "standards_drafted": gettext_lazy("standards drafted"),
    "net_profit_margin": gettext_lazy("net profit margin"),
    "debt_asset_ratio": gettext_lazy("debt-to-asset ratio"),
    "class1_ip_high_value": gettext_lazy("high-value class-I IP"),
    "class1_ip_self_developed": gettext_lazy("self-developed class-I IP"),
    "class1_ip_total": gettext_lazy("class-I IP"),
    "class2_ip_total": gettext_lazy("class-II IP"),
    "rd_spend_cny": gettext_lazy("R&D spend"),
    "rd_spend_share": gettext_lazy("R&D share of revenue"),
    "rd_institution": gettext_lazy("R&D institution"),
    "equity_financing_2y_cny": gettext_lazy("new equity financing"),
    "iso9001": gettext_lazy("ISO 9001-type certificate"),
    "rd_staff_share": gettext_lazy("R&D staff share"),
    "customization_count": gettext_lazy("customization options"),
    "export_market_count": gettext_lazy("export markets"),
    "is_manufacturer": gettext_lazy("manufacturer"),
    "verification_rank": gettext_lazy("verification"),
    "verified_cert_count": gettext_lazy("certificates checked by Silkway"),
    "factory_area_m2": gettext_lazy("factory area"),
    "staff_count": gettext_lazy("staff"),
    "production_lines": gettext_lazy("production lines"),
    "years_in_business": gettext_lazy("years in business"),
    "years_exporting": gettext_lazy("years exporting"),
    "demand_share": gettext_lazy("share of the category's inquiries"),
    "demand_growth": gettext_lazy("demand growth"),
    "response_24h": gettext_lazy("answered within 24 h"),
    "median_response_minutes": gettext_lazy("typical first reply"),
    "inquiries_90d": gettext_lazy("inquiries, last 90 days"),
    "answered_90d": gettext_lazy("inquiries answered, last 90 days"),
    "orders_w": gettext_lazy("completed orders"),
    "order_value_w": gettext_lazy("order value"),
    "orders_365d": gettext_lazy("orders, last 365 days"),
    "on_time": gettext_lazy("on-time delivery"),
    "disputes": gettext_lazy("disputes"),
    "rating": gettext_lazy("buyer rating"),
    "score": gettext_lazy("score"),
}


def _missing(value) -> bool:
    return value is None or value == ""


def format_input(name: str, value) -> str:
    """One input as a buyer reads it: "78.2%", "11 years", "yes", a choice's label, or "not reported"."""
    if _missing(value):
        return str(NOT_REPORTED)
    formatter = FORMATTERS.get(name)
    if formatter is not None:
        return formatter(value)
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, int | float | Decimal):
        return _number(value)
    return NOT_AVAILABLE  # an unknown structure or code: never print internals


def format_indicator_input(indicator, value) -> str:
    """An indicator's stored input (Entry.inputs[i]); several inputs read as "award: no · own brand: yes …"."""
    if len(indicator.inputs) == 1:
        return format_input(indicator.inputs[0], value)
    values = list(value) if isinstance(value, list | tuple) else []
    if all(_missing(v) for v in values):
        return str(NOT_REPORTED)
    parts = [
        _("%(name)s: %(value)s")
        % {"name": INPUT_LABELS.get(name, name), "value": format_input(name, values[i] if i < len(values) else None)}
        for i, name in enumerate(indicator.inputs)
    ]
    return " · ".join(parts)


# --- Rules in words (the methodology page's plain summary) ---------------------------------------------------------


def _points(value) -> str:
    return ngettext("%(n)s point", "%(n)s points", int(value)) % {"n": _number(value, 1)}


def _bound(name, value) -> str:
    if FORMATTERS.get(name) in (_percent, _signed_percent):
        return _("%(number)s%%") % {"number": _number(value, 1)}
    if FORMATTERS.get(name) in (_years, _cny, _area, _markets):
        return FORMATTERS[name](value)
    return _number(value, 1)


def _band_span(name, low, high) -> str:
    if high is None:
        return _("%(low)s or more") % {"low": _bound(name, low)}
    if low is None:
        return _("under %(high)s") % {"high": _bound(name, high)}
    return _("%(low)s to under %(high)s") % {"low": _bound(name, low), "high": _bound(name, high)}


def _plain_rule(rule, *, named=False) -> list[str]:
    kind = rule.get("type")
    prefix = f"{INPUT_LABELS.get(rule.get('input'), rule.get('input'))}: " if named else ""
    if kind == "bands":
        return [
            _("%(span)s → %(points)s")
            % {"span": prefix + _band_span(rule["input"], low, high), "points": _points(points)}
            for low, high, points in rule["bands"]
        ]
    if kind == "per_unit":
        unit = _bound(rule["input"], rule["unit"])
        return [
            prefix
            + _("%(points)s per full %(unit)s, at most %(cap)s")
            % {"points": _points(rule["points"]), "unit": unit, "cap": _points(rule["cap"])}
        ]
    if kind == "choice":
        choices = {"key_field": KeyField, "rd_institution": RDInstitution}.get(rule["input"])
        lines = []
        for code, points in rule["points"].items():
            label = _choice(choices)(code) if choices else code
            lines.append(_("%(span)s → %(points)s") % {"span": prefix + label, "points": _points(points)})
        return lines
    if kind == "count_flags":
        names = ", ".join(str(INPUT_LABELS.get(name, name)) for name in rule["inputs"])
        return [
            _("%(each)s for each of: %(names)s (at most %(cap)s)")
            % {"each": _points(rule["points_each"]), "names": names, "cap": _points(rule["cap"])}
        ]
    if kind == "best_of":
        lines = [_("The best of:")]
        for sub in rule["rules"]:
            lines.extend(_plain_rule(sub, named=True))
        return lines
    return []


def indicator_rule_lines(indicator, scoring: str) -> list[str]:
    """How an indicator earns points, in words, for the summary shown before the formulas."""
    if scoring == "points":
        return [*_plain_rule(indicator.rule), _("Anything else, or not reported: 0 points.")]
    lines = [
        _("Compared with the other suppliers in the category: lower is better.")
        if indicator.direction == "lower"
        else _("Compared with the other suppliers in the category: higher is better.")
    ]
    kind = indicator.estimator.get("type")
    if kind == "beta_binomial":
        lines.append(
            _(
                "A short record is pulled toward the category's average, so a few lucky results never beat "
                "a long record."
            )
        )
    elif kind == "bayes_mean":
        lines.append(_("Each buyer counts once; with few ratings the average is pulled toward the category's."))
    return lines


# --- The board table -----------------------------------------------------------------------------------------------


def board_rows(entries, ruleset) -> list[dict]:
    """Per entry on the page: its pillar segments (for the bar) and its gates by label, in the ruleset's order."""
    pillar_labels = [_(pillar.label) for pillar in ruleset.pillars]
    rows = []
    for entry in entries:
        segments = [
            {"label": label, "value": value, "index": position}
            for position, (label, value) in enumerate(zip(pillar_labels, entry.pillar_scores, strict=False))
        ]
        gates = [{"label": _(gate["label"]), "met": entry.gates.get(gate["key"])} for gate in ruleset.gates]
        rows.append({"entry": entry, "segments": segments, "gates": gates})
    return rows


def condition_words(condition) -> str:
    """A gate or eligibility condition in words: "manufacturer: yes", "inquiries, last 90 days: at least 5"."""
    if "all" in condition or "any" in condition:
        joiner = _(" and ") if "all" in condition else _(" or ")
        return joiner.join(condition_words(sub) for sub in condition.get("all", condition.get("any")))
    name = condition["input"]
    label = INPUT_LABELS.get(name, name)
    parts = []
    if "equals" in condition:
        parts.append(format_input(name, condition["equals"]))
    if "min" in condition:
        parts.append(_("at least %(value)s") % {"value": format_input(name, condition["min"])})
    if "max" in condition:
        parts.append(_("under %(value)s") % {"value": format_input(name, condition["max"])})
    return _("%(name)s: %(value)s") % {"name": label, "value": _(" and ").join(parts)}


# Ruleset labels name the statistics ("shrunk toward the category", "decayed"); buyers get the thing measured. The
# full label stays on the methodology page behind "How the score is computed".
PLAIN_LABELS = {
    "Inquiries answered within 24 h (shrunk toward the category)": gettext_lazy("Inquiries answered within 24 h"),
    "Median first-response time (minutes, lower is better)": gettext_lazy("Typical time to a first reply"),
    "On-time delivery (shrunk toward the category)": gettext_lazy("On-time delivery"),
    "Completed orders (decayed)": gettext_lazy("Completed orders (recent ones weigh more)"),
    "Order value, USD (decayed)": gettext_lazy("Order value in US$ (recent orders weigh more)"),
    "Dispute rate (shrunk toward the category, lower is better)": gettext_lazy("Orders disputed (fewer is better)"),
    "Buyer rating (Bayesian average, one vote per buyer)": gettext_lazy("Buyer rating (one vote per buyer)"),
    "Verification level (licence 1, on-site 2, third-party 3)": gettext_lazy("Verification by Silkway"),
}


def plain_label(label: str) -> str:
    """An indicator's label as a buyer reads it, translated."""
    plain = PLAIN_LABELS.get(label)
    return str(plain) if plain is not None else _(label)
