"""plan_build: requirements -> candidates from the search index -> evidence -> hard constraints -> soft scores ->
landed cost, risks, questions -> a ranked, explained PlanResult.

The ranking is arithmetic over the evidence: ads, payment and any text in a listing or request never enter it
(text only reaches the search engine's relevance, like any words). Ties break on score, then coverage, then
supplier id, so the same inputs always give the same order.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from sourcing.reference import destination_keys, rates_load
from sourcing.schema import Requirements
from suppliers import display

from . import advice
from .constraints import hard_constraint_list, hard_failures
from .dimensions import combine, dimension_definitions, evaluate
from .evidence import candidates_load, candidates_search, category_paths_load, reference_load, search_summary
from .facts import Candidate, Context, config, param
from .figures import price_quote
from .landed import landed_cost

Progress = Callable[[int, str], None]


@dataclass
class PlanResult:
    """The computed plan. `as_dict()` is what SourcingPlan.result stores and the page and API render."""

    status: str  # "ok" | "no_exact_match" (options are the nearest, with what they miss) | "no_candidates"
    query: dict
    hard_constraints: list[dict]
    dimensions: list[dict]
    options: list[dict]
    excluded: list[dict]
    excluded_total: int
    market_requirements: list[dict]
    risks: list[str]
    unknown: list[str]
    next_steps: list[str]
    summary: str
    reference: dict
    requirements: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "version": 1,
            "status": self.status,
            "requirements": self.requirements,
            "query": self.query,
            "hard_constraints": self.hard_constraints,
            "dimensions": self.dimensions,
            "options": self.options,
            "excluded": self.excluded,
            "excluded_total": self.excluded_total,
            "market_requirements": self.market_requirements,
            "risks": self.risks,
            "unknown": self.unknown,
            "next_steps": self.next_steps,
            "summary": self.summary,
            "reference": self.reference,
        }

    def option_rows(self) -> list[tuple[int, int | None, int, float]]:
        """(supplier id, product id, rank, score 0-100) per option, for PlanOption rows."""
        return [(o["supplier"]["id"], o["product"]["id"], o["rank"], o["score"]) for o in self.options]


def _noop(percent: int, note: str) -> None:
    return None


def _sort_key(option: advice.Scored) -> tuple:
    return (-round(option.score, 6), -round(option.coverage, 6), option.candidate.supplier.id)


def _option_dict(rank: int, option: advice.Scored, ctx: Context) -> dict:
    c, weights = option.candidate, config()["weights"]
    s, p = c.supplier, c.product
    quote = price_quote(p, ctx)
    return {
        "rank": rank,
        "score": round(option.score * 100, 1),
        "coverage": round(option.coverage, 3),
        "weighted_mean": None if option.mean is None else round(option.mean * 100, 1),
        "meets_hard_constraints": not option.failures,
        "misses": [f.as_dict() for f in option.failures],
        "supplier": {
            "id": s.id,
            "name": s.name,
            "slug": s.slug,
            "kind": s.kind,
            "country": s.country,
            "region": s.region,
            "verified": s.is_verified,
            "verification_level": s.verification_level,
            "order_protection": s.trade_assurance,
            # In words as of the plan (suppliers.display): shown under the supplier's name in the comparison.
            "response_summary": display.response_summary(s),
            "commitment_summary": display.commitment_summary(s),
            "commitment_state": display.commitment_state(s),
        },
        "product": {
            "id": p.id,
            "title": p.title,
            "moq": p.moq,
            "unit": p.unit,
            "currency": p.currency,
            "lead_time_days": p.lead_time_days,
            "unit_price_at_quantity": None if quote is None else str(quote.native),
            "unit_price_buyer_currency": None if quote is None or quote.buyer is None else str(quote.buyer),
            "buyer_currency": ctx.buyer_currency,
            "quantity_basis": None if quote is None else quote.quantity,
            "matching_products": c.matching_products,
        },
        "dimensions": [d.as_dict(weights[d.key]) for d in option.dimensions],
        "landed_cost": option.landed,
        "risks": option.risks,
        "questions": option.questions,
    }


def _market_requirements(ctx: Context, category_ids: set[int]) -> list[dict]:
    rows, seen = [], set()
    for category_id in sorted(category_ids):
        for rule in ctx.market_rules_for(category_id):
            key = (rule.destination, rule.category_slug, rule.certification)
            if key in seen:
                continue
            seen.add(key)
            rows.append(
                {
                    "destination": rule.destination,
                    "category_slug": rule.category_slug,
                    "certification": rule.certification,
                    "mandatory": rule.mandatory,
                    "source": rule.source,
                    "note": rule.note,
                }
            )
    return rows


def score_candidates(candidates: list[Candidate], ctx: Context) -> tuple[list[advice.Scored], list[advice.Scored]]:
    """(kept, excluded), each scored; the cohort figures (best text score, median price) are set on ctx first."""
    ctx.max_search_score = max((c.search_score for c in candidates), default=0.0)
    failures = {id(c): hard_failures(c, ctx) for c in candidates}
    cohort = [c for c in candidates if not failures[id(c)]] or candidates
    prices = [q.buyer for q in (price_quote(c.product, ctx) for c in cohort) if q is not None and q.buyer is not None]
    ctx.price_median = Decimal(statistics.median(prices)) if prices else None
    kept: list[advice.Scored] = []
    excluded: list[advice.Scored] = []
    for c in candidates:
        dims = evaluate(c, ctx)
        score, coverage, mean = combine(dims)
        scored = advice.Scored(c, dims, score, coverage, mean, failures=failures[id(c)])
        (excluded if scored.failures else kept).append(scored)
    kept.sort(key=_sort_key)
    # The nearest of the excluded: fewest broken constraints first, then the same order as the ranking.
    excluded.sort(key=lambda o: (len(o.failures), *_sort_key(o)))
    return kept, excluded


def plan_build(
    requirements: Requirements,
    *,
    buyer_country: str | None = None,
    progress: Progress | None = None,
    limit: int = 10,
    today: date | None = None,
) -> PlanResult:
    """Rank suppliers for `requirements`. `buyer_country` stands in for a missing destination (said so in
    "unknown"); `progress(percent, note)` is called at each stage. A bounded number of queries whatever the
    catalog size (see evidence.py)."""
    report = progress or _noop
    today = today or timezone.localdate()
    destination_source = "request"
    if not requirements.destination_country and buyer_country and len(buyer_country) == 2:
        requirements = requirements.model_copy(update={"destination_country": buyer_country.upper()})
        destination_source = "buyer_profile"
    keys = destination_keys(requirements.destination_country)

    report(5, _("Searching the catalog"))
    hits, search = candidates_search(requirements)
    report(35, _("Reading supplier evidence"))
    candidates = candidates_load(hits, today=today)
    search.suppliers_found = len(candidates)
    report(60, _("Loading reference data"))
    rates = rates_load()
    rules, freight, duty = reference_load(keys)
    ctx = Context(
        requirements=requirements,
        today=today,
        rates=rates,
        buyer_currency=requirements.currency or "USD",
        destination_keys=keys,
        category_paths=category_paths_load(),
        market_rules=rules,
        freight_rates=freight,
        duty_rates=duty,
    )

    report(70, _("Scoring %(n)s suppliers") % {"n": len(candidates)})
    kept, excluded = score_candidates(candidates, ctx)
    meets = bool(kept)
    shown = kept[:limit] if kept else excluded[: min(limit, param("nearest_when_empty"))]
    report(85, _("Estimating landed cost and risks"))
    for option in shown:
        option.landed = landed_cost(option.candidate, ctx)
        option.risks = advice.option_risks(option, ctx, shown)
        option.questions = advice.option_questions(option, ctx)

    category_ids = {c.product.category_id for c in candidates if c.product.category_id}
    searched = search_summary(search)
    status = "ok" if kept else "no_exact_match" if excluded else "no_candidates"
    plan_risks = advice.plan_risks(ctx, kept[:limit], len(excluded), search.relaxed)
    if status == "no_exact_match":
        plan_risks.insert(
            0, _("No supplier meets every hard requirement; the nearest options are shown with what they miss.")
        )
    elif status == "no_candidates":
        plan_risks.insert(0, _("The catalog has nothing matching this description."))
    query = search.as_dict() | {"description": searched, "candidates": len(candidates), "kept": len(kept)}
    result = PlanResult(
        status=status,
        requirements=requirements.model_dump(mode="json"),
        query=query,
        hard_constraints=hard_constraint_list(ctx, category_ids),
        dimensions=dimension_definitions(),
        options=[_option_dict(rank, option, ctx) for rank, option in enumerate(shown, start=1)],
        excluded=[
            {
                "supplier": {
                    "id": o.candidate.supplier.id,
                    "name": o.candidate.supplier.name,
                    "slug": o.candidate.supplier.slug,
                },
                "product": {"id": o.candidate.product.id, "title": o.candidate.product.title},
                "reasons": [f.as_dict() for f in o.failures],
            }
            for o in excluded[: param("excluded_cap")]
        ],
        excluded_total=len(excluded),
        market_requirements=_market_requirements(ctx, category_ids),
        risks=plan_risks,
        unknown=advice.unknown_requirements(ctx, destination_source),
        next_steps=advice.next_steps(ctx, shown, meets),
        summary=advice.summary(ctx, shown, meets, searched, len(excluded)),
        reference={
            "weights_version": config()["version"],
            "exchange_rates": {"as_of": rates.as_of.isoformat() if rates.as_of else None, "source": rates.source},
            "freight": sorted({f"{r.source} ({r.as_of.isoformat()})" for r in freight}),
            "duty": sorted({f"{r.source} ({r.as_of.isoformat()})" for r in duty}),
            "market_requirements": _("Certificate rules per destination and category, each citing its regulation."),
            "destination": {"country": requirements.destination_country, "keys": keys, "source": destination_source},
            "computed_on": today.isoformat(),
            "estimates": _("Landed costs are estimates from reference rates, never quotes."),
        },
    )
    report(100, _("Plan ready"))
    return result
