"""The auction and pacing as plain functions: ranking by bid × quality, second price, reserve, relevance floor,
one slot per product."""

import datetime
from decimal import Decimal

from ads.auction import Candidate, day_fraction, pacing_allows, run_auction


def _c(keyword, product, bid, ctr=0.05, relevance=1.0, campaign=None):
    return Candidate(keyword, campaign or keyword, product, Decimal(bid), ctr, relevance)


def test_rank_is_bid_times_quality_not_bid_alone():
    # B bids less but its ads are clicked three times as often: it ranks first.
    a, b = _c(1, 10, "1.00", ctr=0.02), _c(2, 20, "0.50", ctr=0.06)
    winners = run_auction([a, b], slots=2)
    assert [w.candidate.product_id for w in winners] == [20, 10]


def test_generalized_second_price_never_above_own_bid():
    a, b, c = _c(1, 10, "2.00"), _c(2, 20, "1.00"), _c(3, 30, "0.40")
    winners = run_auction([a, b, c], slots=2)
    # Each pays the next ad's bid × quality ÷ own quality + 0.01 (qualities equal here).
    assert [w.price for w in winners] == [Decimal("1.01"), Decimal("0.41")]
    assert all(w.price <= w.candidate.bid for w in winners)


def test_price_scales_with_quality():
    strong, weak = _c(1, 10, "1.00", ctr=0.08), _c(2, 20, "1.00", ctr=0.04)
    (first, _second) = run_auction([strong, weak], slots=2)
    # 1.00 × 0.04 / 0.08 = 0.50, + one increment.
    assert first.price == Decimal("0.51")


def test_a_tie_on_price_is_capped_at_the_own_bid():
    a, b = _c(1, 10, "1.00"), _c(2, 20, "1.00")
    first = run_auction([a, b], slots=1)[0]
    assert first.price == Decimal("1.00")


def test_reserve_price_for_the_last_winner_and_bids_below_it():
    only = run_auction([_c(1, 10, "3.00")], slots=3)
    assert only[0].price == Decimal("0.05")
    assert run_auction([_c(1, 10, "0.04")], slots=3) == []


def test_relevance_floor_beats_any_bid():
    irrelevant = _c(1, 10, "40.00", relevance=0.4)
    relevant = _c(2, 20, "0.10", relevance=1.0)
    assert [w.candidate.product_id for w in run_auction([irrelevant, relevant], slots=3)] == [20]


def test_the_same_product_never_fills_two_slots():
    winners = run_auction([_c(1, 10, "1.00"), _c(2, 10, "2.00"), _c(3, 20, "0.50")], slots=3)
    assert [w.candidate.product_id for w in winners] == [10, 20]
    assert winners[0].candidate.keyword_id == 2  # the product competes with its best keyword


def test_one_slot_per_advertiser_with_its_best_product():
    same = [
        Candidate(1, 7, 10, Decimal("2.00"), 0.05, 1.0, advertiser_id=99),
        Candidate(2, 8, 11, Decimal("1.50"), 0.05, 1.0, advertiser_id=99),  # another campaign of the same supplier
        Candidate(3, 9, 20, Decimal("0.50"), 0.05, 1.0, advertiser_id=42),
    ]
    winners = run_auction(same, slots=3)
    assert [w.candidate.product_id for w in winners] == [10, 20]
    # It never bids against itself: its price is set by the other advertiser.
    assert winners[0].price == Decimal("0.51")


def test_slots_cap_the_winners_and_the_first_loser_sets_the_last_price():
    candidates = [_c(i, i, f"{i}.00") for i in range(1, 6)]
    winners = run_auction(candidates, slots=3)
    assert len(winners) == 3
    assert winners[-1].price == Decimal("2.01")


def test_no_candidates_no_winners():
    assert run_auction([], slots=3) == []


def test_pacing_keeps_spend_near_the_clock():
    assert pacing_allows(spend=Decimal("0"), budget=Decimal("10"), fraction_of_day=0.0)
    assert pacing_allows(spend=Decimal("6"), budget=Decimal("10"), fraction_of_day=0.5)
    assert not pacing_allows(spend=Decimal("7"), budget=Decimal("10"), fraction_of_day=0.5)
    assert not pacing_allows(spend=Decimal("10"), budget=Decimal("10"), fraction_of_day=1.0)


def test_day_fraction_follows_the_schedule_hours():
    moment = datetime.datetime(2026, 12, 5, 13, 0)
    assert day_fraction(moment, start_hour=0, end_hour=24) == 13 / 24
    assert day_fraction(moment, start_hour=9, end_hour=17) == 0.5
    assert day_fraction(moment, start_hour=14, end_hour=18) == 0.0
