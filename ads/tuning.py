"""Smart keyword tuning: pure Python (standard library only), no Django, so bench/ scripts can import it.

The nightly task, one per campaign, gathers the campaign's history into CampaignInputs and stores what tune()
returns as recommendations (the seller applies them, or auto-apply does). Pay per click, generalized second price:
a click is worth target cost per inquiry × the keyword's conversion rate, so that is what we bid, corrected by a
campaign-wide feedback multiplier λ (a second-price click costs less than the bid, and estimates drift) and a budget
pacing multiplier.

Rates are estimated hierarchically (keyword ← campaign ← category): a keyword with few clicks borrows the campaign's
typical rate, and a campaign with little data borrows its category's, so one lucky click never sets a bid.
"""

from __future__ import annotations

import math
import random
import statistics
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
# Below this many mature clicks a keyword's conversion rate is uncertain enough to explore (Thompson sampling).
THIN_DATA_CLICKS = 30
# A recommendation to stop spending needs this much evidence and this little hope (P(beat break-even) < 5%).
PAUSE_MIN_CLICKS = 15
NEGATIVE_MIN_CLICKS = 8
STOP_PROBABILITY = 0.05
HARVEST_MIN_CONVERSIONS = 2
EXPAND_MIN_SEARCHES = 3
EXPAND_MAX = 10
# Bid changes smaller than both of these are noise: not worth a seller's attention.
MIN_CHANGE = Decimal("0.01")
MIN_CHANGE_RATIO = Decimal("0.02")
# λ moves at most ×0.5..×1.5 a run and stays within 0.2..3 overall: one odd week cannot wreck the bids.
LAMBDA_STEP = (0.5, 1.5)
LAMBDA_RANGE = (0.2, 3.0)
LAMBDA_GAIN = 0.5
LAMBDA_CREDIBILITY = 10.0  # inquiries at which a realised cost per inquiry gets half the full correction
# Budget pacing: share of the daily budget spent on average that counts as budget-limited / well under budget.
BUDGET_LIMITED_SHARE = 0.95
BUDGET_CAPPED_SHARE = 0.99
UNDER_BUDGET_SHARE = 0.5
PACING_UP = 1.1
# The incomplete beta continued fraction converges in O(sqrt(max(a, b))) steps; this covers millions of trials.
BETACF_MAX_ITERATIONS = 10_000
BETACF_EPSILON = 3e-14
_TINY = 1e-300


# --- The regularized incomplete beta function (Numerical Recipes, 3rd ed., §6.4) ---------------------------------


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction for I_x(a, b) by the modified Lentz method."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, BETACF_MAX_ITERATIONS + 1):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < BETACF_EPSILON:
            break
    # Not converged within the cap only for absurd parameters: the last estimate is still the best one we have.
    return h


def betainc(x: float, a: float, b: float) -> float:
    """The regularized incomplete beta function I_x(a, b) = P(X ≤ x) for X ~ Beta(a, b)."""
    if a <= 0 or b <= 0:
        raise ValueError("betainc needs a > 0 and b > 0")
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    front = math.exp(log_front)
    # The continued fraction converges fast only on this side of the mean; use the symmetry I_x(a,b) = 1 - I_1-x(b,a).
    if x < (a + 1.0) / (a + b + 2.0):
        value = front * _betacf(a, b, x) / a
    else:
        value = 1.0 - front * _betacf(b, a, 1.0 - x) / b
    return min(1.0, max(0.0, value))


# --- Beliefs about rates --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BetaPrior:
    """A Beta(alpha, beta) belief about a rate (click-through or conversion): alpha ≈ successes, beta ≈ failures."""

    alpha: float
    beta: float

    def __post_init__(self) -> None:
        if not (self.alpha > 0 and self.beta > 0 and math.isfinite(self.alpha) and math.isfinite(self.beta)):
            raise ValueError(f"Beta parameters must be finite and positive, got ({self.alpha}, {self.beta})")

    @property
    def mean(self) -> float:
        return self.alpha / (self.alpha + self.beta)

    @property
    def strength(self) -> float:
        """How many observations the belief is worth (its pseudo-count)."""
        return self.alpha + self.beta

    @property
    def variance(self) -> float:
        n = self.alpha + self.beta
        return self.alpha * self.beta / (n * n * (n + 1.0))

    def posterior(self, successes: int | float, trials: int | float) -> BetaPrior:
        """The belief after `successes` out of `trials`; bad counts are clamped to 0 ≤ successes ≤ trials."""
        trials = max(0.0, float(trials))
        successes = min(max(0.0, float(successes)), trials)
        return BetaPrior(self.alpha + successes, self.beta + trials - successes)

    def sample(self, rng: random.Random) -> float:
        return rng.betavariate(self.alpha, self.beta)

    def prob_at_least(self, threshold: float) -> float:
        """P(rate ≥ threshold)."""
        if threshold <= 0.0:
            return 1.0
        if threshold >= 1.0:
            return 0.0
        return 1.0 - betainc(threshold, self.alpha, self.beta)

    def as_evidence(self) -> dict:
        return {"alpha": round(self.alpha, 4), "beta": round(self.beta, 4), "mean": round(self.mean, 6)}


def fit_prior(
    rates_and_trials: list[tuple[int, int]], *, fallback: BetaPrior, strength_cap: float = 200.0
) -> BetaPrior:
    """Empirical-Bayes (method of moments) Beta prior from children's (successes, trials); the fallback when
    there is too little data (fewer than 3 children with trials). Pseudo-count alpha+beta capped at strength_cap.

    The mean is the pooled rate with the fallback as pseudo-data, so a campaign with no successes yet still gets a
    positive rate (its category's, pulled down by its own failures). The spread is Kleinman's weighted moment
    estimator of the beta-binomial intra-class correlation ρ = 1 / (alpha + beta + 1): the spread of the children's
    rates beyond what binomial noise alone would give. No spread beyond noise means the children look alike: the
    strongest prior allowed. Bad counts are clamped (0 ≤ successes ≤ trials).
    """
    children = []
    for successes, trials in rates_and_trials:
        trials = max(0, int(trials))
        if trials > 0:
            children.append((min(max(0, int(successes)), trials), trials))
    if len(children) < 3:
        return fallback
    total_trials = sum(n for _, n in children)
    total_successes = sum(s for s, _ in children)
    mean = (total_successes + fallback.alpha) / (total_trials + fallback.strength)
    pooled = total_successes / total_trials
    spread = sum(n * (s / n - pooled) ** 2 for s, n in children)
    k = len(children)
    denominator = total_trials - sum(n * n for _, n in children) / total_trials - (k - 1)
    binomial = pooled * (1.0 - pooled)
    if denominator <= 0 or binomial <= 0:
        # Every child has a single trial, or no child has a success: the spread says nothing; keep the fallback's.
        strength = fallback.strength
    else:
        rho = (spread / binomial - (k - 1)) / denominator
        strength = strength_cap if rho <= 0 else 1.0 / rho - 1.0
    # At least 2 pseudo-observations so one click cannot swing a rate to 0 or 1, at most the cap so data wins.
    strength = min(max(strength, 2.0), strength_cap)
    return BetaPrior(mean * strength, (1.0 - mean) * strength)


# --- Inputs and outputs ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeywordHistory:
    keyword_id: int
    text: str
    language: str
    match_type: str  # "exact" | "phrase" | "broad"
    bid: Decimal  # current max CPC
    impressions: int
    clicks: int
    conversions: int  # inquiries attributed, only from clicks old enough (conversion-lag window excluded by the caller)
    mature_clicks: int  # clicks older than the conversion lag (denominator for CVR); <= clicks
    spend: Decimal
    paused: bool = False


@dataclass(frozen=True)
class SearchTermHistory:
    term: str  # normalized buyer query
    language: str
    keyword_id: int | None  # the keyword it triggered
    impressions: int
    clicks: int
    conversions: int
    spend: Decimal
    is_keyword: bool = False  # already an exact keyword of the campaign
    is_negative: bool = False  # already a negative keyword
    mature_clicks: int | None = None  # clicks old enough for their inquiries to be counted; None: all of them


@dataclass(frozen=True)
class CampaignInputs:
    campaign_id: int
    day: date  # the day tuned for (used in the deterministic seed)
    target_cpi: Decimal  # target cost per inquiry
    daily_budget: Decimal
    bid_floor: Decimal  # platform/seller minimum bid (reserve)
    bid_ceiling: Decimal  # seller maximum bid
    keywords: tuple[KeywordHistory, ...]
    search_terms: tuple[SearchTermHistory, ...] = ()
    expansion_candidates: tuple[tuple[str, str, int], ...] = ()  # (term, language, searches) not yet keywords
    category_ctr: BetaPrior = BetaPrior(1, 30)  # top of the hierarchy (category), fitted by the caller
    category_cvr: BetaPrior = BetaPrior(1, 20)
    lambda_prev: float = 1.0  # last run's pacing/feedback multiplier
    realised_cpi: Decimal | None = None  # cost per inquiry over the recent mature window (None: no inquiries yet)
    recent_spend: tuple[Decimal, ...] = ()  # last 7 days' spend, oldest first
    explore: bool = True  # Thompson sampling on thin data (False = posterior mean, for the bench baseline)
    max_daily_change: float = 0.30
    # The average λ in force while the clicks behind realised_cpi were bought. That window is at least the conversion
    # lag old, so λ_prev alone would keep correcting an error that earlier runs already corrected (and oscillate).
    # None: assume λ_prev (the plain rule).
    lambda_window: float | None = None
    # How many inquiries realised_cpi rests on. A cost per inquiry from 3 inquiries is mostly noise: the correction
    # is weighted by n / (n + 10) (credibility), so λ does not chase noise. None: full weight (the plain rule).
    realised_inquiries: int | None = None
    currency: str = ""  # only for the reason sentences ("USD 0.80"); empty: bare amounts

    def __post_init__(self) -> None:
        # Configuration errors are the caller's to fix: tuning against them would produce nonsense bids silently.
        if self.target_cpi <= 0:
            raise ValueError("target_cpi must be positive")
        if self.bid_floor < 0 or self.bid_ceiling < self.bid_floor:
            raise ValueError("need 0 <= bid_floor <= bid_ceiling")
        if not 0 < self.max_daily_change < 1:
            raise ValueError("max_daily_change must be between 0 and 1")


@dataclass(frozen=True)
class Recommendation:
    kind: str  # "raise_bid" | "lower_bid" | "pause" | "negative" | "harvest" | "expand"
    keyword_id: int | None
    text: str
    language: str
    current_bid: Decimal | None
    proposed_bid: Decimal | None
    reason: str  # one plain-English sentence a seller understands, with the numbers
    evidence: dict  # JSON-serialisable numbers behind it


@dataclass(frozen=True)
class TuningResult:
    recommendations: tuple[Recommendation, ...]
    lambda_next: float
    pacing: float  # budget pacing multiplier applied to bids
    ctr_prior: BetaPrior  # campaign-level priors actually used
    cvr_prior: BetaPrior


# --- Campaign-level multipliers -------------------------------------------------------------------------------------


def next_lambda(
    lambda_prev: float,
    target_cpi: Decimal,
    realised_cpi: Decimal | None,
    *,
    lambda_window: float | None = None,
    realised_inquiries: int | None = None,
    budget_limited: bool = False,
) -> float:
    """λ_next = λ · (target / realised)^0.5: realised cost per inquiry above target lowers every bid, below raises them.

    The square root halves each correction (in log terms) because the window it measures reacts with a lag. When
    the caller knows the λ that bought the window (lambda_window), the correction is applied to that λ and averaged
    with λ_prev: the same as the plain rule in steady state, but a delayed measurement is not corrected twice.
    A budget-limited campaign does not raise λ: its low cost per inquiry is the pacing's doing, and higher bids would
    only run the budget out sooner.
    """
    lam = max(LAMBDA_RANGE[0], min(LAMBDA_RANGE[1], float(lambda_prev)))
    if realised_cpi is None or realised_inquiries == 0:
        return lam
    gain = LAMBDA_GAIN
    if realised_inquiries is not None:
        gain *= realised_inquiries / (realised_inquiries + LAMBDA_CREDIBILITY)
    if realised_cpi <= 0:
        step = LAMBDA_STEP[1]  # inquiries that cost nothing: bid up as far as a run allows
    elif lambda_window is not None and lambda_window > 0:
        implied = float(lambda_window) * float(target_cpi) / float(realised_cpi)
        step = (implied / lam) ** gain
    else:
        step = (float(target_cpi) / float(realised_cpi)) ** gain
    step = max(LAMBDA_STEP[0], min(LAMBDA_STEP[1], step))
    if budget_limited:
        step = min(step, 1.0)
    return max(LAMBDA_RANGE[0], min(LAMBDA_RANGE[1], lam * step))


def budget_pacing(
    recent_spend: tuple[Decimal, ...], daily_budget: Decimal, realised_cpi: Decimal | None, target_cpi: Decimal
) -> float:
    """Budget-limited (average spend > 95% of budget): shade bids 5–15%, more the more days hit the cap, since when
    the budget runs out every day, cheaper clicks buy more inquiries with the same money. Well under budget (< 50%)
    and meeting the target: bid up to 10% more, there is room to buy more inquiries. Otherwise leave bids alone."""
    if not recent_spend or daily_budget <= 0:
        return 1.0
    budget = float(daily_budget)
    share = statistics.fmean(float(s) for s in recent_spend) / budget
    if share > BUDGET_LIMITED_SHARE:
        capped_days = sum(1 for s in recent_spend if float(s) >= BUDGET_CAPPED_SHARE * budget) / len(recent_spend)
        return round(0.95 - 0.10 * capped_days, 4)
    if share < UNDER_BUDGET_SHARE and realised_cpi is not None and realised_cpi <= target_cpi:
        return PACING_UP
    return 1.0


# --- Helpers --------------------------------------------------------------------------------------------------------


def _rng(inputs: CampaignInputs, key: str) -> random.Random:
    # A string seed is hashed with SHA-512 by random.Random: the same on every run and process (unlike hash()).
    return random.Random(f"{inputs.campaign_id}:{inputs.day.toordinal()}:{key}")


def _money(value: Decimal | float, currency: str) -> str:
    amount = Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)
    return f"{currency} {amount}" if currency else f"{amount}"


def _pct(rate: float) -> str:
    percent = 100.0 * rate
    if percent >= 10 or percent == 0:
        return f"{percent:.0f}%"
    if percent >= 1:
        return f"{percent:.1f}%"
    return f"{percent:.2f}%"


def _round(value: float) -> float:
    return round(float(value), 6)


@dataclass(frozen=True)
class _Counts:
    impressions: int
    clicks: int
    mature_clicks: int
    conversions: int
    spend: Decimal
    flags: tuple[str, ...]


def _clean_counts(impressions: int, clicks: int, mature_clicks: int, conversions: int, spend: Decimal) -> _Counts:
    """Clamp counts that cannot be true (tracking glitches, double-attributed inquiries) and say which were."""
    flags = []
    if min(impressions, clicks, mature_clicks, conversions) < 0 or spend < 0:
        flags.append("negative_count")
        impressions, clicks, mature_clicks, conversions = (
            max(0, impressions),
            max(0, clicks),
            max(0, mature_clicks),
            max(0, conversions),
        )
        spend = max(Decimal(0), spend)
    if clicks > impressions:
        flags.append("clicks_exceed_impressions")
        impressions = clicks
    if mature_clicks > clicks:
        flags.append("mature_clicks_exceed_clicks")
        mature_clicks = clicks
    if conversions > mature_clicks:
        flags.append("conversions_exceed_mature_clicks")
        conversions = mature_clicks
    return _Counts(impressions, clicks, mature_clicks, conversions, spend, tuple(flags))


@dataclass(frozen=True)
class _Bid:
    bid: Decimal
    raw: float
    cvr_used: float
    sampled: bool
    limited_by: str | None  # "max_daily_change" | "floor" | "ceiling" | None


def _compute_bid(
    cvr_posterior: BetaPrior,
    *,
    mature_clicks: int,
    reference_bid: Decimal | None,
    inputs: CampaignInputs,
    lam: float,
    pacing: float,
    seed_key: str,
) -> _Bid:
    # Thompson sampling on thin data: a plausible rate drawn from the posterior, so keywords we know little about
    # sometimes get a bid high enough to learn from; with enough clicks the posterior mean is precise enough.
    sampled = inputs.explore and mature_clicks < THIN_DATA_CLICKS
    cvr = cvr_posterior.mean
    if sampled:
        # Optimistic: a draw below the mean is replaced by the mean (optimistic Bayesian sampling). Thin posteriors
        # are skewed (most draws fall below the mean), and with the daily step limit plain draws drag bids down
        # until the keyword gets no clicks to learn from; exploring means trying higher bids, never lower ones.
        cvr = max(cvr, cvr_posterior.sample(_rng(inputs, seed_key)))
    raw = lam * float(inputs.target_cpi) * cvr * pacing
    value = raw
    limited_by = None
    # At most ±max_daily_change a day: the estimates behind a bid are noisy, and the seller should see steady bids.
    if reference_bid is not None and reference_bid > 0:
        low = float(reference_bid) * (1.0 - inputs.max_daily_change)
        high = float(reference_bid) * (1.0 + inputs.max_daily_change)
        if value < low or value > high:
            value = min(max(value, low), high)
            limited_by = "max_daily_change"
    bid = Decimal(repr(value)).quantize(CENT, ROUND_HALF_UP)
    # Then the seller's limits, which win over the daily clamp: a bid below the floor cannot show at all, so it rises
    # to the floor in one step, and the ceiling is the seller's promise to themselves.
    floor = inputs.bid_floor.quantize(CENT, ROUND_CEILING)
    ceiling = inputs.bid_ceiling.quantize(CENT, ROUND_FLOOR)
    if bid > ceiling:
        bid, limited_by = ceiling, "ceiling"
    if bid < floor:
        bid, limited_by = floor, "floor"
    return _Bid(bid, raw, cvr, sampled, limited_by)


def _limit_note(limited_by: str | None, inputs: CampaignInputs) -> str:
    if limited_by == "max_daily_change":
        return f" (a step of at most {inputs.max_daily_change:.0%} a day)"
    if limited_by == "floor":
        return " (your lowest bid)"
    if limited_by == "ceiling":
        return " (your highest bid)"
    return ""


def _sort_key(rec: Recommendation) -> tuple:
    return (rec.kind, rec.text, rec.language, -1 if rec.keyword_id is None else rec.keyword_id)


# --- Tuning ---------------------------------------------------------------------------------------------------------


def tune(inputs: CampaignInputs) -> TuningResult:
    target = float(inputs.target_cpi)
    cur = inputs.currency
    target_text = _money(inputs.target_cpi, cur)
    # Hierarchical smoothing: the campaign's priors are fitted from its own keywords, falling back to the category's
    # when it has fewer than 3 keywords with data. Paused keywords count: their history still describes the campaign.
    ctr_prior = fit_prior([(k.clicks, k.impressions) for k in inputs.keywords], fallback=inputs.category_ctr)
    cvr_prior = fit_prior([(k.conversions, k.mature_clicks) for k in inputs.keywords], fallback=inputs.category_cvr)

    pacing = budget_pacing(inputs.recent_spend, inputs.daily_budget, inputs.realised_cpi, inputs.target_cpi)
    # λ is updated first and used for today's bids: the latest feedback should act now, not tomorrow.
    lam = next_lambda(
        inputs.lambda_prev,
        inputs.target_cpi,
        inputs.realised_cpi,
        lambda_window=inputs.lambda_window,
        realised_inquiries=inputs.realised_inquiries,
        budget_limited=pacing < 1.0,
    )
    common = {"lambda": _round(lam), "pacing": _round(pacing), "target_cpi": target}

    recommendations: list[Recommendation] = []
    active_bids: list[Decimal] = []
    keyword_bids: dict[int, Decimal] = {}
    exact_texts: set[tuple[str, str]] = set()
    keyword_texts: set[tuple[str, str]] = set()
    for kw in inputs.keywords:
        keyword_texts.add((kw.text.casefold(), kw.language))
        keyword_bids[kw.keyword_id] = kw.bid
        if kw.match_type == "exact":
            exact_texts.add((kw.text.casefold(), kw.language))
        if not kw.paused:
            active_bids.append(kw.bid)

    for kw in inputs.keywords:
        if kw.paused:
            continue  # the seller stopped it: no bid advice, and no second "pause"
        counts = _clean_counts(kw.impressions, kw.clicks, kw.mature_clicks, kw.conversions, kw.spend)
        ctr_post = ctr_prior.posterior(counts.clicks, counts.impressions)
        cvr_post = cvr_prior.posterior(counts.conversions, counts.mature_clicks)
        evidence = {
            "impressions": counts.impressions,
            "clicks": counts.clicks,
            "mature_clicks": counts.mature_clicks,
            "conversions": counts.conversions,
            "spend": float(counts.spend),
            "ctr_posterior_mean": _round(ctr_post.mean),
            "cvr_posterior_mean": _round(cvr_post.mean),
            "cvr_posterior": cvr_post.as_evidence(),
            **common,
        }
        if counts.flags:
            evidence["data_flags"] = list(counts.flags)

        # Pause: at the price its clicks actually cost, the keyword needs a conversion rate of CPC / target to meet
        # the target; with enough clicks and under 5% chance of that, more bidding only buys more evidence of failure.
        if counts.clicks > 0 and counts.mature_clicks >= PAUSE_MIN_CLICKS:
            avg_cpc = float(counts.spend) / counts.clicks
            break_even = avg_cpc / target
            probability = cvr_post.prob_at_least(break_even)
            if probability < STOP_PROBABILITY:
                recommendations.append(
                    Recommendation(
                        kind="pause",
                        keyword_id=kw.keyword_id,
                        text=kw.text,
                        language=kw.language,
                        current_bid=kw.bid,
                        proposed_bid=None,
                        reason=(
                            f"Pause \u201c{kw.text}\u201d: {counts.mature_clicks} clicks brought {counts.conversions} "
                            f"inquiries at {_money(avg_cpc, cur)} a click, and there is only a {_pct(probability)} "
                            f"chance it converts the {_pct(break_even)} of clicks needed to meet your target of "
                            f"{target_text} per inquiry."
                        ),
                        evidence={
                            **evidence,
                            "avg_cpc": _round(avg_cpc),
                            "break_even_cvr": _round(break_even),
                            "probability_beats_break_even": _round(probability),
                        },
                    )
                )
                continue

        # Bid = λ · target cost per inquiry · conversion rate · pacing: what a click is worth at the target.
        result = _compute_bid(
            cvr_post,
            mature_clicks=counts.mature_clicks,
            reference_bid=kw.bid,
            inputs=inputs,
            lam=lam,
            pacing=pacing,
            seed_key=f"keyword:{kw.keyword_id}",
        )
        change = result.bid - kw.bid
        # Only changes worth acting on: at least a cent and at least 2% of the current bid.
        if abs(change) < MIN_CHANGE or (kw.bid > 0 and abs(change) < MIN_CHANGE_RATIO * kw.bid):
            continue
        kind = "raise_bid" if change > 0 else "lower_bid"
        rate_text = (
            f"a sampled plausible conversion rate of {_pct(result.cvr_used)} (estimate {_pct(cvr_post.mean)}, "
            f"few clicks yet)"
            if result.sampled
            else f"an estimated conversion rate of {_pct(result.cvr_used)}"
        )
        recommendations.append(
            Recommendation(
                kind=kind,
                keyword_id=kw.keyword_id,
                text=kw.text,
                language=kw.language,
                current_bid=kw.bid,
                proposed_bid=result.bid,
                reason=(
                    f"{'Raise' if change > 0 else 'Lower'} the bid on \u201c{kw.text}\u201d from "
                    f"{_money(kw.bid, cur)} to {_money(result.bid, cur)}{_limit_note(result.limited_by, inputs)}: "
                    f"{counts.mature_clicks} clicks and {counts.conversions} inquiries give {rate_text}, so a click "
                    f"is worth about {_money(result.raw, cur)} at your target of {target_text} per inquiry."
                ),
                evidence={
                    **evidence,
                    "cvr_used": _round(result.cvr_used),
                    "sampled": result.sampled,
                    "raw_bid": _round(result.raw),
                    "limited_by": result.limited_by,
                },
            )
        )

    negatives_and_harvests: set[tuple[str, str]] = set()
    for st in inputs.search_terms:
        if st.is_negative:
            continue
        mature = st.clicks if st.mature_clicks is None else st.mature_clicks
        counts = _clean_counts(st.impressions, st.clicks, mature, st.conversions, st.spend)
        # A search term is a child of the campaign like a keyword: its rate shrinks toward the campaign's. (The
        # keyword's own posterior already contains the term's clicks, so using it would count them twice.)
        cvr_post = cvr_prior.posterior(counts.conversions, counts.mature_clicks)
        key = (st.term.casefold(), st.language)
        evidence = {
            "impressions": counts.impressions,
            "clicks": counts.clicks,
            "mature_clicks": counts.mature_clicks,
            "conversions": counts.conversions,
            "spend": float(counts.spend),
            "cvr_posterior_mean": _round(cvr_post.mean),
            "cvr_posterior": cvr_post.as_evidence(),
            "triggered_by_keyword_id": st.keyword_id,
            **common,
        }
        if counts.flags:
            evidence["data_flags"] = list(counts.flags)

        # Negative: a buyer query that keeps costing clicks and never converts, with under 5% chance of beating the
        # break-even rate; excluding just that query keeps the keyword's good traffic.
        if (
            not st.is_keyword
            and counts.conversions == 0
            and counts.clicks >= NEGATIVE_MIN_CLICKS
            and counts.mature_clicks >= NEGATIVE_MIN_CLICKS
        ):
            avg_cpc = float(counts.spend) / counts.clicks
            break_even = avg_cpc / target
            probability = cvr_post.prob_at_least(break_even)
            if probability < STOP_PROBABILITY and key not in negatives_and_harvests:
                negatives_and_harvests.add(key)
                recommendations.append(
                    Recommendation(
                        kind="negative",
                        keyword_id=st.keyword_id,
                        text=st.term,
                        language=st.language,
                        current_bid=None,
                        proposed_bid=None,
                        reason=(
                            f"Exclude the search \u201c{st.term}\u201d: {counts.clicks} clicks, 0 inquiries, "
                            f"{_pct(probability)} chance of beating your target cost per inquiry of {target_text}."
                        ),
                        evidence={
                            **evidence,
                            "avg_cpc": _round(avg_cpc),
                            "break_even_cvr": _round(break_even),
                            "probability_beats_break_even": _round(probability),
                        },
                    )
                )
                continue

        # Harvest: a query that already brought inquiries deserves its own exact keyword, with a bid set from its own
        # record rather than the broad keyword's average.
        if (
            not st.is_keyword
            and key not in exact_texts
            and key not in negatives_and_harvests
            and counts.conversions >= HARVEST_MIN_CONVERSIONS
        ):
            negatives_and_harvests.add(key)
            reference = keyword_bids.get(st.keyword_id) if st.keyword_id is not None else None
            if reference is None and active_bids:
                reference = _median_bid(active_bids)
            result = _compute_bid(
                cvr_post,
                mature_clicks=counts.mature_clicks,
                reference_bid=reference,
                inputs=inputs,
                lam=lam,
                pacing=pacing,
                seed_key=f"term:{st.language}:{st.term}",
            )
            recommendations.append(
                Recommendation(
                    kind="harvest",
                    keyword_id=st.keyword_id,
                    text=st.term,
                    language=st.language,
                    current_bid=None,
                    proposed_bid=result.bid,
                    reason=(
                        f"Add \u201c{st.term}\u201d as an exact keyword at {_money(result.bid, cur)}"
                        f"{_limit_note(result.limited_by, inputs)}: buyers who searched it sent {counts.conversions} "
                        f"inquiries from {counts.clicks} clicks."
                    ),
                    evidence={
                        **evidence,
                        "cvr_used": _round(result.cvr_used),
                        "sampled": result.sampled,
                        "raw_bid": _round(result.raw),
                        "limited_by": result.limited_by,
                        "reference_bid": None if reference is None else float(reference),
                    },
                )
            )

    # Expansion: frequent queries in the search log that no keyword covers yet, as broad keywords at the campaign's
    # median bid (a typical bid; their own data will move it). Most-searched first, ties by text for determinism.
    median = _median_bid(active_bids) if active_bids else inputs.bid_floor
    floor = inputs.bid_floor.quantize(CENT, ROUND_CEILING)
    ceiling = inputs.bid_ceiling.quantize(CENT, ROUND_FLOOR)
    expand_bid = max(min(median.quantize(CENT, ROUND_HALF_UP), ceiling), floor)
    seen = set(keyword_texts) | negatives_and_harvests
    seen |= {(st.term.casefold(), st.language) for st in inputs.search_terms if st.is_negative or st.is_keyword}
    candidates = sorted(
        (c for c in inputs.expansion_candidates if c[2] >= EXPAND_MIN_SEARCHES),
        key=lambda c: (-c[2], c[0], c[1]),
    )
    expanded = 0
    for term, language, searches in candidates:
        key = (term.casefold(), language)
        if key in seen or expanded >= EXPAND_MAX:
            continue
        seen.add(key)
        expanded += 1
        recommendations.append(
            Recommendation(
                kind="expand",
                keyword_id=None,
                text=term,
                language=language,
                current_bid=None,
                proposed_bid=expand_bid,
                reason=(
                    f"Add \u201c{term}\u201d as a broad keyword at {_money(expand_bid, cur)}, your typical bid: "
                    f"buyers searched it {searches} times and none of your keywords covers it."
                ),
                evidence={"searches": searches, "median_bid": float(median), **common},
            )
        )

    return TuningResult(
        recommendations=tuple(sorted(recommendations, key=_sort_key)),
        lambda_next=lam,
        pacing=pacing,
        ctr_prior=ctr_prior,
        cvr_prior=cvr_prior,
    )


def _median_bid(bids: list[Decimal]) -> Decimal:
    return Decimal(statistics.median(bids))
