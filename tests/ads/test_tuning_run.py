"""The nightly tuning run over the database (ads.services.campaign_tune, ads.tasks): recommendations with reasons
from real figures, idempotent per campaign and day, a failed run changes nothing, auto-apply within limits, and
the seller applying some, all or none."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ads import services, tuning
from ads.models import (
    AdCampaignDay,
    AdKeyword,
    AdRecommendation,
    AdStat,
    AdTuningRun,
    KeywordState,
    RecommendationKind,
    RecommendationState,
    TuningRunState,
)
from ads.tasks import ads_campaign_tune_task, ads_tune_all_task

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _history(campaign, keyword, *, days=30, impressions=300, clicks=8, cpc="0.60", conversions_every=3, terms=None):
    """Daily figures for `keyword`: the main search term converts every few days; extra terms as given."""
    for offset in range(1, days + 1):
        day = TODAY - datetime.timedelta(days=offset)
        spend = Decimal(cpc) * clicks
        AdStat.objects.create(
            campaign=campaign,
            keyword=keyword,
            day=day,
            search_term=keyword.text,
            language="en",
            impressions=impressions,
            clicks=clicks,
            spend=spend,
            conversions=1 if conversions_every and offset % conversions_every == 0 else 0,
        )
        for term, (t_clicks, t_conversions) in (terms or {}).items():
            AdStat.objects.create(
                campaign=campaign,
                keyword=keyword,
                day=day,
                search_term=term,
                language="en",
                impressions=50,
                clicks=t_clicks,
                spend=Decimal(cpc) * t_clicks,
                conversions=t_conversions,
            )
        AdCampaignDay.objects.update_or_create(
            campaign=campaign,
            day=day,
            defaults={"budget": campaign.daily_budget, "spend": min(campaign.daily_budget, spend)},
        )


@pytest.fixture
def tuned_market(market):
    campaign = market["campaigns"]["a"]
    keyword = campaign.keywords.get()
    _history(
        campaign,
        keyword,
        terms={
            # Converting buyer wording that is not a keyword yet: harvest it.
            "18v brushless cordless drill": (1, 1),
            # Clicked again and again, never an inquiry: a negative keyword.
            "cordless drill toy": (1, 0),
        },
    )
    wasteful = services.keyword_add(campaign=campaign, text="drill driver", bid="1.50")
    _history(campaign, wasteful, clicks=3, cpc="1.20", conversions_every=0)
    return market


def test_a_run_records_recommendations_with_reasons_and_evidence(tuned_market):
    campaign = tuned_market["campaigns"]["a"]
    run = services.campaign_tune(campaign_id=campaign.pk, day=TODAY)
    assert run.state == TuningRunState.DONE and run.error == ""
    assert run.inputs["keywords"] == 2 and run.inputs["clicks"] > 0
    recs = {(r.kind, r.text): r for r in run.recommendations.all()}
    kinds = {kind for kind, _text in recs}
    assert RecommendationKind.PAUSE in kinds  # "drill driver": 90 clicks, no inquiry
    assert (RecommendationKind.NEGATIVE, "cordless drill toy") in recs
    assert (RecommendationKind.HARVEST, "18v brushless cordless drill") in recs
    assert (RecommendationKind.HEADLINE, recs[next(k for k in recs if k[0] == "headline")].text) in recs
    for rec in recs.values():
        assert rec.reason and rec.state == RecommendationState.PENDING
    pause = next(r for r in recs.values() if r.kind == RecommendationKind.PAUSE)
    assert pause.keyword.text == "drill driver" and pause.evidence["clicks"] == 90


def test_a_run_is_idempotent_per_campaign_and_day(tuned_market):
    campaign = tuned_market["campaigns"]["a"]
    first = services.campaign_tune(campaign_id=campaign.pk, day=TODAY)
    count = AdRecommendation.objects.count()
    again = ads_campaign_tune_task.delay(campaign.pk, TODAY.isoformat()).get()
    assert again["run_id"] == first.pk
    assert AdRecommendation.objects.count() == count
    assert AdTuningRun.objects.filter(campaign=campaign).count() == 1


def test_a_failed_run_changes_nothing_and_says_why(tuned_market, monkeypatch):
    campaign = tuned_market["campaigns"]["a"]
    campaign.auto_apply = True
    campaign.save()
    bids = dict(AdKeyword.objects.values_list("pk", "bid"))

    def broken(inputs):
        raise ArithmeticError("the tuner met figures it cannot use")

    monkeypatch.setattr(tuning, "tune", broken)
    with pytest.raises(ArithmeticError):
        services.campaign_tune(campaign_id=campaign.pk, day=TODAY)
    run = AdTuningRun.objects.get(campaign=campaign)
    assert run.state == TuningRunState.FAILED and "cannot use" in run.error
    assert not AdRecommendation.objects.exists()
    assert dict(AdKeyword.objects.values_list("pk", "bid")) == bids
    campaign.refresh_from_db()
    assert campaign.tuning_lambda == 1.0

    monkeypatch.undo()
    retried = services.campaign_tune(campaign_id=campaign.pk, day=TODAY)
    assert retried.pk == run.pk and retried.state == TuningRunState.DONE


def test_auto_apply_changes_bids_within_the_campaigns_limits(tuned_market):
    campaign = services.campaign_update(campaign=tuned_market["campaigns"]["a"], auto_apply=True, bid_ceiling="3.00")
    # Far from what its figures are worth (about 1.1 a click at this target), so the tuner must move it.
    services.keyword_update(keyword=campaign.keywords.get(text="cordless drill"), bid="2.80")
    run = services.campaign_tune(campaign_id=campaign.pk, day=TODAY)
    bid_recs = run.recommendations.filter(kind__in=[RecommendationKind.RAISE_BID, RecommendationKind.LOWER_BID])
    assert bid_recs.exists()
    for rec in bid_recs:
        assert rec.state == RecommendationState.APPLIED and rec.decided_by is None
        rec.keyword.refresh_from_db()
        assert campaign.bid_floor <= rec.keyword.bid <= campaign.bid_ceiling
        assert rec.keyword.bid == min(rec.proposed_bid, campaign.bid_ceiling)
    # Only bids are automatic: pauses, negatives and new keywords wait for the seller.
    assert run.recommendations.exclude(kind__in=["raise_bid", "lower_bid"]).filter(state="applied").count() == 0


def test_the_seller_applies_some_and_dismisses_the_rest(tuned_market, seller_a):
    campaign = tuned_market["campaigns"]["a"]
    run = services.campaign_tune(campaign_id=campaign.pk, day=TODAY)
    pause = run.recommendations.get(kind=RecommendationKind.PAUSE)
    harvest = run.recommendations.get(kind=RecommendationKind.HARVEST)
    negative = run.recommendations.get(kind=RecommendationKind.NEGATIVE)
    headline = run.recommendations.filter(kind=RecommendationKind.HEADLINE).first()
    for rec in (pause, harvest, negative, headline):
        services.recommendation_apply(recommendation=rec, user=seller_a)
    assert AdKeyword.objects.get(campaign=campaign, text="drill driver").state == KeywordState.PAUSED
    added = AdKeyword.objects.get(campaign=campaign, text="18v brushless cordless drill")
    assert added.match_type == "exact" and campaign.bid_floor <= added.bid <= campaign.bid_ceiling
    assert campaign.negative_keywords.filter(text="cordless drill toy", match_type="exact").exists()
    promoted = campaign.promoted.get()
    assert promoted.headlines[headline.language] == headline.text
    with pytest.raises(ValidationError, match="already"):
        services.recommendation_apply(recommendation=pause, user=seller_a)
    rest = run.recommendations.filter(state=RecommendationState.PENDING)
    for rec in rest:
        services.recommendation_dismiss(recommendation=rec, user=seller_a)
    assert not run.recommendations.filter(state=RecommendationState.PENDING).exists()


def test_a_new_run_replaces_advice_still_waiting(tuned_market):
    campaign = tuned_market["campaigns"]["a"]
    yesterday = services.campaign_tune(campaign_id=campaign.pk, day=TODAY - datetime.timedelta(days=1))
    services.campaign_tune(campaign_id=campaign.pk, day=TODAY)
    assert not yesterday.recommendations.exclude(kind="headline").filter(state="pending").exists()


def test_a_campaign_without_any_figures_still_gets_a_sensible_run(market):
    campaign = market["campaigns"]["b"]
    run = services.campaign_tune(campaign_id=campaign.pk, day=TODAY)
    assert run.state == TuningRunState.DONE
    for rec in run.recommendations.filter(kind__in=["raise_bid", "lower_bid"]):
        assert campaign.bid_floor <= rec.proposed_bid <= campaign.bid_ceiling
        assert abs(rec.proposed_bid - rec.current_bid) <= rec.current_bid * Decimal("0.30") + Decimal("0.01")


def test_the_nightly_fan_out_tunes_every_active_campaign(market):
    services.campaign_update(campaign=market["campaigns"]["c"], state="paused")
    assert ads_tune_all_task.delay(TODAY.isoformat()).get() == 2
    assert set(AdTuningRun.objects.values_list("campaign__name", flat=True)) == {"Drills A", "Drills B"}


def test_reasons_show_in_the_sellers_language_and_the_english_text_stays(tuned_market):
    from django.utils import translation

    from ads.reasons import reason_in_language

    campaign = tuned_market["campaigns"]["a"]
    run = services.campaign_tune(campaign_id=campaign.pk, day=TODAY)
    recs = list(run.recommendations.all())
    assert {r.kind for r in recs} >= {"pause", "negative", "harvest", "headline"}
    with translation.override("zh-hans"):
        for rec in recs:
            chinese = reason_in_language(rec, currency="USD")
            assert chinese != rec.reason and any("\u4e00" <= ch <= "\u9fff" for ch in chinese), rec.kind
            assert rec.text in chinese or rec.kind == "headline"
    with translation.override("en"):
        assert all(reason_in_language(rec, currency="USD") == rec.reason for rec in recs)
    # Evidence without the numbers a sentence needs: the recorded text, never an error.
    rec = recs[0]
    rec.evidence = {}
    with translation.override("zh-hans"):
        assert reason_in_language(rec, currency="USD") == rec.reason
