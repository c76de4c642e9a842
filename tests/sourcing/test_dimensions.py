"""One test per soft-scoring dimension, on hand-made facts (no database), plus the combination rule."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from sourcing.matching.dimensions import REGISTRY, combine, dimension_definitions, evaluate
from sourcing.matching.facts import (
    COMPUTED,
    DOCUMENT_VERIFIED,
    PLATFORM_DERIVED,
    PROVENANCES,
    SELF_DECLARED,
    UNKNOWN,
    Badge,
    Candidate,
    Capacity,
    Cert,
    Context,
    Dimension,
    MarketRule,
    ProductFacts,
    SupplierFacts,
    Tier,
    config,
)
from sourcing.reference import Rates, destination_keys
from sourcing.schema import Requirements

TODAY = date(2026, 12, 1)
RATES = Rates(per_usd={"USD": Decimal(1), "EUR": Decimal("0.92"), "CNY": Decimal("7.20")}, as_of=TODAY, source="test")


def approx(value):
    return pytest.approx(value, abs=1e-3)  # dimension scores are rounded to four decimals


PATHS = {
    10: [(10, "power-tools", "Power Tools"), (1, "tools-hardware", "Tools & Hardware")],
    1: [(1, "tools-hardware", "Tools & Hardware")],
}


def supplier(**extra) -> SupplierFacts:
    return SupplierFacts(id=extra.pop("id", 1), name=extra.pop("name", "Alpha Tools"), **extra)


def product(**extra) -> ProductFacts:
    defaults = {
        "id": 100,
        "title": "18V cordless drill",
        "category_id": 10,
        "moq": 100,
        "lead_time_days": 20,
        "tiers": [Tier(100, Decimal("10.00"), 20), Tier(1000, Decimal("8.00"), 30)],
    }
    return ProductFacts(**(defaults | extra))


def ctx(**req) -> Context:
    requirements = Requirements(**({"product": "cordless drill"} | req))
    return Context(
        requirements=requirements,
        today=TODAY,
        rates=RATES,
        buyer_currency=requirements.currency or "USD",
        destination_keys=destination_keys(requirements.destination_country),
        category_paths=PATHS,
        market_rules=[
            MarketRule("EU", "power-tools", "CE", True, "2006/42/EC"),
            MarketRule("EU", "power-tools", "ROHS", True, "2011/65/EU"),
            MarketRule("EU", "tools-hardware", "REACH", False, "REACH"),
        ],
        max_search_score=1.0,
    )


def run(key, c=None, context=None, **req) -> Dimension:
    c = c or Candidate(supplier(), product())
    return REGISTRY[key].rule(c, context or ctx(**req))


def test_registry_matches_weights_file_and_has_at_least_20_documented_dimensions():
    assert set(REGISTRY) == set(config()["weights"]) - {"_about"}
    assert len(REGISTRY) >= 20
    for spec in REGISTRY.values():
        assert spec.description, spec.key  # the docstring is the rule shown to buyers
    definitions = dimension_definitions()
    assert {d["key"] for d in definitions} == set(REGISTRY)
    assert all(isinstance(d["label"], str) and d["weight"] > 0 for d in definitions)


def test_every_dimension_returns_a_bounded_score_and_a_known_provenance():
    c = Candidate(supplier(), product(), search_score=0.5)
    for dim in evaluate(c, ctx(quantity=500, destination_country="DE", max_operating_temp_c=40)):
        assert dim.provenance in PROVENANCES
        assert dim.score is None or 0 <= dim.score <= 1
        assert dim.evidence


def test_relevance_is_relative_to_the_best_candidate():
    context = ctx()
    context.max_search_score = 0.8
    dim = run("relevance", Candidate(supplier(), product(), search_score=0.4, matching_products=3), context)
    assert dim.score == approx(0.5)
    assert dim.provenance == COMPUTED
    assert "2 more" in dim.evidence
    context.max_search_score = 0
    assert run("relevance", context=context).score is None


def test_price_uses_the_tier_for_the_quantity_converted_and_compared_with_the_target():
    dim = run("price", quantity=2000, currency="EUR", target_unit_price=8.0)
    # 8.00 USD at 2,000 -> 7.36 EUR, under the 8 EUR target.
    assert dim.score == 1.0
    assert dim.value.startswith("7.36 EUR at 2,000")
    over = run("price", quantity=200, currency="USD", target_unit_price=8.0)  # 10.00 USD: 25 % over
    assert over.score == approx(0.5)
    assert over.provenance == SELF_DECLARED


def test_price_without_target_compares_with_the_cohort_median_and_is_unknown_without_rate_or_tiers():
    context = ctx(quantity=200)
    context.price_median = Decimal("10.00")
    assert run("price", context=context).score == approx(0.5)
    context.price_median = Decimal("20.00")
    assert run("price", context=context).score == approx(1.0)
    assert run("price", Candidate(supplier(), product(currency="XYZ")), quantity=200).score is None
    assert run("price", Candidate(supplier(), product(tiers=[])), quantity=200).score is None


def test_moq_fit():
    assert run("moq_fit", quantity=1000).score == 1.0
    assert run("moq_fit", quantity=150).score == 0.8
    assert run("moq_fit", quantity=50).score == 0.0
    assert run("moq_fit").score is None  # no quantity: unknown, not zero


def test_lead_time_reads_the_tier_lead_for_the_quantity_against_the_maximum():
    within = run("lead_time", quantity=2000, max_lead_time_days=60)  # tier 1000+: 30 days
    assert within.value.startswith("30")
    assert within.score == approx(0.7 + 0.3 * 0.5)
    over = run("lead_time", quantity=2000, max_lead_time_days=20)  # 10 days over 20: 0.5 * (1 - 10/10)
    assert over.score == approx(0.0)
    no_limit = run("lead_time", quantity=100)
    assert no_limit.score == approx((90 - 20) / (90 - 7))


def test_operating_temperature_fit_and_unknown():
    cold = product(attributes=[("Operating Temperature", "-20~60", "°C")])
    assert run("operating_temperature", Candidate(supplier(), cold), min_operating_temp_c=-20).score == 1.0
    short = run("operating_temperature", Candidate(supplier(), cold), min_operating_temp_c=-30)
    assert short.score == approx(0.5)  # 10 degrees short of 20
    assert run("operating_temperature", min_operating_temp_c=-30).score is None  # listing states no range
    assert not run("operating_temperature").applicable  # not asked


def test_customization_listing_beats_profile():
    c = Candidate(supplier(offers_oem=True), product(custom_logo=True))
    dim = run("customization", c, customization=["logo", "oem"])
    assert dim.score == approx((1 + 0.7) / 2)
    assert not run("customization").applicable


def test_samples():
    assert run("samples", Candidate(supplier(), product(samples_available=True)), samples_required=True).score == 1
    assert run("samples", Candidate(supplier(offers_samples=True), product()), samples_required=True).score == 0.7
    assert run("samples", samples_required=True).score == 0
    assert not run("samples").applicable


def test_certificates_weigh_verified_declared_and_missing_with_destination_rules():
    valid = {"valid_from": TODAY - timedelta(days=10), "valid_until": TODAY + timedelta(days=300)}
    s = supplier(certs=[Cert("CE", verified=True, **valid), Cert("ROHS", **valid)])
    dim = run("certificates", Candidate(s, product()), destination_country="DE")
    # CE verified (1), ROHS declared (0.7), REACH expected but missing (0).
    assert dim.score == approx((1 + 0.7 + 0) / 3)
    assert dim.value == "2/3"
    verified_only = run("certificates", Candidate(s, product()), certifications=["CE"])
    assert verified_only.score == 1 and verified_only.provenance == DOCUMENT_VERIFIED
    assert run("certificates", certifications=["CE"]).score is None  # no certificate data at all: unknown
    assert not run("certificates").applicable  # nothing named, no destination


def test_supplier_kind_checks_the_factory_claim():
    real = supplier(kind="factory", factory_area_m2=8000, staff_count=200, capacities=[Capacity(10, 5000)])
    assert run("supplier_kind", Candidate(real, product())).score == approx(0.85)
    hollow = run("supplier_kind", Candidate(supplier(kind="factory"), product()))
    assert hollow.score == approx(0.15)
    assert "no capacity" in hollow.evidence
    trader = Candidate(supplier(kind="trading_company"), product())
    assert run("supplier_kind", trader).score == 0.5
    assert run("supplier_kind", trader, supplier_kind="trading_company").score == 1.0


def test_capacity_against_quantity_and_deadline_in_the_category_or_its_ancestors():
    s = supplier(capacities=[Capacity(1, 10_000), Capacity(99, 1_000_000)])  # parent category counts, other not
    assert run("capacity", Candidate(s, product()), quantity=2_000, max_lead_time_days=30).score == 1.0
    big = run("capacity", Candidate(s, product()), quantity=10_000, max_lead_time_days=30)
    assert big.score == approx((1.5 - 1.0) / (1.5 - 0.25))
    assert run("capacity", Candidate(supplier(), product()), quantity=100).score is None
    assert run("capacity", Candidate(s, product())).score is None  # no quantity


def test_verification_levels():
    assert run("verification").score == 0.0
    assert run("verification", Candidate(supplier(verification_level="assessed"), product())).score == 1.0
    onsite = run("verification", Candidate(supplier(verification_level="onsite"), product()))
    assert onsite.score == 0.85 and onsite.provenance == DOCUMENT_VERIFIED


def test_years_in_business():
    assert run("years_in_business", Candidate(supplier(founded_year=2011), product())).score == 1.0
    assert run("years_in_business", Candidate(supplier(founded_year=2020), product())).score == approx(6 / 15)
    assert run("years_in_business").score is None


def test_years_exporting():
    assert run("years_exporting", Candidate(supplier(years_exporting=5), product())).score == 0.5
    assert run("years_exporting").score is None


def test_export_destination_understands_regions_and_aliases():
    eu = Candidate(supplier(export_markets=["EU", "US"]), product())
    assert run("export_destination", eu, destination_country="DE").score == 1.0
    uk = Candidate(supplier(export_markets=["UK", "Middle East"]), product())
    assert run("export_destination", uk, destination_country="GB").score == 1.0
    assert run("export_destination", uk, destination_country="AE").score == 1.0  # Middle East covers the GCC
    assert run("export_destination", eu, destination_country="BR").score == 0.3
    assert run("export_destination", destination_country="DE").score is None
    assert not run("export_destination", eu).applicable


def test_languages():
    s = Candidate(supplier(languages=["en", "zh-hans"]), product())
    assert run("languages", s, language="zh").score == 1.0
    assert run("languages", s, language="de").score == 0.6
    assert run("languages", Candidate(supplier(languages=["zh-hans"]), product()), language="de").score == 0.2
    assert run("languages").score is None


def test_innovation():
    s = supplier(invention_patents=2, utility_patents=10, staff_count=100, rd_staff_count=5, rd_spend_share=Decimal(5))
    dim = run("innovation", Candidate(s, product()))
    assert dim.score == approx((16 / 20 + 0.5 + 1.0) / 3)
    assert run("innovation").score == 0.0  # no patents declared: a known zero


def test_response_rate():
    assert run("response_rate", Candidate(supplier(response_rate=Decimal(80)), product())).score == 0.8
    assert run("response_rate").score is None


def test_response_time_on_a_log_scale():
    fast = run("response_time", Candidate(supplier(median_response_minutes=30), product()))
    assert fast.score == 1.0 and fast.provenance == PLATFORM_DERIVED
    assert run("response_time", Candidate(supplier(median_response_minutes=2880), product())).score == 0.0
    middle = run("response_time", Candidate(supplier(median_response_minutes=360), product())).score
    assert 0.3 < middle < 0.7
    assert run("response_time").score is None


def test_on_time_delivery():
    assert run("on_time_delivery", Candidate(supplier(on_time_delivery_rate=Decimal(95)), product())).score == 0.95
    assert run("on_time_delivery").score is None


def test_dispute_rate_lower_is_better():
    assert run("dispute_rate", Candidate(supplier(dispute_rate=Decimal(0)), product())).score == 1.0
    assert run("dispute_rate", Candidate(supplier(dispute_rate=Decimal(5)), product())).score == 0.5
    assert run("dispute_rate", Candidate(supplier(dispute_rate=Decimal(20)), product())).score == 0.0
    assert run("dispute_rate").score is None


def test_ratings_shrink_low_counts():
    few = run("ratings", Candidate(supplier(rating_average=Decimal(5), rating_count=1), product())).score
    many = run("ratings", Candidate(supplier(rating_average=Decimal("4.8"), rating_count=200), product())).score
    assert many > few
    assert few == approx(((5 + 3.5 * 5) / 6 - 1) / 4)
    assert run("ratings").score is None


def test_repeat_buyers():
    assert run("repeat_buyers", Candidate(supplier(repeat_buyer_rate=Decimal(25)), product())).score == 0.5
    assert run("repeat_buyers").score is None


def test_leaderboard_standing_and_category_badge():
    ranked = Candidate(supplier(leaderboard_standing=0.6), product())
    assert run("leaderboard", ranked).score == approx(0.6)
    badge = Badge("top_factories", "Top factories", 10, "Power Tools", 3)
    badged = Candidate(supplier(leaderboard_standing=0.6, badges=[badge]), product())
    dim = run("leaderboard", badged)
    assert dim.score == approx(0.9)
    assert "#3" in dim.value
    assert run("leaderboard").score is None


def test_order_protection_is_never_called_trade_assurance():
    on = run("order_protection", Candidate(supplier(trade_assurance=True), product()))
    assert on.score == 1.0 and on.label == "Order protection"
    assert run("order_protection").score == 0.0
    assert "Trade Assurance" not in str(REGISTRY["order_protection"].label)


def test_combine_excludes_unknown_and_not_applicable_and_shrinks_low_coverage():
    full = [
        Dimension("price", "Price", "", 1.0, SELF_DECLARED, "."),
        Dimension("relevance", "Match", "", 1.0, COMPUTED, "."),
        Dimension("samples", "Samples", "", None, UNKNOWN, ".", applicable=False),
    ]
    score, coverage, mean = combine(full)
    assert (score, coverage, mean) == (1.0, 1.0, 1.0)
    partial = [*full, Dimension("on_time_delivery", "OTD", "", None, UNKNOWN, ".")]
    weights = config()["weights"]
    known = weights["price"] + weights["relevance"]
    score, coverage, mean = combine(partial)
    assert coverage == approx(known / (known + weights["on_time_delivery"]))
    assert mean == 1.0  # unknown does not drag the mean to zero ...
    assert score == 1.0  # ... and above full_trust_coverage it does not shrink
    sparse = [
        Dimension("price", "Price", "", 1.0, SELF_DECLARED, "."),
        Dimension("relevance", "M", "", None, UNKNOWN, "."),
    ]
    score, coverage, _mean = combine(sparse)
    trust = coverage / config()["coverage"]["full_trust_coverage"]
    assert score == approx(trust * 1.0 + (1 - trust) * 0.5)  # pulled toward neutral, not zeroed
    assert combine([])[0] == 0.5
