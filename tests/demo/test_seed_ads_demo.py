"""seed_ads_demo gives a dozen demo suppliers a keyword campaign through the ads services, with 30 days of coherent
figures (spend within budget, clicks behind the last days' figures), recommendations waiting, sponsored results on
the search page, and never duplicates on re-run."""

import io
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from ads.models import (
    AdCampaign,
    AdCampaignDay,
    AdClick,
    AdKeyword,
    AdNegativeKeyword,
    AdPromotedProduct,
    AdRecommendation,
    AdStat,
    AdTuningRun,
    KeywordState,
    MatchType,
    RecommendationKind,
    RecommendationState,
    TuningRunState,
)

pytestmark = pytest.mark.django_db


def counts():
    return {
        "campaigns": AdCampaign.objects.count(),
        "keywords": AdKeyword.objects.count(),
        "negatives": AdNegativeKeyword.objects.count(),
        "promoted": AdPromotedProduct.objects.count(),
        "stats": AdStat.objects.count(),
        "days": AdCampaignDay.objects.count(),
        "clicks": AdClick.objects.count(),
        "runs": AdTuningRun.objects.count(),
        "recommendations": AdRecommendation.objects.count(),
    }


def test_seed_ads_demo_campaigns_figures_recommendations_sponsored_results_and_idempotent(client):
    """One seed (the catalog takes most of the time), checked part by part."""
    call_command("seed_demo", "--suppliers", "40", "--products", "160", "--seed", "7", stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_ads_demo", stdout=out)
    check_campaigns_set_up_as_sellers_would(out.getvalue())
    check_thirty_days_of_coherent_figures()
    check_the_last_days_clicks_are_behind_their_figures()
    check_recommendations_wait_for_the_sellers()
    check_a_keyword_search_shows_a_sponsored_result(client)
    check_idempotent_and_reset()


def check_campaigns_set_up_as_sellers_would(seeded):
    campaigns = list(AdCampaign.objects.select_related("supplier"))
    assert len(campaigns) >= 8
    assert len({c.supplier_id for c in campaigns}) == len(campaigns)
    first = AdCampaign.objects.get(supplier__slug="demo-00000")
    assert "seller-00000@demo.silkway.test" in seeded and first.name in seeded
    assert AdCampaign.objects.filter(auto_apply=True).count() == 1
    for campaign in campaigns:
        promoted = list(campaign.promoted.select_related("product"))
        assert 1 <= len(promoted) <= 5
        assert all(p.product.supplier_id == campaign.supplier_id and p.product.is_published for p in promoted)
        keywords = list(campaign.keywords.all())
        assert 6 <= len(keywords) <= 20
        assert "en" in {k.language for k in keywords} and len({k.language for k in keywords}) >= 2
        assert all(campaign.bid_floor <= k.bid <= campaign.bid_ceiling for k in keywords)
        assert campaign.negative_keywords.exists()
        assert campaign.starts_on <= timezone.localdate() - timedelta(days=30)
    assert AdKeyword.objects.filter(match_type=MatchType.EXACT).exists()
    assert AdKeyword.objects.filter(match_type=MatchType.BROAD).exists()


def check_thirty_days_of_coherent_figures():
    today = timezone.localdate()
    stats = AdStat.objects.all()
    campaigns = list(AdCampaign.objects.all())
    assert campaigns
    for campaign in campaigns:
        days = set(campaign.stats.values_list("day", flat=True))
        assert days == {today - timedelta(days=n) for n in range(1, 31)}
        spend_by_day = dict(campaign.stats.values_list("day").annotate(spend=Sum("spend")))
        rows = list(campaign.days.all())
        assert len(rows) == 30
        for row in rows:
            assert row.spend == spend_by_day[row.day]
            assert 0 <= row.spend <= row.budget == campaign.daily_budget
    totals = stats.aggregate(impressions=Sum("impressions"), clicks=Sum("clicks"), conversions=Sum("conversions"))
    assert 0.01 <= totals["clicks"] / totals["impressions"] <= 0.05
    assert 0.03 <= totals["conversions"] / totals["clicks"] <= 0.15
    assert not stats.filter(clicks__gt=0, spend=0).exists()
    assert not stats.filter(impressions__lt=0).exists() and all(s.clicks <= s.impressions for s in stats)

    # Waste the tuner should find: keywords with many clicks and no inquiry at all, searches likewise.
    by_keyword = stats.values("keyword").annotate(clicks=Sum("clicks"), conversions=Sum("conversions"))
    assert any(row["clicks"] >= 15 and row["conversions"] == 0 for row in by_keyword)
    # Converting searches that are not keywords yet.
    keywords = {(k.campaign_id, k.text.lower()) for k in AdKeyword.objects.all()}
    terms = stats.values("campaign", "search_term").annotate(conversions=Sum("conversions"))
    assert any(r["conversions"] >= 2 and (r["campaign"], r["search_term"]) not in keywords for r in terms)


def check_the_last_days_clicks_are_behind_their_figures():
    clicks = AdClick.objects.all()
    billed = defaultdict(lambda: [0, Decimal("0")])
    assert clicks.exists()
    for click in clicks.filter(not_billed=""):
        row = billed[(click.keyword_id, timezone.localdate(click.clicked_at), click.search_term)]
        row[0] += 1
        row[1] += click.cost
    days = {day for _k, day, _t in billed}
    assert days == {timezone.localdate() - timedelta(days=n) for n in (1, 2)}
    figures = {(s.keyword_id, s.day, s.search_term): [s.clicks, s.spend] for s in AdStat.objects.filter(day__in=days)}
    assert {key: value for key, value in figures.items() if value[0]} == dict(billed)
    unbilled = clicks.exclude(not_billed="")
    assert {AdClick.NotBilled.REPEAT, AdClick.NotBilled.BOT} <= set(unbilled.values_list("not_billed", flat=True))
    assert not unbilled.exclude(cost=0).exists()
    assert clicks.values("nonce").distinct().count() == clicks.count()


def check_recommendations_wait_for_the_sellers():
    assert AdTuningRun.objects.count() == AdCampaign.objects.count()
    assert not AdTuningRun.objects.exclude(state=TuningRunState.DONE).exists()
    assert set(AdTuningRun.objects.values_list("day", flat=True)) == {timezone.localdate()}
    pending = AdRecommendation.objects.filter(state=RecommendationState.PENDING)
    kinds = set(pending.values_list("kind", flat=True))
    assert {RecommendationKind.PAUSE, RecommendationKind.NEGATIVE, RecommendationKind.HARVEST} <= kinds
    assert {RecommendationKind.HEADLINE} <= kinds
    assert kinds & {RecommendationKind.RAISE_BID, RecommendationKind.LOWER_BID}
    assert pending.filter(run__campaign__supplier__slug="demo-00000").exists()
    # The auto-apply campaign's bid changes are applied already, nothing else is.
    applied = AdRecommendation.objects.filter(state=RecommendationState.APPLIED)
    assert set(applied.values_list("run__campaign__auto_apply", flat=True)) <= {True}
    assert set(applied.values_list("kind", flat=True)) <= {RecommendationKind.RAISE_BID, RecommendationKind.LOWER_BID}


def check_a_keyword_search_shows_a_sponsored_result(client):
    campaign = AdCampaign.objects.get(supplier__slug="demo-00000")
    english = campaign.keywords.filter(language="en", state=KeywordState.ACTIVE).order_by("pk")
    keyword = english.filter(match_type=MatchType.EXACT).first() or english.first()
    assert keyword is not None
    response = client.get("/search/", {"q": keyword.text})
    assert response.status_code == 200
    assert 'data-sponsored="1"' in response.content.decode()
    promoted = set(campaign.promoted.values_list("product_id", flat=True))
    shown = {ad["product_id"] for ad in response.context["sponsored_top"] + response.context["sponsored_inline"]}
    assert shown & promoted


def check_idempotent_and_reset():
    first = counts()
    again = io.StringIO()
    call_command("seed_ads_demo", stdout=again)
    assert counts() == first
    assert "0 campaigns created" in again.getvalue()

    names = set(AdCampaign.objects.values_list("supplier__slug", "name"))
    reset = io.StringIO()
    call_command("seed_ads_demo", "--reset", stdout=reset)
    assert set(AdCampaign.objects.values_list("supplier__slug", "name")) == names
    assert counts()["campaigns"] == first["campaigns"] and counts()["days"] == first["days"]
