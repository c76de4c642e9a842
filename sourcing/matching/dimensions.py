"""The soft-scoring dimensions: one function each, whose docstring is its rule (shown to buyers as the
dimension's description). Each takes a Candidate and the plan Context and returns a Dimension with a score in
[0, 1] or None when we have no data; weights and thresholds are in weights.json, never here.

Provenance says where the figure comes from: "self_declared" (the seller typed it), "document_verified"
(Silkway checked a document or visited), "platform_derived" (measured from activity on Silkway), "computed"
(derived by this planner from the request and the catalog) or "unknown".
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.languages import base_language
from search.documents import quantities_of
from sourcing.reference import destination_keys
from suppliers import display

from .facts import (
    COMPUTED,
    DOCUMENT_VERIFIED,
    PLATFORM_DERIVED,
    SELF_DECLARED,
    UNKNOWN,
    Candidate,
    Context,
    Dimension,
    config,
    param,
)
from .figures import (
    capacity_in_category,
    cert_status,
    clamp,
    fmt_int,
    fmt_money,
    lead_time_at,
    linear,
    order_quantity,
    price_quote,
    unit_label,
)

Rule = Callable[[Candidate, Context], Dimension]


@dataclass(frozen=True)
class DimensionSpec:
    key: str
    label: object  # a lazy translation
    rule: Rule
    description: str

    @property
    def weight(self) -> float:
        return float(config()["weights"][self.key])


REGISTRY: dict[str, DimensionSpec] = {}


def dimension(key: str, label) -> Callable[[Rule], Rule]:
    def register(rule: Rule) -> Rule:
        REGISTRY[key] = DimensionSpec(key, label, rule, inspect.getdoc(rule) or "")
        return rule

    return register


def result(
    key: str, value: str, score: float | None, provenance: str, evidence: str, *, applicable: bool = True
) -> Dimension:
    return Dimension(
        key=key,
        label=str(REGISTRY[key].label),
        value=value,
        score=None if score is None else round(clamp(score), 4),
        provenance=provenance if score is not None or not applicable else UNKNOWN,
        evidence=evidence,
        applicable=applicable,
    )


def not_applicable(key: str, why: str) -> Dimension:
    return result(key, "—", None, UNKNOWN, why, applicable=False)


def unknown(key: str, why: str, value: str = "?") -> Dimension:
    return result(key, value, None, UNKNOWN, why)


def _percent(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


# --- the product ----------------------------------------------------------------------------------------------


@dimension("relevance", gettext_lazy("Match with your description"))
def relevance(c: Candidate, ctx: Context) -> Dimension:
    """How well the product's text matches what you asked for: the search score of the supplier's best-matching
    product divided by the best score among all candidates (1 = the best match found). Computed."""
    if ctx.max_search_score <= 0:
        return unknown("relevance", _("No text match score (the catalog was browsed, not searched)."))
    score = c.search_score / ctx.max_search_score
    more = _(" and %(n)s more matching products") % {"n": c.matching_products - 1} if c.matching_products > 1 else ""
    return result(
        "relevance",
        f"{score:.0%}",
        score,
        COMPUTED,
        _("“%(title)s”%(more)s.") % {"title": c.product.title[:120], "more": more},
    )


@dimension("price", gettext_lazy("Price at your quantity"))
def price(c: Candidate, ctx: Context) -> Dimension:
    """Unit price from the product's price tier for your quantity (the MOQ tier when you gave no quantity),
    converted to your currency at the reference rate. With a target price: 1 at or under the target, falling
    linearly to 0 at 50 % over it. Without one: compared with the median of the candidates, 0.5 at the median,
    1 at half of it, 0 at one and a half times it. Unknown without price tiers or an exchange rate."""
    quote = price_quote(c.product, ctx)
    if quote is None:
        return unknown("price", _("The listing has no price tiers."))
    unit = unit_label(c.product, ctx)
    at = _("at %(q)s %(unit)s") % {"q": fmt_int(quote.quantity), "unit": unit}
    if not quote.stated_quantity:
        at = _("at the MOQ (%(q)s %(unit)s)") % {"q": fmt_int(quote.quantity), "unit": unit}
    if quote.buyer is None:
        return unknown(
            "price",
            _("No exchange rate from %(a)s to %(b)s.") % {"a": quote.currency, "b": quote.buyer_currency},
            value=f"{fmt_money(quote.native, quote.currency)} {at}",
        )
    value = f"{fmt_money(quote.buyer, quote.buyer_currency)} {at}"
    if quote.currency != quote.buyer_currency:
        value += f" ({fmt_money(quote.native, quote.currency)})"
    target = ctx.requirements.target_unit_price
    if target:
        ratio = float(quote.buyer) / target
        score = 1.0 if ratio <= 1 else 1 - (ratio - 1) / param("price_over_target_zero")
        evidence = _("%(pct)s of your target price of %(target)s.") % {
            "pct": f"{ratio:.0%}",
            "target": fmt_money(target, ctx.buyer_currency),
        }
    elif ctx.price_median:
        ratio = float(quote.buyer / ctx.price_median)
        score = 0.5 + (1 - ratio) / (2 * param("price_cohort_spread"))
        evidence = _("%(pct)s of the candidates' median price (%(median)s); you gave no target price.") % {
            "pct": f"{ratio:.0%}",
            "median": fmt_money(ctx.price_median, ctx.buyer_currency),
        }
    else:
        return unknown("price", _("Nothing to compare the price with."), value=value)
    return result("price", value, score, SELF_DECLARED, evidence)


@dimension("moq_fit", gettext_lazy("Minimum order"))
def moq_fit(c: Candidate, ctx: Context) -> Dimension:
    """The product's minimum order quantity against your quantity: 1 when the MOQ is at most half of it, 0.8 up
    to your quantity, 0 above it (above is also a hard constraint). Unknown when you gave no quantity."""
    moq, unit = c.product.moq, c.product.unit
    value = f"{fmt_int(moq)} {unit}"
    quantity = ctx.requirements.quantity
    if not quantity:
        return unknown("moq_fit", _("You gave no quantity to compare the MOQ with."), value=value)
    score = 1.0 if moq * 2 <= quantity else 0.8 if moq <= quantity else 0.0
    evidence = (
        _("MOQ %(moq)s is within your %(q)s.") if moq <= quantity else _("MOQ %(moq)s is above your %(q)s.")
    ) % {"moq": fmt_int(moq), "q": fmt_int(quantity)}
    return result("moq_fit", value, score, SELF_DECLARED, evidence)


@dimension("lead_time", gettext_lazy("Lead time"))
def lead_time(c: Candidate, ctx: Context) -> Dimension:
    """Days to ship your quantity (the price tier's lead time for that quantity, else the product's lead time,
    which sellers state for an order of the MOQ). Against your maximum: 0.7 to 1 within it (shorter is better),
    then falling to 0 at 50 % over it. Without a maximum: 1 at 7 days, 0 at 90 days."""
    days, source = lead_time_at(c.product, ctx)
    if not days:
        return unknown("lead_time", _("The listing states no lead time."))
    quantity, stated = order_quantity(c.product, ctx)
    value = _("%(days)s days") % {"days": days}
    basis = (
        _("for %(q)s") % {"q": fmt_int(quantity)}
        if source == "tier"
        else _("stated for the MOQ (%(moq)s); a larger order may take longer") % {"moq": fmt_int(c.product.moq)}
    )
    if source == "moq" and (not stated or quantity <= c.product.moq):
        basis = _("for the MOQ")
    limit = ctx.requirements.max_lead_time_days
    if limit:
        if days <= limit:
            score = 0.7 + 0.3 * (1 - days / limit)
        else:
            score = 0.5 * (1 - (days - limit) / (limit * param("lead_over_max_zero")))
        evidence = _("%(days)s days %(basis)s; you need it within %(limit)s days.") % {
            "days": days,
            "basis": basis,
            "limit": limit,
        }
    else:
        score = linear(days, param("lead_fast_days"), param("lead_slow_days"))
        evidence = _("%(days)s days %(basis)s.") % {"days": days, "basis": basis}
    return result("lead_time", value, score, SELF_DECLARED, evidence)


@dimension("operating_temperature", gettext_lazy("Operating temperature"))
def operating_temperature(c: Candidate, ctx: Context) -> Dimension:
    """When you state an operating temperature: the product's stated range (an attribute named like
    "operating/working temperature", e.g. "-20~60 °C") must cover yours. 1 when it does; each degree short
    costs 1/20. Unknown when the listing states no temperature range."""
    req = ctx.requirements
    low, high = req.min_operating_temp_c, req.max_operating_temp_c
    if low is None and high is None:
        return not_applicable("operating_temperature", _("You stated no operating temperature."))
    ranges = []
    for name, value, unit in c.product.attributes:
        if "temp" not in name.lower():
            continue
        ranges += [(a, b) for canonical, a, b in quantities_of(value, unit) if canonical == "C"]
    wanted = f"{'' if low is None else f'{low:g}'}…{'' if high is None else f'{high:g}'} °C"
    if not ranges:
        return unknown(
            "operating_temperature", _("The listing states no temperature range; you need %(w)s.") % {"w": wanted}
        )
    a, b = min(r[0] for r in ranges), max(r[1] for r in ranges)
    shortfall = max(0.0, a - low if low is not None else 0.0) + max(0.0, high - b if high is not None else 0.0)
    score = 1 - shortfall / param("temperature_shortfall_zero")
    evidence = (
        _("Rated %(a)s to %(b)s °C, covering your %(w)s.")
        if shortfall == 0
        else _("Rated %(a)s to %(b)s °C; you need %(w)s.")
    ) % {"a": f"{a:g}", "b": f"{b:g}", "w": wanted}
    return result("operating_temperature", f"{a:g} to {b:g} °C", score, SELF_DECLARED, evidence)


@dimension("customization", gettext_lazy("Customization"))
def customization(c: Candidate, ctx: Context) -> Dimension:
    """The customization you need (logo, packaging, color, OEM, ODM): 1 for each the product listing offers, 0.7
    when only the supplier's profile offers it (ask for this product), 0 when neither (a hard constraint).
    The mean over what you asked for."""
    wanted = ctx.requirements.customization
    if not wanted:
        return not_applicable("customization", _("You asked for no customization."))
    p, s = c.product, c.supplier
    on_product = {
        "logo": p.custom_logo,
        "packaging": p.custom_packaging,
        "color": p.custom_color,
        "oem": p.oem,
        "odm": p.odm,
    }
    on_profile = {
        "logo": False,
        "packaging": s.offers_custom_packaging,
        "color": False,
        "oem": s.offers_oem,
        "odm": s.offers_odm,
    }
    scores, listed, profile_only, missing = [], [], [], []
    for item in wanted:
        if on_product[item]:
            scores.append(1.0)
            listed.append(item)
        elif on_profile[item]:
            scores.append(param("custom_supplier_only"))
            profile_only.append(item)
        else:
            scores.append(0.0)
            missing.append(item)
    parts = []
    if listed:
        parts.append(_("listing offers %(items)s") % {"items": ", ".join(listed)})
    if profile_only:
        parts.append(_("supplier profile offers %(items)s") % {"items": ", ".join(profile_only)})
    if missing:
        parts.append(_("not offered: %(items)s") % {"items": ", ".join(missing)})
    value = f"{len(listed) + len(profile_only)}/{len(wanted)}"
    return result("customization", value, sum(scores) / len(scores), SELF_DECLARED, "; ".join(parts).capitalize() + ".")


@dimension("samples", gettext_lazy("Samples"))
def samples(c: Candidate, ctx: Context) -> Dimension:
    """When you need samples: 1 when the listing offers samples, 0.7 when only the supplier's profile does, 0 when
    neither does."""
    if not ctx.requirements.samples_required:
        return not_applicable("samples", _("You did not ask for samples."))
    p = c.product
    if p.samples_available:
        price_text = fmt_money(p.sample_price, p.currency) if p.sample_price is not None else _("price on request")
        return result(
            "samples", _("Yes (%(p)s)") % {"p": price_text}, 1.0, SELF_DECLARED, _("The listing offers samples.")
        )
    if c.supplier.offers_samples:
        return result(
            "samples",
            _("Ask"),
            param("custom_supplier_only"),
            SELF_DECLARED,
            _("The supplier offers samples, though not on this listing."),
        )
    return result("samples", _("No"), 0.0, SELF_DECLARED, _("Neither the listing nor the supplier offers samples."))


# --- compliance -----------------------------------------------------------------------------------------------


@dimension("certificates", gettext_lazy("Certificates"))
def certificates(c: Candidate, ctx: Context) -> Dimension:
    """The certificates you named plus those your destination requires or expects for this category, valid
    today: 1 each when Silkway verified the document, 0.85 when the certificate is linked to this product, 0.7
    when only declared, 0 when missing or expired. The mean. Unknown when the supplier has no certificate data
    at all; not applicable when nothing is needed (no certificates named, no destination rules)."""
    needed = ctx.required_certs(c.product.category_id)
    if not needed:
        why = _("You named no certificates") + (
            _(" and no destination.") if not ctx.destination else _(" and the destination lists none.")
        )
        return not_applicable("certificates", why)
    scores, notes, verified_all = [], [], True
    unknown_count = 0
    for code in needed:
        status = cert_status(c, code, ctx.today)
        if status.status == "unknown":
            unknown_count += 1
            verified_all = False
            continue
        if status.status == "verified":
            scores.append(1.0)
            notes.append(_("%(code)s verified") % {"code": code})
        elif status.held:
            verified_all = False
            on_product = code in c.product.cert_codes
            scores.append(param("cert_on_product") if on_product else param("cert_self_declared"))
            notes.append(_("%(code)s declared") % {"code": code})
        elif status.status == "expired" and status.cert is not None:
            verified_all = False
            scores.append(0.0)
            notes.append(_("%(code)s expired %(date)s") % {"code": code, "date": status.cert.valid_until.isoformat()})
        else:
            verified_all = False
            scores.append(0.0)
            notes.append(_("%(code)s missing") % {"code": code})
    if not scores:
        return unknown(
            "certificates",
            _("The supplier lists no certificates; ask for %(codes)s.") % {"codes": ", ".join(needed)},
        )
    held = sum(1 for s in scores if s > 0)
    value = f"{held}/{len(needed)}"
    provenance = DOCUMENT_VERIFIED if verified_all else SELF_DECLARED
    return result("certificates", value, sum(scores) / len(scores), provenance, "; ".join(notes) + ".")


# --- the supplier ---------------------------------------------------------------------------------------------


def factory_evidence(c: Candidate, ctx: Context | None = None) -> list[str]:
    """What backs a manufacturer claim: declared capacity, a factory area, staff, an on-site or third-party check."""
    s = c.supplier
    found = []
    if s.capacities:
        found.append(_("declared capacity"))
    if s.factory_area_m2:
        found.append(_("%(m2)s m² factory") % {"m2": fmt_int(s.factory_area_m2)})
    if s.staff_count and s.staff_count >= 20:
        found.append(_("%(n)s staff") % {"n": fmt_int(s.staff_count)})
    if s.verification_level in ("onsite", "assessed"):
        found.append(_("on-site checked") if s.verification_level == "onsite" else _("third-party assessed"))
    return found


@dimension("supplier_kind", gettext_lazy("Factory or trader"))
def supplier_kind(c: Candidate, ctx: Context) -> Dimension:
    """Whether the supplier makes what it sells, and the evidence behind it. A factory (or factory with a trading
    arm) scores 0.4 plus 0.15 per piece of evidence (declared capacity, factory area, 20+ staff, an on-site or
    third-party check), up to 1; a "factory" with no capacity, no area and no verification scores 0.15. A
    trading company scores 0.5 (neutral) unless you asked for one (1)."""
    s = c.supplier
    wanted = ctx.requirements.supplier_kind
    labels = {"factory": _("Factory"), "both": _("Factory + trading arm"), "trading_company": _("Trading company")}
    value = str(labels.get(s.kind, s.kind))
    verified = s.verification_level in ("onsite", "assessed")
    if s.kind == "trading_company":
        score = 1.0 if wanted == "trading_company" else param("trading_company_neutral")
        return result(
            "supplier_kind",
            value,
            score,
            DOCUMENT_VERIFIED if verified else SELF_DECLARED,
            _("A trading company: it sources from partner factories."),
        )
    evidence = factory_evidence(c)
    has_substance = bool(s.capacities or s.factory_area_m2 or verified)
    if not has_substance:
        return result(
            "supplier_kind",
            value,
            param("factory_no_evidence"),
            SELF_DECLARED,
            _("Claims to be a factory but declares no capacity or factory area and is not on-site verified."),
        )
    score = 0.4 + 0.15 * len(evidence)
    if wanted == "trading_company" and s.kind == "both":
        score = min(score, 0.8)
    return result(
        "supplier_kind",
        value,
        score,
        DOCUMENT_VERIFIED if verified else SELF_DECLARED,
        _("Evidence: %(items)s.") % {"items": ", ".join(evidence)},
    )


@dimension("capacity", gettext_lazy("Capacity for your order"))
def capacity(c: Candidate, ctx: Context) -> Dimension:
    """Monthly capacity declared in the product's category against your quantity: the order's share of the
    capacity available until your deadline (your maximum lead time, else one month). 1 up to a quarter of it,
    falling to 0 at 150 %. Unknown when no quantity is given or no capacity is declared for the category."""
    monthly_capacity = capacity_in_category(c.supplier, c.product, ctx)
    quantity = ctx.requirements.quantity
    if monthly_capacity is None:
        return unknown(
            "capacity",
            _("No production capacity declared for %(cat)s.")
            % {"cat": ctx.category_name(c.product.category_id) or _("this category")},
        )
    value = _("%(n)s / month") % {"n": fmt_int(monthly_capacity)}
    if not quantity:
        return unknown("capacity", _("You gave no quantity to compare the capacity with."), value=value)
    days = ctx.requirements.max_lead_time_days or param("capacity_default_window_days")
    available = monthly_capacity * days / 30
    load = quantity / available if available else math.inf
    score = linear(load, param("capacity_comfortable_load"), param("capacity_overload"))
    evidence = _("Your %(q)s is %(pct)s of %(days)s days' declared capacity.") % {
        "q": fmt_int(quantity),
        "pct": f"{load:.0%}",
        "days": days,
    }
    return result("capacity", value, score, SELF_DECLARED, evidence)


@dimension("verification", gettext_lazy("Verification"))
def verification(c: Candidate, ctx: Context) -> Dimension:
    """How far Silkway checked the supplier: not verified 0, business license 0.5, on-site check 0.85,
    third-party assessment 1."""
    level = c.supplier.verification_level
    labels = {
        "unverified": _("Not verified"),
        "business_license": _("Business license checked"),
        "onsite": _("On-site checked"),
        "assessed": _("Third-party assessed"),
    }
    scores = param("verification")
    provenance = DOCUMENT_VERIFIED if level != "unverified" else PLATFORM_DERIVED
    return result(
        "verification",
        str(labels.get(level, level)),
        scores.get(level, 0.0),
        provenance,
        _("Verification level recorded by Silkway operators."),
    )


@dimension("years_in_business", gettext_lazy("Years in business"))
def years_in_business(c: Candidate, ctx: Context) -> Dimension:
    """Years since the founding year: full marks at 15 years, proportionally less below. Unknown when no
    founding year is declared."""
    founded = c.supplier.founded_year
    if not founded:
        return unknown("years_in_business", _("No founding year declared."))
    years = max(0, ctx.today.year - founded)
    return result(
        "years_in_business",
        _("%(n)s years") % {"n": years},
        years / param("years_in_business_full"),
        SELF_DECLARED,
        _("Founded in %(y)s.") % {"y": founded},
    )


@dimension("years_exporting", gettext_lazy("Export experience"))
def years_exporting(c: Candidate, ctx: Context) -> Dimension:
    """Years the supplier has exported: full marks at 10 years. Unknown when not declared."""
    years = c.supplier.years_exporting
    if years is None:
        return unknown("years_exporting", _("Years of exporting not declared."))
    return result(
        "years_exporting",
        _("%(n)s years") % {"n": years},
        years / param("years_exporting_full"),
        SELF_DECLARED,
        _("Exporting for %(n)s years.") % {"n": years},
    )


def market_codes(markets: list[str]) -> set[str]:
    """Export markets as ISO countries and region codes ("UK" -> GB, "Middle East" -> GCC, ...)."""
    aliases = {k: v for k, v in config()["export_market_aliases"].items() if not k.startswith("_")}
    codes: set[str] = set()
    for market in markets:
        text = str(market).strip().upper()
        codes.add(text)
        codes.update(aliases.get(text, []))
    return codes


@dimension("export_destination", gettext_lazy("Exports to your market"))
def export_destination(c: Candidate, ctx: Context) -> Dimension:
    """Whether the supplier declares exporting to your destination country or a region containing it (EU, GCC,
    ...): 1 if so, 0.3 if it exports elsewhere. Unknown when it declares no export markets; not applicable
    without a destination."""
    if not ctx.destination:
        return not_applicable("export_destination", _("You gave no destination country."))
    markets = c.supplier.export_markets
    if not markets:
        return unknown("export_destination", _("No export markets declared."))
    keys = set(destination_keys(ctx.destination)) - {"*"}
    value = ", ".join(str(m) for m in markets[:6])
    if keys & market_codes(markets):
        return result(
            "export_destination",
            value,
            1.0,
            SELF_DECLARED,
            _("Declares exports to %(dest)s.") % {"dest": ctx.destination},
        )
    return result(
        "export_destination",
        value,
        param("export_elsewhere"),
        SELF_DECLARED,
        _("Exports, but declares none to %(dest)s.") % {"dest": ctx.destination},
    )


@dimension("languages", gettext_lazy("Speaks your language"))
def languages(c: Candidate, ctx: Context) -> Dimension:
    """Whether the supplier's staff speak your language: 1 if so, 0.6 if not but English is spoken, 0.2
    otherwise. Unknown when no languages are declared."""
    spoken = [base_language(code) for code in c.supplier.languages]
    if not spoken:
        return unknown("languages", _("No languages declared."))
    mine = base_language(ctx.requirements.language)
    value = ", ".join(spoken)
    if mine in spoken:
        return result("languages", value, 1.0, SELF_DECLARED, _("Speaks your language (%(l)s).") % {"l": mine})
    if "en" in spoken:
        return result(
            "languages",
            value,
            param("language_english_fallback"),
            SELF_DECLARED,
            _("Does not list %(l)s; English is spoken.") % {"l": mine},
        )
    return result("languages", value, param("language_none"), SELF_DECLARED, _("Does not list %(l)s.") % {"l": mine})


@dimension("innovation", gettext_lazy("R&D and innovation"))
def innovation(c: Candidate, ctx: Context) -> Dimension:
    """Patents (invention 3, utility 1, design 0.5 points; full marks at 20), R&D staff share (full at 10 %) and
    R&D spend (full at 5 % of revenue, from the leaderboard figures): the mean of what is known. Patents are
    always declared (0 when none)."""
    s = c.supplier
    points = 3 * s.invention_patents + s.utility_patents + 0.5 * s.design_patents
    parts = [min(1.0, points / param("patents_full"))]
    notes = [_("%(n)s patents") % {"n": s.invention_patents + s.utility_patents + s.design_patents}]
    provenance = SELF_DECLARED
    if s.rd_staff_count is not None and s.staff_count:
        share = s.rd_staff_count / s.staff_count
        parts.append(min(1.0, share / param("rd_staff_share_full")))
        notes.append(_("%(pct)s R&D staff") % {"pct": f"{share:.0%}"})
    if s.rd_spend_share is not None:
        parts.append(min(1.0, float(s.rd_spend_share) / param("rd_spend_full")))
        notes.append(_("R&D %(pct)s%% of revenue") % {"pct": f"{float(s.rd_spend_share):.1f}"})
    return result("innovation", ", ".join(notes), sum(parts) / len(parts), provenance, "; ".join(notes) + ".")


# --- platform activity ----------------------------------------------------------------------------------------


@dimension("response_rate", gettext_lazy("Response rate"))
def response_rate(c: Candidate, ctx: Context) -> Dimension:
    """Share of conversations answered within 24 hours over the last 30 days, measured on Silkway: the rate itself
    (80 % -> 0.8). Unknown before the supplier has received inquiries."""
    rate = _percent(c.supplier.response_rate)
    if rate is None:
        return unknown("response_rate", _("No inquiries measured yet."))
    evidence = _("Answers %(r)s of inquiries within 24 hours.") % {"r": f"{rate:.0f}%"}
    if n := c.supplier.response_sample_size:
        evidence = ngettext(
            "Answers %(r)s of inquiries within 24 hours (%(n)s conversation in the last 30 days).",
            "Answers %(r)s of inquiries within 24 hours (%(n)s conversations in the last 30 days).",
            n,
        ) % {"r": f"{rate:.0f}%", "n": n}
    return result("response_rate", f"{rate:.0f}%", rate / 100, PLATFORM_DERIVED, evidence)


@dimension("response_time", gettext_lazy("Response time"))
def response_time(c: Candidate, ctx: Context) -> Dimension:
    """Median time to the first answer, measured on Silkway: 1 within an hour, 0 at two days, on a log scale
    between. Unknown before any inquiry was answered."""
    minutes = c.supplier.median_response_minutes
    if minutes is None:
        return unknown("response_time", _("No answered inquiries measured yet."))
    best, worst = param("response_minutes_best"), param("response_minutes_worst")
    score = linear(math.log(max(minutes, 1)), math.log(best), math.log(worst))
    value = _("%(n)s min") % {"n": minutes} if minutes < 120 else _("%(n)s h") % {"n": f"{minutes / 60:.0f}"}
    return result("response_time", value, score, PLATFORM_DERIVED, _("Median first answer in %(v)s.") % {"v": value})


@dimension("response_commitment", gettext_lazy("Response commitment kept"))
def response_commitment(c: Candidate, ctx: Context) -> Dimension:
    """The supplier's published reply commitment (e.g. within 2 hours in its working hours) and the share of its
    last 30 days' conversations answered within it, measured on Silkway: that share itself (96 % -> 0.96). Unknown
    without a commitment or with fewer than 5 conversations to tell."""
    s = c.supplier
    if not s.response_commitment_minutes:
        return unknown("response_commitment", _("Publishes no reply commitment."), value="—")
    promise = display.commitment_text(s)
    if s.commitment_kept is None:
        return unknown("response_commitment", _("%(c)s; too few conversations to tell.") % {"c": promise})
    return result(
        "response_commitment",
        display.commitment_status_text(s),
        float(s.commitment_kept_rate) / 100,
        PLATFORM_DERIVED,
        _("%(c)s.") % {"c": promise},
    )


@dimension("on_time_delivery", gettext_lazy("On-time delivery"))
def on_time_delivery(c: Candidate, ctx: Context) -> Dimension:
    """Share of orders delivered on time, measured on Silkway: the rate itself. Unknown before any order."""
    rate = _percent(c.supplier.on_time_delivery_rate)
    if rate is None:
        return unknown("on_time_delivery", _("No orders on the platform yet."))
    return result(
        "on_time_delivery",
        f"{rate:.0f}%",
        rate / 100,
        PLATFORM_DERIVED,
        _("%(r)s of orders delivered on time.") % {"r": f"{rate:.0f}%"},
    )


@dimension("dispute_rate", gettext_lazy("Disputes"))
def dispute_rate(c: Candidate, ctx: Context) -> Dimension:
    """Share of orders disputed, measured on Silkway (lower is better): 1 at 0 %, 0 at 10 % or more. Unknown
    before any order."""
    rate = _percent(c.supplier.dispute_rate)
    if rate is None:
        return unknown("dispute_rate", _("No orders on the platform yet."))
    return result(
        "dispute_rate",
        f"{rate:.1f}%",
        1 - rate / param("dispute_rate_zero_at"),
        PLATFORM_DERIVED,
        _("%(r)s of orders disputed.") % {"r": f"{rate:.1f}%"},
    )


@dimension("ratings", gettext_lazy("Buyer ratings"))
def ratings(c: Candidate, ctx: Context) -> Dimension:
    """Buyers' average rating (1–5), shrunk toward 3.5 as if 5 more ratings of 3.5 were added, so a few
    ratings cannot make a perfect score; mapped to 0–1. Unknown without ratings."""
    s = c.supplier
    if not s.rating_count or s.rating_average is None:
        return unknown("ratings", _("No ratings yet."))
    prior, weight = param("rating_prior"), param("rating_prior_count")
    shrunk = (float(s.rating_average) * s.rating_count + prior * weight) / (s.rating_count + weight)
    return result(
        "ratings",
        _("%(avg)s from %(n)s ratings") % {"avg": f"{float(s.rating_average):.1f}", "n": s.rating_count},
        (shrunk - 1) / 4,
        PLATFORM_DERIVED,
        _("Average %(avg)s over %(n)s ratings (%(s)s after shrinking toward 3.5).")
        % {"avg": f"{float(s.rating_average):.2f}", "n": s.rating_count, "s": f"{shrunk:.2f}"},
    )


@dimension("repeat_buyers", gettext_lazy("Repeat buyers"))
def repeat_buyers(c: Candidate, ctx: Context) -> Dimension:
    """Share of buyers who ordered again, measured on Silkway: full marks at 50 %. Unknown before any order."""
    rate = _percent(c.supplier.repeat_buyer_rate)
    if rate is None:
        return unknown("repeat_buyers", _("No orders on the platform yet."))
    return result(
        "repeat_buyers",
        f"{rate:.0f}%",
        rate / param("repeat_buyers_full"),
        PLATFORM_DERIVED,
        _("%(r)s of buyers ordered again.") % {"r": f"{rate:.0f}%"},
    )


@dimension("leaderboard", gettext_lazy("Leaderboard standing"))
def leaderboard(c: Candidate, ctx: Context) -> Dimension:
    """The supplier's best percentile on the current Silkway leaderboards (1 = first place); at least 0.9 with
    a top-10 place on a board for this product's category. Ads and payment never enter leaderboards. Unknown
    when the supplier is not ranked."""
    s = c.supplier
    ids = set(ctx.category_ids(c.product.category_id))
    in_category = [b for b in s.badges if b.category_id in ids]
    if not s.leaderboard_standing and not s.badges:
        return unknown("leaderboard", _("Not ranked on any current leaderboard."))
    score = float(s.leaderboard_standing or 0)
    notes = []
    if in_category:
        best = min(in_category, key=lambda b: b.rank)
        score = max(score, param("badge_in_category"))
        notes.append(
            _("#%(rank)s on %(board)s – %(cat)s")
            % {"rank": best.rank, "board": best.board_label, "cat": best.category_name}
        )
    elif s.badges:
        best = min(s.badges, key=lambda b: b.rank)
        notes.append(
            _("#%(rank)s on %(board)s – %(cat)s")
            % {"rank": best.rank, "board": best.board_label, "cat": best.category_name}
        )
    value = notes[0] if notes else _("top %(pct)s") % {"pct": f"{max(1, round((1 - score) * 100))}%"}
    evidence = _("Best current leaderboard percentile %(p)s.") % {"p": f"{score:.2f}"}
    return result("leaderboard", value, score, PLATFORM_DERIVED, evidence + (" " + notes[0] + "." if notes else ""))


@dimension("order_protection", gettext_lazy("Order protection"))
def order_protection(c: Candidate, ctx: Context) -> Dimension:
    """Whether orders with this supplier can be paid through Silkway's order protection (escrow, refunds if
    the goods do not match the contract): 1 if so, 0 if not."""
    on = c.supplier.trade_assurance
    return result(
        "order_protection",
        _("Yes") if on else _("No"),
        1.0 if on else 0.0,
        PLATFORM_DERIVED,
        _("Orders are covered by Silkway order protection.") if on else _("No Silkway order protection."),
    )


def dimension_definitions() -> list[dict]:
    """Key, label, weight and rule of every dimension, for the page's legend."""
    return [
        {"key": spec.key, "label": str(spec.label), "weight": spec.weight, "description": spec.description}
        for spec in REGISTRY.values()
    ]


def evaluate(c: Candidate, ctx: Context) -> list[Dimension]:
    return [spec.rule(c, ctx) for spec in REGISTRY.values()]


def combine(dimensions: list[Dimension]) -> tuple[float, float, float | None]:
    """(score in [0, 1], coverage, raw weighted mean). The mean is over dimensions with data; coverage is the
    share of applicable weight that has data; the score is pulled toward neutral when coverage is low (see
    weights.json "coverage")."""
    weights = config()["weights"]
    rule = config()["coverage"]
    applicable = [d for d in dimensions if d.applicable]
    total = sum(weights[d.key] for d in applicable)
    known = [d for d in applicable if d.score is not None]
    known_weight = sum(weights[d.key] for d in known)
    if not total or not known_weight:
        return rule["neutral"], 0.0, None
    mean = sum(weights[d.key] * (d.score or 0.0) for d in known) / known_weight
    coverage = known_weight / total
    trust = min(1.0, coverage / rule["full_trust_coverage"])
    return trust * mean + (1 - trust) * rule["neutral"], coverage, mean
