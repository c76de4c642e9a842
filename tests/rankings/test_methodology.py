"""The ruleset interpreter on its own: every band edge and gate of the shipped 2022 ruleset, shrinkage,
monotonicity, determinism of rank intervals. No database."""

import copy
import json
import random
from pathlib import Path

import pytest

from rankings.inputs import INPUT_NAMES
from rankings.methodology import (
    RulesetError,
    condition_met,
    parse_ruleset,
    rank_with_intervals,
    rule_points,
    score_rows,
)

RULESETS = Path(__file__).resolve().parents[2] / "rankings" / "rulesets"


def load(name):
    return json.loads((RULESETS / name).read_text(encoding="utf-8"))


SI_2022 = load("specialized_innovative_miit_2022.json")
TOP = load("top_suppliers_v1.json")


@pytest.fixture(scope="module")
def si():
    return parse_ruleset(SI_2022, known_inputs=INPUT_NAMES)


def indicator(ruleset, key):
    return next(i for i in ruleset.indicators if i.key == key)


def points(ruleset, key, **inputs):
    return rule_points(indicator(ruleset, key).rule, inputs)[0]


def test_every_shipped_ruleset_is_valid_and_adds_up_to_100():
    paths = sorted(RULESETS.glob("*.json"))
    assert len(paths) >= 4  # one per board at least
    for path in paths:
        ruleset = parse_ruleset(json.loads(path.read_text(encoding="utf-8")), known_inputs=INPUT_NAMES)
        assert ruleset.max_points == 100, path.name


def test_2022_structure_has_4_classes_and_the_published_weights(si):
    assert [(p.key, p.max_points) for p in si.pillars] == [
        ("specialization", 25),
        ("refinement", 25),
        ("distinctiveness", 15),
        ("innovation", 35),
    ]
    assert all(i.ours for i in si.indicators if i.pillar == "distinctiveness")
    assert not any(i.ours for i in si.indicators if i.pillar != "distinctiveness")


def _band_rules(rule):
    if rule["type"] == "bands":
        yield rule
    for sub in rule.get("rules", []):
        yield from _band_rules(sub)


def test_every_band_edge_of_every_shipped_ruleset_is_lower_inclusive_upper_exclusive(si):
    """Generic: for each band [min, max), min scores the band and max does not (it belongs to the next band)."""
    checked = 0
    for item in si.indicators:
        for rule in _band_rules(item.rule):
            for low, high, band_points in rule["bands"]:
                if low is not None:
                    assert rule_points(rule, {rule["input"]: low})[0] == band_points, (item.key, low)
                    below = low - 0.01
                    assert rule_points(rule, {rule["input"]: below})[0] != band_points, (item.key, below)
                if high is not None:
                    assert rule_points(rule, {rule["input"]: high})[0] != band_points, (item.key, high)
                    assert rule_points(rule, {rule["input"]: high - 0.01})[0] == band_points, (item.key, high)
                checked += 1
    assert checked >= 30


@pytest.mark.parametrize(
    ("key", "name", "value", "expected"),
    [
        ("main_business_share", "main_business_share", 80, 5),
        ("main_business_share", "main_business_share", 79.99, 3),
        ("main_business_share", "main_business_share", 70, 3),
        ("main_business_share", "main_business_share", 60, 1),
        ("main_business_share", "main_business_share", 59.99, 0),
        ("main_business_growth", "main_business_growth_2y", 10, 10),
        ("main_business_growth", "main_business_growth_2y", 9.99, 8),
        ("main_business_growth", "main_business_growth_2y", 4, 4),
        ("main_business_growth", "main_business_growth_2y", 0, 2),
        ("main_business_growth", "main_business_growth_2y", -0.01, 0),
        ("digitalization", "digitalization_level", 4, 5),
        ("digitalization", "digitalization_level", 3, 5),
        ("digitalization", "digitalization_level", 2, 3),
        ("digitalization", "digitalization_level", 1, 0),
        ("net_profit_margin", "net_profit_margin", 10, 10),
        ("net_profit_margin", "net_profit_margin", 8, 8),
        ("net_profit_margin", "net_profit_margin", 2, 2),
        ("net_profit_margin", "net_profit_margin", 1.99, 0),
        ("net_profit_margin", "net_profit_margin", -5, 0),
        ("debt_asset_ratio", "debt_asset_ratio", 49.99, 5),
        ("debt_asset_ratio", "debt_asset_ratio", 50, 3),
        ("debt_asset_ratio", "debt_asset_ratio", 60, 1),
        ("debt_asset_ratio", "debt_asset_ratio", 69.99, 1),
        ("debt_asset_ratio", "debt_asset_ratio", 70, 0),
        ("rd_staff_share", "rd_staff_share", 20, 5),
        ("rd_staff_share", "rd_staff_share", 19.99, 3),
        ("rd_staff_share", "rd_staff_share", 5, 1),
        ("rd_staff_share", "rd_staff_share", 4.99, 0),
        ("demand_share", "demand_share", 5, 5),
        ("demand_share", "demand_share", 0.5, 1),
        ("demand_share", "demand_share", 0.49, 0),
        ("export_breadth", "export_market_count", 10, 5),
        ("export_breadth", "export_market_count", 9, 3),
        ("export_breadth", "export_market_count", 2, 1),
        ("export_breadth", "export_market_count", 1, 0),
        ("customization", "customization_count", 3, 5),
        ("customization", "customization_count", 0, 0),
    ],
)
def test_band_edges(si, key, name, value, expected):
    assert points(si, key, **{name: value}) == expected


@pytest.mark.parametrize(
    ("spend", "share", "expected"),
    [
        (5_000_000, None, 10),
        (4_999_999.99, None, 8),
        (4_000_000, None, 8),
        (3_000_000, None, 6),
        (2_000_000, None, 4),
        (1_000_000, None, 2),
        (999_999.99, None, 0),
        (None, 10, 10),
        (None, 9.99, 8),
        (None, 6, 6),
        (None, 4, 4),
        (None, 3, 2),
        (None, 2.99, 0),
        (1_500_000, 9, 8),  # the better of amount (2) and share (8)
    ],
)
def test_rd_spend_takes_the_better_of_amount_and_share(si, spend, share, expected):
    assert points(si, "rd_spend", rd_spend_cny=spend, rd_spend_share=share) == expected


@pytest.mark.parametrize(("years", "expected"), [(0, 0), (1, 0), (2, 1), (3, 1), (4, 2), (9, 4), (10, 5), (30, 5)])
def test_one_point_per_full_two_years_in_the_niche_max_5(si, years, expected):
    assert points(si, "years_in_niche", years_in_niche=years) == expected


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        ({"class1_ip_high_value": 1}, 10),
        ({"class1_ip_self_developed": 1, "class1_ip_total": 1}, 8),
        ({"class1_ip_total": 2, "class1_ip_self_developed": 0}, 6),
        ({"class2_ip_total": 5, "class1_ip_total": 0}, 2),
        ({"class1_ip_total": 0, "class2_ip_total": 0}, 0),
    ],
)
def test_intellectual_property_tiers(si, inputs, expected):
    assert points(si, "class1_ip", **inputs) == expected


def test_choices_and_flag_counts(si):
    assert [points(si, "key_field", key_field=v) for v in ("gap_filling", "six_foundations", "none")] == [5, 3, 0]
    assert [
        points(si, "rd_institution", rd_institution=v) for v in ("national", "provincial", "municipal", "lower", "none")
    ] == [10, 8, 4, 2, 0]
    rule = indicator(si, "quality_management").rule
    assert rule_points(rule, {"quality_award": False, "iso9001": False}) == (0, True)
    assert rule_points(rule, {"iso9001": True}) == (3, True)
    assert rule_points(rule, {"iso9001": True, "own_brand": True}) == (5, True)  # capped
    assert rule_points(rule, {"standards_drafted": 2}) == (3, True)
    assert rule_points(rule, {}) == (0, False)


def gate(si, key):
    return next(g for g in si.gates if g["key"] == key)["condition"]


def test_gates_and_their_edges(si):
    niche = gate(si, "niche_two_years")
    assert condition_met(niche, {"years_in_niche": 2}) is True
    assert condition_met(niche, {"years_in_niche": 1}) is False
    assert condition_met(niche, {}) is None
    rd = gate(si, "rd_minimum")
    assert condition_met(rd, {"rd_spend_cny": 1_000_000, "rd_spend_share": 3}) is True
    assert condition_met(rd, {"rd_spend_cny": 999_999.99, "rd_spend_share": 30}) is False
    assert condition_met(rd, {"rd_spend_cny": 5_000_000, "rd_spend_share": 2.99}) is False
    assert condition_met(rd, {"rd_spend_cny": 5_000_000}) is None
    revenue = gate(si, "revenue_minimum")
    assert condition_met(revenue, {"revenue_cny": 10_000_000}) is True
    # Below ¥10M with the equity alternative undeclared is unknown, not failed: it could still pass.
    assert condition_met(revenue, {"revenue_cny": 9_999_999.99}) is None
    assert condition_met(revenue, {"revenue_cny": 9_999_999.99, "equity_financing_2y_cny": 0}) is False
    assert condition_met(revenue, {"revenue_cny": 5_000_000, "equity_financing_2y_cny": 20_000_000}) is True
    assert condition_met(revenue, {"revenue_cny": 5_000_000, "equity_financing_2y_cny": 19_999_999}) is False
    assert condition_met(revenue, {}) is None
    score = gate(si, "score_60")
    assert condition_met(score, {"score": 60}) is True
    assert condition_met(score, {"score": 59.99}) is False


def test_missing_figures_score_zero_with_coverage_shown_and_no_crash(si):
    [empty] = score_rows(si, [(1, {}, {})])
    assert empty.score == 0 and empty.coverage == 0 and not empty.eligible and "coverage" in empty.reasons
    assert empty.provenance == "-" * len(si.indicators)
    assert set(empty.gates.values()) == {None, False}  # unknown inputs; the score gate is simply not met


def test_coverage_threshold_is_inclusive(si):
    keys = [i.inputs[0] for i in si.indicators]
    ten = dict.fromkeys(keys[:10], 0)  # 10 of 15 indicators = exactly 2/3
    nine = dict.fromkeys(keys[:9], 0)
    scored = score_rows(si, [(1, ten, {}), (2, nine, {})])
    assert scored[0].coverage == pytest.approx(10 / 15, abs=1e-4) and scored[0].eligible
    assert not scored[1].eligible


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["indicators"][1]["rule"]["bands"].append([75, 85, 4]),  # overlaps
        lambda d: d["indicators"][0].update(max_points=6),  # pillar no longer adds up
        lambda d: d["indicators"][0]["rule"].update(input="revenue_in_dollars"),  # unknown input
        lambda d: d["indicators"][0]["rule"].update(type="magic"),
        lambda d: d.update(scoring="vibes"),
    ],
)
def test_invalid_rulesets_are_refused(mutate):
    definition = copy.deepcopy(SI_2022)
    mutate(definition)
    with pytest.raises(RulesetError):
        parse_ruleset(definition, known_inputs=INPUT_NAMES)


# --- Percentile boards ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def top():
    return parse_ruleset(TOP, known_inputs=INPUT_NAMES)


def on_time_points(top, rows):
    position = [i.key for i in top.indicators].index("on_time")
    return {s.supplier_id: s.points[position] for s in score_rows(top, rows)}


def test_beta_binomial_shrinkage_prefers_a_long_record_over_one_lucky_order(top):
    rows = [
        (1, {"on_time": (1.0, 1.0)}, {}),  # 1 of 1
        (2, {"on_time": (95.0, 100.0)}, {}),  # 95 of 100
        (3, {"on_time": (60.0, 100.0)}, {}),
    ]
    result = on_time_points(top, rows)
    assert result[2] > result[1] > result[3]


def test_shrinkage_pulls_toward_the_category_not_toward_a_constant(top):
    from rankings.methodology import _category_prior, _estimate

    item = indicator(top, "on_time")
    rows = [(1, {"on_time": (2.0, 2.0)}, {}), (2, {"on_time": (50.0, 100.0)}, {})]
    prior = _category_prior(item, rows)
    assert prior == pytest.approx(52 / 102)
    estimate = _estimate(item, (2.0, 2.0), prior)
    assert prior < estimate < 1.0  # between the category's rate and the raw 100%
    more_evidence = _estimate(item, (20.0, 20.0), prior)
    assert more_evidence > estimate  # the same raw rate with more orders moves further from the prior


def test_a_better_on_time_rate_never_lowers_a_score(top):
    """Monotonicity, checked on random categories: raise one supplier's on-time count, its score never falls."""
    rng = random.Random(11)
    for _trial in range(60):
        rows = []
        for supplier_id in range(1, rng.randrange(3, 25)):
            trials = float(rng.randrange(1, 60))
            rows.append(
                (
                    supplier_id,
                    {
                        "on_time": (float(rng.randrange(0, int(trials) + 1)), trials),
                        "orders_w": rng.random() * 30,
                        "order_value_w": rng.random() * 1e5,
                        "rating": (rng.uniform(3, 5) * 4, 4.0),
                        "median_response_minutes": rng.randrange(5, 900),
                    },
                    {},
                )
            )
        target = rng.randrange(len(rows))
        supplier_id, inputs, provenance = rows[target]
        successes, trials = inputs["on_time"]
        if successes == trials:
            continue
        before = {s.supplier_id: s.score for s in score_rows(top, rows)}[supplier_id]
        better = dict(inputs, on_time=(successes + 1, trials))
        rows[target] = (supplier_id, better, provenance)
        after = {s.supplier_id: s.score for s in score_rows(top, rows)}[supplier_id]
        assert after >= before


def test_lower_is_better_indicators_are_inverted(top):
    rows = [(1, {"median_response_minutes": 30}, {}), (2, {"median_response_minutes": 600}, {})]
    position = [i.key for i in top.indicators].index("response_time")
    scored = {s.supplier_id: s.points[position] for s in score_rows(top, rows)}
    assert scored[1] > scored[2]


# --- Ranking ------------------------------------------------------------------------------------------------------


def random_rows(rng, n):
    keys = [i.inputs for i in parse_ruleset(SI_2022).indicators]
    rows = []
    for supplier_id in range(1, n + 1):
        inputs = {
            "main_business_share": rng.uniform(50, 100),
            "main_business_growth_2y": rng.uniform(-5, 20),
            "years_in_niche": rng.randrange(0, 15),
            "key_field": rng.choice(["none", "gap_filling"]),
            "digitalization_level": rng.randrange(1, 5),
            "iso9001": rng.random() < 0.5,
            "net_profit_margin": rng.uniform(-3, 15),
            "debt_asset_ratio": rng.uniform(20, 80),
            "class1_ip_total": rng.randrange(0, 3),
            "rd_spend_cny": rng.uniform(0, 8e6),
            "rd_staff_share": rng.uniform(0, 30),
            "rd_institution": rng.choice(["none", "municipal", "national"]),
            "customization_count": rng.randrange(0, 5),
            "export_market_count": rng.randrange(0, 12),
        }
        rows.append((supplier_id, inputs, dict.fromkeys(inputs, "s")))
    assert keys
    return rows


def test_rank_intervals_are_deterministic_for_a_seed_and_contain_the_rank(si):
    rows = random_rows(random.Random(3), 80)
    first = [
        (s.supplier_id, s.rank, s.rank_low, s.rank_high) for s in rank_with_intervals(si, score_rows(si, rows), seed=42)
    ]
    again = [
        (s.supplier_id, s.rank, s.rank_low, s.rank_high) for s in rank_with_intervals(si, score_rows(si, rows), seed=42)
    ]
    assert first == again
    assert [r for _s, r, _l, _h in first] == list(range(1, len(first) + 1))
    assert all(low <= rank <= high for _s, rank, low, high in first)
    assert any(low < high for _s, _r, low, high in first)  # weights do move close ranks
    other = [(s.supplier_id, s.rank_low, s.rank_high) for s in rank_with_intervals(si, score_rows(si, rows), seed=43)]
    assert [s for s, _r, _l, _h in first] == [s for s, _l, _h in other]  # the rank itself never depends on the seed


def test_ties_break_on_verified_share_then_coverage_then_supplier_id(si):
    base = {
        "main_business_share": 85,
        "years_in_niche": 20,
        "key_field": "gap_filling",
        "digitalization_level": 3,
        "net_profit_margin": 12,
        "debt_asset_ratio": 30,
        "class1_ip_high_value": 1,
        "rd_spend_cny": 6e6,
        "rd_staff_share": 25,
        "rd_institution": "national",
    }
    verified = dict.fromkeys(base, "d")
    declared = dict.fromkeys(base, "s")
    rows = [(9, base, declared), (5, base, declared), (7, base, verified)]
    ranked = rank_with_intervals(si, score_rows(si, rows), seed=1)
    assert [s.supplier_id for s in ranked] == [7, 5, 9]


def test_penalized_suppliers_are_not_ranked(si):
    rows = random_rows(random.Random(5), 5)
    scored = score_rows(si, rows, penalized={3})
    assert "penalty" in next(s for s in scored if s.supplier_id == 3).reasons
    assert 3 not in [s.supplier_id for s in rank_with_intervals(si, scored, seed=1)]
