"""Sourcing and response commitments: plans score and show whether a supplier keeps its commitment, and RFQ
broadcasts go first to suppliers who keep theirs (sourcing.selectors.plan_best_supplier_ids)."""

from datetime import time
from decimal import Decimal

import pytest
from django.utils import translation

from sourcing.matching.facts import PLATFORM_DERIVED, Candidate
from sourcing.selectors import plan_best_supplier_ids
from tests.factories import SupplierFactory
from tests.sourcing.test_api import make_done_plan, make_request
from tests.sourcing.test_dimensions import product, run, supplier


def committed(kept, rate, n=20, **extra):
    return {
        "response_commitment_minutes": 120,
        "response_hours_start": time(9),
        "response_hours_end": time(18),
        "commitment_kept": kept,
        "commitment_kept_rate": None if rate is None else Decimal(rate),
        "commitment_sample_size": n,
        **extra,
    }


def test_plan_dimension_scores_the_kept_share_and_says_it_in_words():
    with translation.override("en"):
        kept = run("response_commitment", Candidate(supplier(**committed(True, 96, 37)), product()))
        assert kept.score == 0.96 and kept.provenance == PLATFORM_DERIVED
        assert kept.value == "kept: 96% of 37"
        assert kept.evidence == "Commits to answer within 2 h, 9:00–18:00 China time (Mon–Fri)."
        broken = run("response_commitment", Candidate(supplier(**committed(False, 41, 22)), product()))
        assert broken.score == 0.41 and broken.value == "not kept lately: 41% of 22"
        few = run("response_commitment", Candidate(supplier(**committed(None, 100, 3)), product()))
        assert few.score is None and "too few conversations to tell" in few.evidence
        assert run("response_commitment").score is None  # no commitment: leaves the weighted mean
        rate = run("response_rate", Candidate(supplier(response_rate=Decimal(94), response_sample_size=37), product()))
        assert rate.evidence == "Answers 94% of inquiries within 24 hours (37 conversations in the last 30 days)."


@pytest.mark.django_db
def test_broadcast_prefers_kept_then_unknown_then_broken_by_rank_within(buyer):
    broken = SupplierFactory(**committed(False, 41))
    unknown = SupplierFactory()
    kept_low = SupplierFactory(**committed(True, 95))
    too_few = SupplierFactory(**committed(None, 100, 2))
    kept_high = SupplierFactory(**committed(True, 92))
    plan = make_done_plan(make_request(buyer), broken, unknown, kept_low, too_few, kept_high)  # ranks 1..5
    assert plan_best_supplier_ids(plan_id=plan.pk, limit=10) == [
        kept_low.pk,
        kept_high.pk,
        unknown.pk,
        too_few.pk,
        broken.pk,
    ]
    # Capped: the supplier that breaks its commitment is the one left out, though it ranks first on fit.
    assert broken.pk not in plan_best_supplier_ids(plan_id=plan.pk, limit=4)
    assert plan_best_supplier_ids(plan_id=None, limit=4) == []
