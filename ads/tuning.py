"""Smart keyword tuning: pure Python (standard library only), no Django, so bench/ scripts can import it.

The nightly task, one per campaign, gathers the campaign's history into CampaignInputs and stores what tune()
returns as recommendations (the seller applies them, or auto-apply does). Pay per click, generalized second price:
a click is worth target cost per inquiry × the keyword's conversion rate, so that is what we bid, corrected by a
campaign-wide feedback multiplier λ (a second-price click costs less than the bid, and estimates drift) and a budget
pacing multiplier.

Rates are estimated hierarchically (keyword ← campaign ← category): a keyword with few clicks borrows the campaign's
typical rate, and a campaign with little data borrows its category's, so one lucky click never sets a bid.

What the caller computes (bench/ads_simulation.py does the same): conversions credited to the day of their click,
counted only for clicks older than the conversion lag, with those clicks as mature_clicks (keywords and search
terms alike); search terms as one row per (term, keyword it triggered); realised_cpi over a recent window of mature
days (7 in the bench) with realised_inquiries (its inquiry count) and lambda_window (the mean λ in force on those
days); lambda_prev = the last run's lambda_next, or initial_lambda() on a campaign's first run.
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
# fit_prior estimates the spread between children only from at least this many successes (and failures).
MIN_SPREAD_EVENTS = 5
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
BUDGET_CAPPED_DAYS = 0.5
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
        return min(1.0, max(0.0, front * _betacf(a, b, x) / a))
    return min(1.0, max(0.0, 1.0 - front * _betacf(b, a, 1.0 - x) / b))


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
    strongest prior allowed; fewer than MIN_SPREAD_EVENTS successes (or failures) in all cannot show a spread, and
    the fallback's strength is kept. Bad counts are clamped (0 ≤ successes ≤ trials).
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
    if denominator <= 0 or binomial <= 0 or min(total_successes, total_trials - total_successes) < MIN_SPREAD_EVENTS:
        # Every child has a single trial, or a handful of successes (or failures) in all: how they happen to fall
        # among the children says nothing reliable about the spread; keep the fallback's.
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


def initial_lambda(
    bids: list[Decimal], target_cpi: Decimal, cvr_prior: BetaPrior, *, typical_cvr: float | None = None
) -> float:
    """λ for a campaign's first run, before any inquiry: the one that keeps the seller's typical (median) bid as it is.

    With no feedback yet, the seller's bid level (often the platform's suggested bid) is the best evidence of what
    clicks cost in this market, and a second-price click costs less than the bid, so λ = 1 would start every bid too
    low. The tuner then only redistributes bids between keywords until realised cost per inquiry moves λ.
    """
    positive = [b for b in bids if b > 0]
    if not positive or target_cpi <= 0:
        return 1.0
    # With history, the typical keyword's rate (the median of their estimates): the prior's mean is pulled down by
    # keywords that never convert, and every converting keyword would then look better than typical and be raised.
    rate = typical_cvr if typical_cvr is not None and typical_cvr > 0 else cvr_prior.mean
    lam = float(statistics.median(positive)) / (float(target_cpi) * rate)
    return max(LAMBDA_RANGE[0], min(LAMBDA_RANGE[1], lam))


def budget_pacing(
    recent_spend: tuple[Decimal, ...], daily_budget: Decimal, realised_cpi: Decimal | None, target_cpi: Decimal
) -> float:
    """Budget-limited (average spend > 95% of budget, or the budget ran out on at least half of the recent days):
    shade bids 5–15%, more the more days hit the cap, since when the budget runs out, cheaper clicks buy more
    inquiries with the same money. (Counting capped days catches the campaign that runs out every weekday but not at
    weekends, whose average stays under 95%.) Well under budget (< 50%) and meeting the target: bid up to 10% more,
    there is room to buy more inquiries. Otherwise leave bids alone."""
    if not recent_spend or daily_budget <= 0:
        return 1.0
    budget = float(daily_budget)
    share = statistics.fmean(float(s) for s in recent_spend) / budget
    capped_days = sum(1 for s in recent_spend if float(s) >= BUDGET_CAPPED_SHARE * budget) / len(recent_spend)
    if share > BUDGET_LIMITED_SHARE or capped_days >= BUDGET_CAPPED_DAYS:
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


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def _round(value: float) -> float:
    return round(float(value), 6)


@dataclass(frozen=True)
class _Counts:
    impressions: int = 0
    clicks: int = 0
    mature_clicks: int = 0
    conversions: int = 0
    spend: Decimal = Decimal(0)
    flags: tuple[str, ...] = ()

    def plus(self, other: _Counts) -> _Counts:
        return _Counts(
            self.impressions + other.impressions,
            self.clicks + other.clicks,
            self.mature_clicks + other.mature_clicks,
            self.conversions + other.conversions,
            self.spend + other.spend,
            tuple(dict.fromkeys(self.flags + other.flags)),
        )

    def minus(self, other: _Counts) -> _Counts:
        # Re-cleaned: subtracting rows recorded separately can leave small inconsistencies, never negative counts.
        result = _clean_counts(
            self.impressions - other.impressions,
            self.clicks - other.clicks,
            self.mature_clicks - other.mature_clicks,
            self.conversions - other.conversions,
            self.spend - other.spend,
        )
        return _Counts(
            result.impressions,
            result.clicks,
            result.mature_clicks,
            result.conversions,
            result.spend,
            tuple(dict.fromkeys(self.flags + other.flags + result.flags)),
        )

    @property
    def avg_cpc(self) -> float:
        return float(self.spend) / self.clicks if self.clicks else 0.0

    def as_evidence(self) -> dict:
        evidence = {
            "impressions": self.impressions,
            "clicks": self.clicks,
            "mature_clicks": self.mature_clicks,
            "conversions": self.conversions,
            "spend": float(self.spend),
        }
        if self.flags:
            evidence["data_flags"] = list(self.flags)
        return evidence


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


@dataclass
class _Query:
    """One buyer query (term, language) summed over the keywords it triggered."""

    term: str
    language: str
    counts: _Counts
    keyword_clicks: dict[int, int]  # clicks by triggering keyword
    is_keyword: bool
    is_negative: bool

    @property
    def main_keyword_id(self) -> int | None:
        if not self.keyword_clicks:
            return None
        return min(self.keyword_clicks, key=lambda kid: (-self.keyword_clicks[kid], kid))


def _key(text: str, language: str) -> tuple[str, str]:
    return (text.casefold(), language)


def _histories(inputs: CampaignInputs) -> tuple[dict[int, _Counts], dict[int, dict], dict[tuple[str, str], _Query]]:
    """The history each keyword's estimates should rest on, and the search terms summed by query.

    A keyword's bid is for the traffic it will get: search terms that are now negative, or that moved to an exact
    keyword of their own (another keyword of the inputs), no longer reach it, so their rows (recorded under the
    keyword) are taken out of its history (a keyword whose junk query was excluded is worth more than its raw record
    says). An exact keyword's traffic is its one query, so when that query's whole history (under every keyword it
    triggered, including the broad keyword it was harvested from) says more than the keyword's own, the query's
    history is used: a freshly harvested keyword keeps the record that earned it its place.
    """
    by_id = {kw.keyword_id: kw for kw in inputs.keywords}
    exact_keys = {_key(kw.text, kw.language) for kw in inputs.keywords if kw.match_type == "exact"}
    queries: dict[tuple[str, str], _Query] = {}
    removed: dict[int, _Counts] = {}
    for st in inputs.search_terms:
        mature = st.clicks if st.mature_clicks is None else st.mature_clicks
        row = _clean_counts(st.impressions, st.clicks, mature, st.conversions, st.spend)
        key = _key(st.term, st.language)
        query = queries.get(key)
        if query is None:
            query = queries[key] = _Query(st.term, st.language, _Counts(), {}, False, False)
        query.counts = query.counts.plus(row)
        query.is_keyword |= st.is_keyword
        query.is_negative |= st.is_negative
        if st.keyword_id is not None:
            query.keyword_clicks[st.keyword_id] = query.keyword_clicks.get(st.keyword_id, 0) + row.clicks
            owner = by_id.get(st.keyword_id)
            own_text = owner is not None and _key(owner.text, owner.language) == key
            # Gone from this keyword: excluded, or now matched by an exact keyword of its own (not this one).
            if st.is_negative or (key in exact_keys and not own_text):
                removed[st.keyword_id] = removed.get(st.keyword_id, _Counts()).plus(row)

    histories: dict[int, _Counts] = {}
    notes: dict[int, dict] = {}
    for kw in inputs.keywords:
        counts = _clean_counts(kw.impressions, kw.clicks, kw.mature_clicks, kw.conversions, kw.spend)
        note: dict = {}
        if kw.keyword_id in removed:
            taken = removed[kw.keyword_id]
            counts = counts.minus(taken)
            note["excluded_search_term_clicks"] = taken.clicks
        query = queries.get(_key(kw.text, kw.language))
        if kw.match_type == "exact" and query is not None and query.counts.mature_clicks > counts.mature_clicks:
            counts = query.counts
            note["history_from_search_term"] = True
        histories[kw.keyword_id] = counts
        notes[kw.keyword_id] = note
    return histories, notes, queries


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
    explore: bool,
) -> _Bid:
    # Thompson sampling on thin data: a plausible rate drawn from the posterior, so keywords we know little about
    # sometimes get a bid high enough to learn from; with enough clicks the posterior mean is precise enough.
    sampled = explore and mature_clicks < THIN_DATA_CLICKS
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


def _multiplier_note(multiplier: float) -> str:
    """Why the worth of a click is not simply target × rate: the campaign-wide multiplier (λ from the realised cost
    per inquiry and the seller's bid level, times budget pacing), said when it matters."""
    if abs(multiplier - 1.0) < 0.05:
        return ""
    return (
        f" (target × rate × {multiplier:.2f}: the campaign-wide adjustment that keeps its realised cost per inquiry "
        f"on target — a click bought at second price costs less than the bid)"
    )


def _limit_note(limited_by: str | None, inputs: CampaignInputs) -> str:
    if limited_by == "max_daily_change":
        return f" (a step of at most {inputs.max_daily_change:.0%} a day)"
    if limited_by == "floor":
        return " (your lowest bid)"
    if limited_by == "ceiling":
        return " (your highest bid)"
    return ""


def _stop_probability(counts: _Counts, break_even: float, *priors: BetaPrior) -> float:
    """P(conversion rate ≥ break-even) for a stop decision (pause, negative): the highest of the posteriors from each
    prior. Stopping is hard to undo (a paused keyword gathers no evidence that it was wrong), and the campaign's
    prior rests on little data in its first weeks: stop only when the record looks hopeless against the campaign's
    typical keyword and against the category's alike."""
    return max(prior.posterior(counts.conversions, counts.mature_clicks).prob_at_least(break_even) for prior in priors)


def _sort_key(rec: Recommendation) -> tuple:
    return (rec.kind, rec.text, rec.language, -1 if rec.keyword_id is None else rec.keyword_id)


# --- Tuning ---------------------------------------------------------------------------------------------------------


def tune(inputs: CampaignInputs) -> TuningResult:
    target = float(inputs.target_cpi)
    cur = inputs.currency
    target_text = _money(inputs.target_cpi, cur)
    histories, notes, queries = _histories(inputs)
    # Hierarchical smoothing: the campaign's priors are fitted from its own keywords, falling back to the category's
    # when it has fewer than 3 keywords with data. Paused keywords count: their history still describes the campaign.
    ctr_prior = fit_prior([(h.clicks, h.impressions) for h in histories.values()], fallback=inputs.category_ctr)
    cvr_prior = fit_prior([(h.conversions, h.mature_clicks) for h in histories.values()], fallback=inputs.category_cvr)

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
    active_bids = [kw.bid for kw in inputs.keywords if not kw.paused]
    # The bid each keyword will have after this run (its current one when unchanged, None when paused).
    next_bids: dict[int, Decimal | None] = {kw.keyword_id: None if kw.paused else kw.bid for kw in inputs.keywords}
    for kw in inputs.keywords:
        if kw.paused:
            continue  # the seller stopped it: no bid advice, and no second "pause"
        counts = histories[kw.keyword_id]
        ctr_post = ctr_prior.posterior(counts.clicks, counts.impressions)
        cvr_post = cvr_prior.posterior(counts.conversions, counts.mature_clicks)
        evidence = {
            **counts.as_evidence(),
            **notes[kw.keyword_id],
            "ctr_posterior_mean": _round(ctr_post.mean),
            "cvr_posterior_mean": _round(cvr_post.mean),
            "cvr_posterior": cvr_post.as_evidence(),
            **common,
        }
        # Bid = λ · target cost per inquiry · conversion rate · pacing: what a click is worth at the target.
        result = _compute_bid(
            cvr_post,
            mature_clicks=counts.mature_clicks,
            reference_bid=kw.bid,
            inputs=inputs,
            lam=lam,
            pacing=pacing,
            seed_key=f"keyword:{kw.keyword_id}",
            explore=inputs.explore,
        )

        # Pause: the keyword needs a conversion rate of CPC / target to meet the target. The CPC is what its clicks
        # have cost, or the bid we would set if that is lower (a click never costs more than the bid): a keyword
        # that was only bad at its old, higher bid gets a lower bid, not a pause. With enough clicks and under 5%
        # chance of even that rate, more bidding only buys more evidence of failure.
        if counts.clicks > 0 and counts.mature_clicks >= PAUSE_MIN_CLICKS:
            # The posterior-mean bid, not an exploring draw: a stop decision should not depend on a random number.
            mean_bid = (
                result.bid
                if not result.sampled
                else _compute_bid(
                    cvr_post,
                    mature_clicks=counts.mature_clicks,
                    reference_bid=kw.bid,
                    inputs=inputs,
                    lam=lam,
                    pacing=pacing,
                    seed_key="",
                    explore=False,
                ).bid
            )
            cpc = min(counts.avg_cpc, float(mean_bid))
            break_even = cpc / target
            probability = _stop_probability(counts, break_even, cvr_prior, inputs.category_cvr)
            if probability < STOP_PROBABILITY:
                next_bids[kw.keyword_id] = None
                recommendations.append(
                    Recommendation(
                        kind="pause",
                        keyword_id=kw.keyword_id,
                        text=kw.text,
                        language=kw.language,
                        current_bid=kw.bid,
                        proposed_bid=None,
                        reason=(
                            f"Pause \u201c{kw.text}\u201d: {_count(counts.mature_clicks, 'click')} brought "
                            f"{_count(counts.conversions, 'inquiry', 'inquiries')}, and even at "
                            f"{_money(cpc, cur)} a click there is only a {_pct(probability)} chance it converts the "
                            f"{_pct(break_even)} of clicks needed to meet your target of {target_text} per inquiry."
                        ),
                        evidence={
                            **evidence,
                            "avg_cpc": _round(counts.avg_cpc),
                            "break_even_cpc": _round(cpc),
                            "break_even_cvr": _round(break_even),
                            "probability_beats_break_even": _round(probability),
                        },
                    )
                )
                continue

        change = result.bid - kw.bid
        # Only changes worth acting on: at least a cent and at least 2% of the current bid.
        if abs(change) < MIN_CHANGE or (kw.bid > 0 and abs(change) < MIN_CHANGE_RATIO * kw.bid):
            continue
        next_bids[kw.keyword_id] = result.bid
        rate_text = (
            f"a plausible conversion rate of {_pct(result.cvr_used)} (estimate {_pct(cvr_post.mean)}; with few "
            f"clicks yet, we try the higher end to learn)"
            if result.sampled and result.cvr_used > cvr_post.mean
            else f"an estimated conversion rate of {_pct(result.cvr_used)}"
        )
        recommendations.append(
            Recommendation(
                kind="raise_bid" if change > 0 else "lower_bid",
                keyword_id=kw.keyword_id,
                text=kw.text,
                language=kw.language,
                current_bid=kw.bid,
                proposed_bid=result.bid,
                reason=(
                    f"{'Raise' if change > 0 else 'Lower'} the bid on \u201c{kw.text}\u201d from "
                    f"{_money(kw.bid, cur)} to {_money(result.bid, cur)}{_limit_note(result.limited_by, inputs)}: "
                    f"{_count(counts.mature_clicks, 'click')} and {_count(counts.conversions, 'inquiry', 'inquiries')} "
                    f"give {rate_text}, so a click is worth about {_money(result.raw, cur)} at your target of "
                    f"{target_text} per inquiry{_multiplier_note(lam * pacing)}."
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

    exact_keys = {_key(kw.text, kw.language) for kw in inputs.keywords if kw.match_type == "exact"}
    for key in sorted(queries):
        query = queries[key]
        if query.is_negative:
            continue
        counts = query.counts
        # A search term is a child of the campaign like a keyword: its rate shrinks toward the campaign's. (The
        # keyword's own posterior already contains the term's clicks, so using it would count them twice.)
        cvr_post = cvr_prior.posterior(counts.conversions, counts.mature_clicks)
        keyword_id = query.main_keyword_id
        evidence = {
            **counts.as_evidence(),
            "cvr_posterior_mean": _round(cvr_post.mean),
            "cvr_posterior": cvr_post.as_evidence(),
            "triggered_by_keyword_id": keyword_id,
            **common,
        }
        if query.is_keyword or key in exact_keys:
            continue  # already its own exact keyword: its bid is tuned above
        # Negative: a buyer query that keeps costing clicks and never converts, with under 5% chance of beating the
        # break-even rate (its CPC so far, or its keyword's new bid if lower, over the target); excluding just that
        # query keeps the keyword's good traffic.
        if counts.conversions == 0 and counts.mature_clicks >= NEGATIVE_MIN_CLICKS:
            keyword_bid = next_bids.get(keyword_id) if keyword_id is not None else None
            cpc = counts.avg_cpc if keyword_bid is None else min(counts.avg_cpc, float(keyword_bid))
            break_even = cpc / target
            probability = _stop_probability(counts, break_even, cvr_prior, inputs.category_cvr)
            if probability < STOP_PROBABILITY:
                recommendations.append(
                    Recommendation(
                        kind="negative",
                        keyword_id=keyword_id,
                        text=query.term,
                        language=query.language,
                        current_bid=None,
                        proposed_bid=None,
                        reason=(
                            f"Exclude the search \u201c{query.term}\u201d: {_count(counts.clicks, 'click')}, "
                            f"0 inquiries, {_pct(probability)} chance of beating your target cost per inquiry of "
                            f"{target_text}."
                        ),
                        evidence={
                            **evidence,
                            "avg_cpc": _round(counts.avg_cpc),
                            "break_even_cpc": _round(cpc),
                            "break_even_cvr": _round(break_even),
                            "probability_beats_break_even": _round(probability),
                        },
                    )
                )
            continue

        # Harvest: a query that already brought inquiries deserves its own exact keyword, with a bid set from its own
        # record rather than the broad keyword's average.
        if counts.conversions >= HARVEST_MIN_CONVERSIONS:
            reference = next_bids.get(keyword_id) if keyword_id is not None else None
            if reference is None and active_bids:
                reference = _median_bid(active_bids)
            result = _compute_bid(
                cvr_post,
                mature_clicks=counts.mature_clicks,
                reference_bid=reference,
                inputs=inputs,
                lam=lam,
                pacing=pacing,
                seed_key=f"term:{query.language}:{query.term}",
                explore=inputs.explore,
            )
            recommendations.append(
                Recommendation(
                    kind="harvest",
                    keyword_id=keyword_id,
                    text=query.term,
                    language=query.language,
                    current_bid=None,
                    proposed_bid=result.bid,
                    reason=(
                        f"Add \u201c{query.term}\u201d as an exact keyword at {_money(result.bid, cur)}"
                        f"{_limit_note(result.limited_by, inputs)}: buyers who searched it sent "
                        f"{_count(counts.conversions, 'inquiry', 'inquiries')} from {_count(counts.clicks, 'click')}."
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
    seen = {_key(kw.text, kw.language) for kw in inputs.keywords} | set(queries)
    seen |= {_key(r.text, r.language) for r in recommendations if r.kind in ("negative", "harvest")}
    candidates = sorted(
        (c for c in inputs.expansion_candidates if c[2] >= EXPAND_MIN_SEARCHES),
        key=lambda c: (-c[2], c[0], c[1]),
    )
    expanded = 0
    for term, language, searches in candidates:
        key = _key(term, language)
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
