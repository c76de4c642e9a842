"""What the buyer should watch and ask: risks and questions per option, plan-level risks, the requirements we
could not check, next steps and the offline summary. Deterministic templates over the scored options; listing
and request text is only ever quoted, never interpreted."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suppliers import display

from .dimensions import factory_evidence
from .facts import Candidate, Context, Dimension, config, param
from .figures import cert_status, fmt_int, lead_time_at, order_quantity, price_quote

MAX_QUESTIONS = 6


@dataclass
class Scored:
    candidate: Candidate
    dimensions: list[Dimension]
    score: float
    coverage: float
    mean: float | None
    failures: list = field(default_factory=list)  # constraints.Failure
    landed: dict = field(default_factory=dict)
    risks: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)

    @property
    def by_key(self) -> dict[str, Dimension]:
        return {d.key: d for d in self.dimensions}

    def unit_price(self, ctx: Context) -> Decimal | None:
        quote = price_quote(self.candidate.product, ctx)
        return quote.buyer if quote else None


def option_risks(option: Scored, ctx: Context, others: list[Scored]) -> list[str]:
    c, dims, s = option.candidate, option.by_key, option.candidate.supplier
    risks = []
    kind = dims.get("supplier_kind")
    if s.kind != "trading_company" and kind and kind.score is not None and kind.score <= param("factory_no_evidence"):
        risks.append(_("Claims to be a factory but declares no capacity or factory area and is not verified on site."))
    for code in ctx.required_certs(c.product.category_id):
        status = cert_status(c, code, ctx.today)
        if status.held and status.cert is not None:
            days = (status.cert.valid_until - ctx.today).days
            if days <= param("cert_expiry_warning_days"):
                risks.append(
                    _("%(code)s certificate expires in %(n)s days (%(date)s).")
                    % {"code": code, "n": days, "date": status.cert.valid_until.isoformat()}
                )
        elif status.status == "unknown":
            risks.append(_("Lists no certificates: %(code)s is unconfirmed.") % {"code": code})
    if s.response_rate is not None and float(s.response_rate) < param("low_response_rate"):
        risks.append(_("Response rate %(r)s.") % {"r": f"{float(s.response_rate):.0f}%"})
    if s.commitment_kept is False:
        # "Commits to answer within 2 h, … — not kept lately: 41% of 22": a whole sentence already.
        risks.append(display.commitment_summary(s))
    if not s.rating_count and s.on_time_delivery_rate is None:
        risks.append(_("No orders on the platform yet."))
    if s.verification_level == "unverified":
        risks.append(_("Not verified by Silkway."))
    if not s.trade_assurance:
        risks.append(_("No Silkway order protection: agree payment terms that protect you."))
    lead_days, _source = lead_time_at(c.product, ctx)
    limit = ctx.requirements.max_lead_time_days
    if lead_days and limit and lead_days > limit:
        risks.append(_("Lead time %(d)s days is over your %(l)s days.") % {"d": lead_days, "l": limit})
    temperature = dims.get("operating_temperature")
    if temperature and temperature.score is not None and temperature.score < 1:
        risks.append(temperature.evidence)
    capacity = dims.get("capacity")
    if capacity and capacity.score is not None and capacity.score < 0.5:
        risks.append(_("Your order is large for the declared capacity: %(e)s") % {"e": capacity.evidence})
    samples = dims.get("samples")
    if samples and samples.applicable and samples.score == 0:
        risks.append(_("No samples offered."))
    mine = option.unit_price(ctx)
    prices = [p for p in (o.unit_price(ctx) for o in others if o is not option) if p is not None]
    if mine is not None and prices:
        nearest = min(prices)
        if nearest and mine < nearest * Decimal(1 - param("price_gap_risk")):
            risks.append(
                _(
                    "Price %(pct)s below the next option: ask what is different "
                    "(material, specification, what is included)."
                )
                % {"pct": f"{1 - float(mine / nearest):.0%}"}
            )
    return risks


def option_questions(option: Scored, ctx: Context) -> list[str]:
    c, dims, req = option.candidate, option.by_key, ctx.requirements
    quantity, stated = order_quantity(c.product, ctx)
    unit = req.quantity_unit or c.product.unit
    out = []
    price = dims.get("price")
    if price is not None and price.score is None:
        out.append(_("What is your unit price for %(q)s %(u)s?") % {"q": fmt_int(quantity), "u": unit})
    _days, source = lead_time_at(c.product, ctx)
    if stated and (source == "moq" and quantity > c.product.moq or dims["lead_time"].score is None):
        out.append(_("What is your lead time for %(q)s %(u)s?") % {"q": fmt_int(quantity), "u": unit})
    for code in ctx.required_certs(c.product.category_id):
        status = cert_status(c, code, ctx.today)
        if status.status in ("declared", "unknown"):
            out.append(_("Can you share the %(code)s certificate (number, issuer, scope)?") % {"code": code})
    if dims["capacity"].score is None and req.quantity:
        out.append(
            _("What is your monthly production capacity for %(cat)s?")
            % {"cat": ctx.category_name(c.product.category_id) or _("this product")}
        )
    temperature = dims["operating_temperature"]
    if temperature.applicable and temperature.score is None:
        out.append(_("What operating temperature range is this product rated for? %(e)s") % {"e": temperature.evidence})
    customization = dims["customization"]
    if customization.applicable and customization.score is not None and customization.score < 1:
        out.append(
            _("Can you do %(items)s on this product, and at what cost?") % {"items": ", ".join(req.customization)}
        )
    samples = dims["samples"]
    if samples.applicable and samples.score is not None and samples.score < 1:
        out.append(_("Can you send samples of this product, and at what cost?"))
    if c.supplier.kind != "trading_company" and not factory_evidence(c):
        out.append(_("Is this made in your own factory? Please share its address, area and a production video."))
    if ctx.destination and dims["export_destination"].score != 1.0:
        out.append(_("Have you shipped this product to %(d)s before?") % {"d": ctx.destination})
    if req.incoterm and req.incoterm != "FOB":
        place = f" {req.incoterm_place}" if req.incoterm_place else ""
        out.append(_("Can you quote %(term)s%(place)s?") % {"term": req.incoterm, "place": place})
    if req.payment_terms:
        out.append(_("Do you accept %(terms)s?") % {"terms": req.payment_terms})
    return out[:MAX_QUESTIONS]


def unknown_requirements(ctx: Context, destination_source: str) -> list[str]:
    req = ctx.requirements
    out = []
    if not req.product.strip():
        out.append(_("No product described: the catalog could not be searched."))
    if not req.quantity:
        out.append(
            _("No quantity: prices and lead times are read at each product's MOQ; MOQ and capacity are not checked.")
        )
    if not req.destination_country:
        out.append(_("No destination country: market certificates, freight and duty cannot be checked or estimated."))
    elif destination_source == "buyer_profile":
        out.append(
            _("Destination taken from your profile (%(c)s); change it if the goods go elsewhere.")
            % {"c": req.destination_country}
        )
    if not req.currency:
        out.append(_("No currency: amounts are in USD."))
    if not req.target_unit_price:
        out.append(_("No target price: prices are compared with each other."))
    if not req.max_lead_time_days:
        out.append(_("No deadline: lead times are compared with each other."))
    if not req.incoterm:
        out.append(_("No Incoterm: costs are estimated from FOB-like catalog prices."))
    out += [str(item) for item in req.unread]
    return out


def plan_risks(ctx: Context, options: list[Scored], excluded: int, search_relaxed: str) -> list[str]:
    out = []
    if options and len(options) < param("few_candidates"):
        out.append(
            ngettext(
                "Only %(n)s supplier meets your requirements: compare with care, and consider relaxing a requirement.",
                "Only %(n)s suppliers meet your requirements: compare with care, and consider relaxing a requirement.",
                len(options),
            )
            % {"n": len(options)}
        )
    if search_relaxed:
        out.append(_("The catalog search had to be relaxed to find candidates (%(how)s).") % {"how": search_relaxed})
    mandatory: dict[str, str] = {}
    for option in options:
        for code, rule in ctx.mandatory_certs(option.candidate.product.category_id).items():
            mandatory.setdefault(code, rule.source)
    for code, source in mandatory.items():
        holders = [o for o in options if cert_status(o.candidate, code, ctx.today).held]
        if options and not holders:
            out.append(
                _("No option shows a valid %(code)s certificate, mandatory in %(d)s (%(src)s).")
                % {"code": code, "d": ctx.destination, "src": source}
            )
    if options and all(o.candidate.supplier.verification_level == "unverified" for o in options):
        out.append(_("None of the options is verified by Silkway."))
    return out


def next_steps(ctx: Context, options: list[Scored], meets: bool) -> list[str]:
    out = []
    if not options:
        return [
            _("Broaden the request: a more general product name, a higher budget or fewer certificates."),
            _("Post an RFQ without choosing suppliers and let them come to you."),
        ]
    top = options[:3]
    names = ", ".join(o.candidate.supplier.name for o in top)
    if meets:
        out.append(_("Send an RFQ to the top %(n)s: %(names)s.") % {"n": len(top), "names": names})
    else:
        out.append(
            _("No supplier meets every requirement: ask the nearest ones (%(names)s) whether they can.")
            % {"names": names}
        )
    if ctx.requirements.samples_required or any(o.candidate.product.samples_available for o in top):
        out.append(_("Ask for samples before you order."))
    codes = sorted({code for o in top for code in ctx.required_certs(o.candidate.product.category_id)})
    if codes:
        out.append(
            _("Ask for copies of the certificates (%(codes)s) and check them with the issuer.")
            % {"codes": ", ".join(codes)}
        )
    if any(o.candidate.supplier.trade_assurance for o in top):
        out.append(_("Pay through Silkway order protection where it is offered."))
    if not ctx.requirements.destination_country:
        out.append(_("Add the destination country to check market certificates and estimate landed cost."))
    return out


def summary(ctx: Context, options: list[Scored], meets: bool, searched: str, excluded: int) -> str:
    """One deterministic paragraph naming the top option and why (the offline `summarize_plan`)."""
    if not options:
        return searched + " " + _("No supplier could be proposed.")
    weights = config()["weights"]
    top = options[0]
    c = top.candidate
    strengths = sorted(
        (d for d in top.dimensions if d.known and (d.score or 0) >= 0.7),
        key=lambda d: (-(weights[d.key] * (d.score or 0)), d.key),
    )[:3]
    # Translated labels as they are: lower-casing breaks languages that capitalise nouns (German).
    why = ", ".join(str(d.label) for d in strengths) or _("the overall balance")
    dims = top.by_key
    parts = [searched]
    if excluded:
        parts.append(
            ngettext(
                "%(n)s supplier was excluded by your hard requirements.",
                "%(n)s suppliers were excluded by your hard requirements.",
                excluded,
            )
            % {"n": excluded}
        )
    lead = (
        _(
            "The best fit is %(name)s (%(kind)s, %(region)s) with “%(title)s”: %(price)s, lead time %(lead)s, "
            "score %(score)s/100 on %(cov)s of the evidence. It is strongest on %(why)s."
        )
        if meets
        else _(
            "Nobody meets every requirement; the nearest is %(name)s (%(kind)s, %(region)s) with “%(title)s”: "
            "%(price)s, lead time %(lead)s, score %(score)s/100 on %(cov)s of the evidence. "
            "It is strongest on %(why)s."
        )
    )
    parts.append(
        lead
        % {
            "name": c.supplier.name,
            "kind": dims["supplier_kind"].value,
            "region": c.supplier.region or c.supplier.country,
            "title": c.product.title[:100],
            "price": dims["price"].value,
            "lead": dims["lead_time"].value,
            "score": f"{top.score * 100:.0f}",
            "cov": f"{top.coverage:.0%}",
            "why": why,
        }
    )
    if top.risks:
        parts.append(_("Watch: %(risk)s") % {"risk": top.risks[0]})
    if len(options) > 1:
        parts.append(
            _("Runner-up: %(name)s (score %(score)s).")
            % {"name": options[1].candidate.supplier.name, "score": f"{options[1].score * 100:.0f}"}
        )
    return " ".join(parts)
