"""Sourcing matching: a buyer's structured requirements -> a ranked, explained supplier comparison.

    from sourcing.matching import plan_build
    result = plan_build(requirements, buyer_country="DE", progress=callback)
    plan.result = result.as_dict(); rows = result.option_rows()

Candidates come from the search index, evidence from supplier aggregates, in a bounded number of queries
(evidence.py). Hard constraints (constraints.py) exclude with reasons; soft dimensions (dimensions.py, weights in
weights.json) score with coverage; landed.py estimates landed cost; advice.py writes risks, questions, next
steps and the summary.
"""

from .plan import PlanResult, plan_build

__all__ = ["PlanResult", "plan_build"]
