"""The keyword auction, as plain functions over candidates (no database): who shows, in what order, at what price.

Pay per click, generalized second price: rank by bid × quality, where quality = the keyword's smoothed
click-through rate × how relevant the listing is to the query. A winner pays just enough to keep its place over
the next ad (the next ad's bid × quality ÷ its own quality, plus one increment), never more than its own bid and
never less than the reserve. Relevance below the floor never shows, whatever the bid: a buyer's results stay about
what they asked for.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_UP, Decimal

from .models import MIN_BID

RESERVE_PRICE = MIN_BID
INCREMENT = Decimal("0.01")
RELEVANCE_FLOOR = 0.6
# How far spend may run ahead of the day's clock before the campaign sits out auctions (see pacing_allows).
PACING_SLACK = 0.15


@dataclass(frozen=True)
class Candidate:
    keyword_id: int
    campaign_id: int
    product_id: int
    bid: Decimal
    ctr: float  # smoothed click-through rate of the keyword
    relevance: float  # 0..1, the listing against the query
    advertiser_id: int = 0  # the supplier: one slot per advertiser (0: the campaign stands for it)

    @property
    def advertiser(self) -> int:
        return self.advertiser_id or -self.campaign_id

    @property
    def quality(self) -> float:
        return max(self.ctr, 1e-6) * self.relevance

    @property
    def rank_score(self) -> float:
        return float(self.bid) * self.quality


@dataclass(frozen=True)
class Winner:
    candidate: Candidate
    position: int  # 1-based among sponsored slots
    price: Decimal  # what a click costs


def run_auction(
    candidates: list[Candidate],
    *,
    slots: int,
    reserve: Decimal = RESERVE_PRICE,
    increment: Decimal = INCREMENT,
    relevance_floor: float = RELEVANCE_FLOOR,
) -> list[Winner]:
    eligible = [c for c in candidates if c.relevance >= relevance_floor and c.bid >= reserve]

    # One slot per advertiser (so one product never fills two either): a buyer sees different suppliers, and an
    # advertiser competes with its best product and keyword only, never against itself.
    def best_by(key, candidates):
        best: dict[int, Candidate] = {}
        for candidate in candidates:
            held = best.get(key(candidate))
            if held is None or (candidate.rank_score, -candidate.keyword_id) > (held.rank_score, -held.keyword_id):
                best[key(candidate)] = candidate
        return best.values()

    chosen = best_by(lambda c: c.advertiser, best_by(lambda c: c.product_id, eligible))
    ranked = sorted(chosen, key=lambda c: (-c.rank_score, c.keyword_id, c.product_id))
    winners = []
    for position, candidate in enumerate(ranked[:slots], start=1):
        runner_up = ranked[position] if position < len(ranked) else None
        if runner_up is None:
            price = reserve
        else:
            # Rounded to micro-units first, so float noise (0.4000000001) does not cost the advertiser a cent.
            ratio = round(runner_up.rank_score / candidate.quality, 6)
            needed = Decimal(str(ratio)).quantize(INCREMENT, rounding=ROUND_UP)
            price = needed + increment
        winners.append(Winner(candidate, position, max(reserve, min(candidate.bid, price))))
    return winners


def day_fraction(now: datetime, *, start_hour: int, end_hour: int) -> float:
    """How much of the campaign's showing hours today have passed (0..1)."""
    hours = now.hour + now.minute / 60 + now.second / 3600
    return min(1.0, max(0.0, (hours - start_hour) / max(1, end_hour - start_hour)))


def pacing_allows(*, spend: Decimal, budget: Decimal, fraction_of_day: float, slack: float = PACING_SLACK) -> bool:
    """Even delivery: a campaign whose spend runs more than `slack` of its budget ahead of the clock sits out until
    the clock catches up, so a morning rush cannot spend the whole day's budget before most buyers arrive."""
    if budget <= 0 or spend >= budget:
        return False
    return float(spend / budget) <= fraction_of_day + slack
