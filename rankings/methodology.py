"""The ruleset interpreter: turns a methodology definition (plain data, rankings/rulesets/*.json) into scores.

Nothing here knows a board by name. A new ruleset version — e.g. the 2026 revision of the SME scheme — is a new
JSON file with its own bands, points, gates and effective date; the engine does not change.

Band-edge convention (one for every rule, condition and gate): a band or condition `[min, max)` includes its lower
bound and excludes its upper bound. "≥80%: 5 points, 70–80%: 3" therefore gives 80.00 → 5 and 79.99 → 3, and a
debt ratio of exactly 50% falls in the 50–60% band. This matches the usual reading of the MIIT tables (以上 includes
the figure, 以下 excludes it).

Two scoring modes:

* ``points``: each indicator maps its input(s) to points through bands, per-unit counts, choices, flag counts or
  the best of several rules; a missing input scores 0 points and counts against coverage.
* ``percentile``: each indicator's estimate (raw value, Beta-binomial shrunk rate or Bayesian mean, shrunk toward the
  category) is turned into its mid-rank percentile among the category's suppliers that have the input, times the
  indicator's weight; a missing input contributes 0.

Either way an entry's score is the sum of its indicator points (0–100), and pillar scores are the per-pillar sums.
"""

import bisect
import math
import random
from collections import ChainMap
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

SCORING_MODES = {"points", "percentile"}
RULE_TYPES = {"bands", "per_unit", "choice", "count_flags", "best_of"}
ESTIMATORS = {"value", "beta_binomial", "bayes_mean"}
# Provenance codes, weakest first: an indicator is as trustworthy as its weakest covered input.
PROVENANCE_ORDER = "sdp"


class RulesetError(ValueError):
    """A methodology definition that the engine cannot apply."""


@dataclass(frozen=True)
class Indicator:
    key: str
    pillar: str
    label: str
    weight: float  # maximum points this indicator can give
    rule: dict
    inputs: tuple
    ours: bool = False
    advice: str = ""
    evidence: str = ""
    estimator: dict = field(default_factory=dict)
    direction: str = "higher"


@dataclass(frozen=True)
class Pillar:
    key: str
    label: str
    max_points: float


@dataclass(frozen=True)
class Ruleset:
    board: str
    version: str
    title: str
    effective_from: date
    scoring: str
    pillars: tuple
    indicators: tuple
    gates: tuple
    require: tuple
    min_coverage: float
    draws: int
    perturbation: float
    quantiles: tuple
    source: str = ""
    notes: str = ""
    definition: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def max_points(self):
        return sum(indicator.weight for indicator in self.indicators)

    def pillar_index(self):
        return {pillar.key: position for position, pillar in enumerate(self.pillars)}


def _number(value, where):
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RulesetError(f"{where}: expected a number, got {value!r}")
    return float(value)


def _fraction(value):
    """A share written as a number (0.75) or, to avoid rounding, a fraction string ("2/3")."""
    try:
        share = float(Fraction(value)) if isinstance(value, str) else _number(value, "min_coverage")
    except (ValueError, ZeroDivisionError):
        raise RulesetError(f"min_coverage: {value!r} is not a share") from None
    if not 0 <= share <= 1:
        raise RulesetError("min_coverage must be between 0 and 1")
    return share


def _rule_inputs(rule, where):
    kind = rule.get("type")
    if kind not in RULE_TYPES:
        raise RulesetError(f"{where}: unknown rule type {kind!r}")
    if kind == "best_of":
        if not rule.get("rules"):
            raise RulesetError(f"{where}: best_of needs rules")
        inputs = []
        for position, sub in enumerate(rule["rules"]):
            inputs.extend(_rule_inputs(sub, f"{where}.rules[{position}]"))
        return inputs
    if kind == "count_flags":
        if not rule.get("inputs"):
            raise RulesetError(f"{where}: count_flags needs inputs")
        _number(rule.get("points_each"), f"{where}.points_each")
        _number(rule.get("cap"), f"{where}.cap")
        return list(rule["inputs"])
    if not isinstance(rule.get("input"), str):
        raise RulesetError(f"{where}: needs an input")
    if kind == "bands":
        bands = rule.get("bands")
        if not bands:
            raise RulesetError(f"{where}: bands needs at least one band")
        spans = []
        for position, band in enumerate(bands):
            if not (isinstance(band, list) and len(band) == 3):
                raise RulesetError(f"{where}.bands[{position}]: a band is [min, max, points]")
            low = -math.inf if band[0] is None else _number(band[0], where)
            high = math.inf if band[1] is None else _number(band[1], where)
            _number(band[2], where)
            if low >= high:
                raise RulesetError(f"{where}.bands[{position}]: min must be below max")
            spans.append((low, high))
        spans.sort()
        for (_low_a, high_a), (low_b, _high_b) in zip(spans, spans[1:], strict=False):
            if low_b < high_a:
                raise RulesetError(f"{where}: bands overlap")
    elif kind == "per_unit":
        if _number(rule.get("unit"), f"{where}.unit") <= 0:
            raise RulesetError(f"{where}: unit must be positive")
        _number(rule.get("points"), f"{where}.points")
        _number(rule.get("cap"), f"{where}.cap")
    elif kind == "choice" and (not isinstance(rule.get("points"), dict) or not rule["points"]):
        raise RulesetError(f"{where}: choice needs a points map")
    return [rule["input"]]


def _condition_inputs(condition, where):
    if not isinstance(condition, dict):
        raise RulesetError(f"{where}: a condition is an object")
    for combinator in ("all", "any"):
        if combinator in condition:
            inputs = []
            for position, sub in enumerate(condition[combinator]):
                inputs.extend(_condition_inputs(sub, f"{where}.{combinator}[{position}]"))
            return inputs
    if not isinstance(condition.get("input"), str):
        raise RulesetError(f"{where}: needs an input")
    if not any(key in condition for key in ("min", "max", "equals")):
        raise RulesetError(f"{where}: needs min, max or equals")
    return [condition["input"]]


def parse_ruleset(definition: dict, *, known_inputs=None) -> Ruleset:
    """Validate a definition and build the Ruleset the engine applies. Raises RulesetError with the bad path."""
    try:
        scoring = definition["scoring"]
        if scoring not in SCORING_MODES:
            raise RulesetError(f"scoring must be one of {sorted(SCORING_MODES)}")
        pillars = tuple(
            Pillar(key=p["key"], label=p["label"], max_points=_number(p["max_points"], f"pillars.{p['key']}"))
            for p in definition["pillars"]
        )
        pillar_keys = {pillar.key for pillar in pillars}
        indicators, seen = [], set()
        for position, raw in enumerate(definition["indicators"]):
            where = f"indicators[{position}] ({raw.get('key')})"
            if raw["key"] in seen:
                raise RulesetError(f"{where}: duplicate key")
            seen.add(raw["key"])
            if raw["pillar"] not in pillar_keys:
                raise RulesetError(f"{where}: unknown pillar {raw['pillar']!r}")
            if scoring == "points":
                inputs = _rule_inputs(raw["rule"], where)
                estimator = {}
            else:
                inputs = [raw["input"]]
                estimator = raw.get("estimator", {"type": "value"})
                if estimator.get("type") not in ESTIMATORS:
                    raise RulesetError(f"{where}: unknown estimator {estimator.get('type')!r}")
                if estimator["type"] != "value" and _number(estimator.get("prior_strength"), where) <= 0:
                    raise RulesetError(f"{where}: prior_strength must be positive")
            direction = raw.get("direction", "higher")
            if direction not in ("higher", "lower"):
                raise RulesetError(f"{where}: direction is higher or lower")
            indicators.append(
                Indicator(
                    key=raw["key"],
                    pillar=raw["pillar"],
                    label=raw["label"],
                    weight=_number(raw["max_points"], where),
                    rule=raw.get("rule", {}),
                    inputs=tuple(dict.fromkeys(inputs)),
                    ours=bool(raw.get("ours", False)),
                    advice=raw.get("advice", ""),
                    evidence=raw.get("evidence", ""),
                    estimator=estimator,
                    direction=direction,
                )
            )
        for pillar in pillars:
            total = sum(i.weight for i in indicators if i.pillar == pillar.key)
            if abs(total - pillar.max_points) > 1e-9:
                raise RulesetError(f"pillar {pillar.key}: indicators add up to {total}, not {pillar.max_points}")
        gates = tuple(definition.get("gates", []))
        for position, gate in enumerate(gates):
            if "key" not in gate or "label" not in gate:
                raise RulesetError(f"gates[{position}]: needs key and label")
            _condition_inputs(gate["condition"], f"gates[{position}]")
        require = tuple(definition.get("eligibility", {}).get("require", []))
        for position, condition in enumerate(require):
            _condition_inputs(condition, f"eligibility.require[{position}]")
        monte_carlo = definition.get("monte_carlo", {})
        draws = int(monte_carlo.get("draws", 40))
        perturbation = _number(monte_carlo.get("perturbation", 0.2), "monte_carlo.perturbation")
        quantiles = tuple(monte_carlo.get("quantiles", [0.05, 0.95]))
        if draws < 1 or not 0 <= perturbation < 1 or not 0 <= quantiles[0] <= quantiles[1] <= 1:
            raise RulesetError("monte_carlo: draws ≥ 1, 0 ≤ perturbation < 1, ordered quantiles in [0, 1]")
        ruleset = Ruleset(
            board=definition["board"],
            version=definition["version"],
            title=definition["title"],
            effective_from=date.fromisoformat(definition["effective_from"]),
            scoring=scoring,
            pillars=pillars,
            indicators=tuple(indicators),
            gates=gates,
            require=require,
            min_coverage=_fraction(definition.get("eligibility", {}).get("min_coverage", "2/3")),
            draws=draws,
            perturbation=perturbation,
            quantiles=quantiles,
            source=definition.get("source", ""),
            notes=definition.get("notes", ""),
            definition=definition,
        )
    except KeyError as missing:
        raise RulesetError(f"missing field {missing}") from None
    if known_inputs is not None:
        used = {name for indicator in ruleset.indicators for name in indicator.inputs}
        for gate in ruleset.gates:
            used.update(_condition_inputs(gate["condition"], "gate"))
        for condition in ruleset.require:
            used.update(_condition_inputs(condition, "require"))
        unknown = used - set(known_inputs) - {"score"}
        if unknown:
            raise RulesetError(f"unknown inputs: {', '.join(sorted(unknown))}")
    return ruleset


# --- Applying rules to one supplier's inputs ---------------------------------------------------------------------


def _as_float(value):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, Decimal | int | float):
        return float(value)
    return None


def band_points(bands, value):
    """Points of the band [min, max) that contains value; 0 when none does."""
    for low, high, points in bands:
        if (low is None or value >= low) and (high is None or value < high):
            return float(points)
    return 0.0


def rule_points(rule, inputs):
    """(points, covered) for one rule over a mapping of input values."""
    kind = rule["type"]
    if kind == "best_of":
        results = [rule_points(sub, inputs) for sub in rule["rules"]]
        covered = any(c for _p, c in results)
        return (max(p for p, _c in results) if covered else 0.0), covered
    if kind == "count_flags":
        values = [inputs.get(name) for name in rule["inputs"]]
        present = [v for v in values if v is not None and v != ""]
        if not present:
            return 0.0, False
        met = sum(1 for v in present if (_as_float(v) or 0) > 0)
        return float(min(rule["cap"], met * rule["points_each"])), True
    value = inputs.get(rule["input"])
    if value is None or value == "":
        return 0.0, False
    if kind == "choice":
        return float(rule["points"].get(str(value), 0)), True
    number = _as_float(value)
    if number is None:
        return 0.0, False
    if kind == "bands":
        return band_points(rule["bands"], number), True
    # per_unit: e.g. 1 point per full 2 years, at most 5
    return float(min(rule["cap"], math.floor(number / rule["unit"]) * rule["points"])), True


def condition_met(condition, inputs):
    """True / False, or None when the inputs it needs are missing. Same [min, max) convention as bands."""
    if "all" in condition or "any" in condition:
        results = [condition_met(sub, inputs) for sub in condition.get("all", condition.get("any"))]
        if "all" in condition:
            if any(r is False for r in results):
                return False
            return None if any(r is None for r in results) else True
        if any(r is True for r in results):
            return True
        return None if any(r is None for r in results) else False
    value = inputs.get(condition["input"])
    if value is None or value == "":
        return None
    if "equals" in condition:
        return value == condition["equals"]
    number = _as_float(value)
    if number is None:
        return None
    if "min" in condition and number < condition["min"]:
        return False
    return not ("max" in condition and number >= condition["max"])


def indicator_provenance(indicator, provenance):
    """The weakest provenance code among the indicator's inputs that have one ('-' if none)."""
    codes = [provenance.get(name) for name in indicator.inputs]
    codes = [c for c in codes if c]
    if not codes:
        return "-"
    return min(codes, key=PROVENANCE_ORDER.index)


# --- Scoring a category ------------------------------------------------------------------------------------------


@dataclass
class Scored:
    supplier_id: int
    points: list
    covered: list
    provenance: str
    shown_inputs: list
    pillar_scores: list
    score: float
    coverage: float
    verified_share: float | None
    gates: dict
    eligible: bool
    reasons: list
    rank: int | None = None
    rank_low: int | None = None
    rank_high: int | None = None


def _display(value):
    """JSON-safe input for Entry.inputs (inputs arrive as floats, ints, bools, strings and (a, b) pairs)."""
    if value.__class__ is Decimal:
        return float(value)
    return value


def _estimate(indicator, value, prior):
    kind = indicator.estimator.get("type", "value")
    if kind == "value":
        return _as_float(value)
    numerator, count = value
    if count <= 0:
        return None
    strength = indicator.estimator["prior_strength"]
    return (numerator + prior * strength) / (count + strength)


def _category_prior(indicator, rows):
    """Pooled rate (or mean) of the category: what a supplier with little evidence is shrunk toward."""
    if indicator.estimator.get("type", "value") == "value":
        return None
    total, count = 0.0, 0.0
    for _sid, inputs, _prov in rows:
        value = inputs.get(indicator.inputs[0])
        if value is not None:
            total += value[0]
            count += value[1]
    if count > 0:
        return total / count
    return indicator.estimator.get("fallback_prior", 0.0)


def _percentiles(values, direction):
    """Mid-rank percentile in (0, 1) for each non-None value; None stays None."""
    present = sorted(v for v in values if v is not None)
    n = len(present)
    if not n:
        return [None] * len(values)
    result = []
    for v in values:
        if v is None:
            result.append(None)
            continue
        below = bisect.bisect_left(present, v)
        equal = bisect.bisect_right(present, v) - below
        above = n - below - equal
        better_than = below if direction == "higher" else above
        result.append((better_than + 0.5 * equal) / n)
    return result


def score_rows(ruleset: Ruleset, rows, *, penalized=frozenset(), keep_ineligible=True):
    """Score one category: rows are (supplier_id, inputs mapping, provenance mapping). Returns Scored per row
    (only the eligible ones with keep_ineligible=False, which is what generation needs)."""
    indicators = ruleset.indicators
    pillar_of = ruleset.pillar_index()
    n_pillars = len(ruleset.pillars)
    points_table = []  # per indicator: list of points per row
    covered_table = []
    if ruleset.scoring == "points":
        if not keep_ineligible:
            # Points rules score each row on its own, so rows that cannot reach the coverage threshold can be
            # dropped before any rule runs (an input present is exactly what makes a rule's indicator covered).
            needed = ruleset.min_coverage * len(indicators) - 1e-9
            rows = [
                row
                for row in rows
                if sum(
                    1
                    for indicator in indicators
                    if any(row[1].get(name) not in (None, "") for name in indicator.inputs)
                )
                >= needed
            ]
        for indicator in indicators:
            column = [rule_points(indicator.rule, inputs) for _sid, inputs, _prov in rows]
            points_table.append([p for p, _c in column])
            covered_table.append([c for _p, c in column])
    else:
        for indicator in indicators:
            prior = _category_prior(indicator, rows)
            estimates = [
                _estimate(indicator, inputs.get(indicator.inputs[0]), prior)
                if inputs.get(indicator.inputs[0]) is not None
                else None
                for _sid, inputs, _prov in rows
            ]
            percentiles = _percentiles(estimates, indicator.direction)
            points_table.append([0.0 if p is None else round(indicator.weight * p, 4) for p in percentiles])
            covered_table.append([p is not None for p in percentiles])

    results = []
    n_indicators = len(indicators)
    single_input = [indicator.inputs[0] if len(indicator.inputs) == 1 else None for indicator in indicators]
    pillar_positions = [pillar_of[indicator.pillar] for indicator in indicators]
    covered_columns = list(zip(*covered_table, strict=True)) if n_indicators else [()] * len(rows)
    points_columns = list(zip(*points_table, strict=True)) if n_indicators else [()] * len(rows)
    for position, (supplier_id, inputs, provenance) in enumerate(rows):
        covered = covered_columns[position]
        n_covered = sum(covered)
        coverage = n_covered / n_indicators if n_indicators else 0.0
        reasons = []
        if coverage + 1e-9 < ruleset.min_coverage:
            reasons.append("coverage")
        for condition in ruleset.require:
            if condition_met(condition, inputs) is not True:
                reasons.append("evidence")
                break
        if supplier_id in penalized:
            reasons.append("penalty")
        if reasons and not keep_ineligible:
            continue  # at 100,000 suppliers most of the work below is for the rows that get ranked
        points = points_columns[position]
        pillars = [0.0] * n_pillars
        for i in range(n_indicators):
            pillars[pillar_positions[i]] += points[i]
        score = sum(pillars)
        codes = "".join(
            "-"
            if not covered[i]
            else (provenance.get(single_input[i]) or "-")
            if single_input[i] is not None
            else indicator_provenance(indicator, provenance)
            for i, indicator in enumerate(indicators)
        )
        verified = codes.count("d") + codes.count("p")
        gates = {}
        if ruleset.gates:
            gate_inputs = ChainMap({"score": score}, inputs)
            gates = {gate["key"]: condition_met(gate["condition"], gate_inputs) for gate in ruleset.gates}
        results.append(
            Scored(
                supplier_id=supplier_id,
                points=list(points),
                covered=list(covered),
                provenance=codes,
                shown_inputs=[
                    _display(inputs.get(name))
                    if name is not None
                    else [_display(inputs.get(item)) for item in indicator.inputs]
                    for name, indicator in zip(single_input, indicators, strict=True)
                ],
                pillar_scores=[round(p, 4) for p in pillars],
                score=round(score, 4),
                coverage=round(coverage, 4),
                verified_share=round(verified / n_covered, 4) if n_covered else None,
                gates=gates,
                eligible=not reasons,
                reasons=reasons,
            )
        )
    return results


def _order_key(scored):
    # Deterministic tie-breaks: score, then share of verified inputs, then coverage, then the older account.
    return (-scored.score, -(scored.verified_share or 0.0), -scored.coverage, scored.supplier_id)


def rank_with_intervals(ruleset: Ruleset, scored, *, seed: int):
    """Rank eligible rows and attach a Monte Carlo rank interval.

    Each draw multiplies every pillar's weight by a factor drawn uniformly from [1 − p, 1 + p] (p = ±20% in the
    shipped rulesets) and re-ranks; the interval is the draws' quantiles (central 90% by default). The RNG is seeded
    per board and period, so a snapshot is reproducible.
    """
    ranked = sorted((s for s in scored if s.eligible), key=_order_key)
    n = len(ranked)
    for position, entry in enumerate(ranked, start=1):
        entry.rank = position
    if not n:
        return ranked
    rng = random.Random(seed)
    low, high = 1 - ruleset.perturbation, 1 + ruleset.perturbation
    pillars = [entry.pillar_scores for entry in ranked]
    n_pillars = len(ruleset.pillars)
    draws = ruleset.draws
    ranks_by_entry = [[] for _ in range(n)]
    order_index = range(n)
    for _ in range(draws):
        weights = [rng.uniform(low, high) for _p in range(n_pillars)]
        if n_pillars == 4:  # the common case, written out: this loop is the hot path at 100,000 suppliers
            w0, w1, w2, w3 = weights
            scores = [-(a * w0 + b * w1 + c * w2 + d * w3) for a, b, c, d in pillars]
        else:
            scores = [-sum(p * w for p, w in zip(row, weights, strict=True)) for row in pillars]
        # Ties keep the published order (the index), so a draw never reorders equal scores at random.
        order = sorted(order_index, key=scores.__getitem__)
        for draw_rank, index in enumerate(order, start=1):
            ranks_by_entry[index].append(draw_rank)
    q_low, q_high = ruleset.quantiles
    lo_index = min(draws - 1, int(math.floor(q_low * (draws - 1))))
    hi_index = min(draws - 1, int(math.ceil(q_high * (draws - 1))))
    for entry, draw_ranks in zip(ranked, ranks_by_entry, strict=True):
        draw_ranks.sort()
        entry.rank_low = min(draw_ranks[lo_index], entry.rank)
        entry.rank_high = max(draw_ranks[hi_index], entry.rank)
    return ranked
