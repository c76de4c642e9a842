"""Bad input is refused with a clear message and changes nothing: budgets, bids, keywords, competitors' names,
products of another supplier, headlines with markup."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ads import services
from ads.models import AdCampaign, AdKeyword, AdNegativeKeyword, AdPromotedProduct

pytestmark = pytest.mark.django_db


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"daily_budget": "-5"}, "greater than or equal to 1.00"),
        ({"daily_budget": "0"}, "greater than or equal to 1.00"),
        ({"daily_budget": "1e9"}, "less than or equal to 100000"),
        ({"daily_budget": "lots"}, "Enter an amount"),
        ({"daily_budget": "NaN"}, "Enter an amount"),
        ({"target_cost_per_inquiry": "0"}, "greater than or equal to 0.10"),
        ({"bid_ceiling": "30", "daily_budget": "20"}, "cannot be more than the daily budget"),
        ({"bid_floor": "3", "bid_ceiling": "2"}, "cannot be above the highest bid"),
        ({"bid_floor": "0.01"}, "greater than or equal to 0.05"),
        ({"ends_on": datetime.date(2020, 1, 1)}, "cannot end before it starts"),
        ({"start_hour": 18, "end_hour": 9}, "at least one hour"),
    ],
)
def test_bad_campaign_settings_are_refused(supplier_a, fields, message):
    base = {"name": "Spring", "daily_budget": "20", "target_cost_per_inquiry": "5", "starts_on": timezone.localdate()}
    with pytest.raises(ValidationError) as error:
        services.campaign_create(supplier=supplier_a, **{**base, **fields})
    assert message in _errors(error.value)
    assert not AdCampaign.objects.exists()


def test_a_lower_budget_applies_today_but_never_below_todays_spend(market):
    from decimal import Decimal

    from ads.models import AdCampaignDay

    campaign = market["campaigns"]["a"]
    day = AdCampaignDay.objects.create(campaign=campaign, day=timezone.localdate(), budget=20, spend=Decimal("7.50"))
    services.campaign_update(campaign=campaign, daily_budget="5.00", bid_ceiling="1.00")
    day.refresh_from_db()
    assert day.budget == Decimal("7.50")  # spent money is not un-spent; no more clicks today
    assert campaign.keywords.get().bid == Decimal("1.00")  # bids above the new ceiling came down to it


@pytest.mark.parametrize(
    ("bid", "message"),
    [
        ("-1", "lowest bid is 0.05"),
        ("0", "lowest bid is 0.05"),
        ("0.01", "lowest bid is 0.05"),
        ("5000", "highest bid is 50.00"),
        ("abc", "Enter an amount"),
        ("Infinity", "Enter an amount"),
        ("6.00", "highest bid is 5.00; raise it first"),
    ],
)
def test_bad_bids_are_refused(market, bid, message):
    campaign = market["campaigns"]["a"]
    with pytest.raises(ValidationError) as error:
        services.keyword_add(campaign=campaign, text="brushless drill", bid=bid)
    assert message in _errors(error.value)
    assert campaign.keywords.count() == 1


def test_a_bid_above_the_daily_budget_is_refused(market):
    campaign = services.campaign_update(campaign=market["campaigns"]["a"], daily_budget="3", bid_ceiling="3")
    campaign.bid_ceiling = 50  # as if the ceiling check were bypassed: the budget still bounds a bid
    with pytest.raises(ValidationError, match="more than the campaign's daily budget"):
        services.keyword_add(campaign=campaign, text="brushless drill", bid="4")


def test_duplicates_and_same_meaning_keywords_are_refused(market):
    campaign = market["campaigns"]["a"]
    for text in ("cordless drill", "  Cordless   DRILL ", "cordless drills", "<b>cordless drill</b>"):
        with pytest.raises(ValidationError, match="already has this keyword"):
            services.keyword_add(campaign=campaign, text=text, bid="1")
    # The same words in another match type are another keyword.
    services.keyword_add(campaign=campaign, text="cordless drill", bid="1", match_type="exact")
    assert campaign.keywords.count() == 2


def test_hundreds_of_near_duplicates_in_bulk_add_each_one_once(market, settings):
    settings.ADS_MAX_KEYWORDS_PER_CAMPAIGN = 10
    campaign = market["campaigns"]["a"]
    lines = ["brushless drill", "Brushless Drill", "brushless drills", ""] * 50 + [
        f"drill model {n}" for n in range(20)
    ]
    report = services.keywords_add_bulk(campaign=campaign, lines=lines, bid="1.00", language="en", match_type="broad")
    added = [row for row in report if row["added"]]
    assert len(added) == 9 and campaign.keywords.count() == 10  # the cap, with the fixture's keyword
    assert any("already has this keyword" in row["error"] for row in report)
    assert any("at most 10 keywords" in row["error"] for row in report)


def test_empty_junk_and_long_keywords_are_refused(market):
    campaign = market["campaigns"]["a"]
    for text, message in (
        ("", "Enter a keyword"),
        ("   ", "Enter a keyword"),
        ("x" * 81, "at most 80"),
        ("!!! ??", "no words"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.keyword_add(campaign=campaign, text=text, bid="1")
    with pytest.raises(ValidationError, match="exact, phrase or broad"):
        services.keyword_add(campaign=campaign, text="drill", bid="1", match_type="fuzzy")


def test_keywords_naming_a_competitor_are_refused(market):
    campaign = market["campaigns"]["a"]
    for text in ("jinhua boreal drill", "Boreal Power cordless", "wenling cobalt", "Jinhua-Boreal drills"):
        with pytest.raises(ValidationError, match="cannot name another supplier"):
            services.keyword_add(campaign=campaign, text=text, bid="1")
    # The advertiser's own name is fine, and so are generic words competitors' names contain.
    services.keyword_add(campaign=campaign, text="aurora tools drill", bid="1")
    services.keyword_add(campaign=campaign, text="power tools", bid="1")
    assert AdKeyword.objects.filter(campaign=campaign).count() == 3


def test_only_own_published_products_can_be_promoted(market):
    campaign = market["campaigns"]["a"]
    with pytest.raises(ValidationError, match="Only your own products"):
        services.promoted_product_add(campaign=campaign, product=market["products"]["b"])
    assert not AdPromotedProduct.objects.filter(campaign=campaign, product=market["products"]["b"]).exists()


def test_negative_keywords_are_exact_or_phrase_and_unique(market):
    campaign = market["campaigns"]["a"]
    services.negative_keyword_add(campaign=campaign, text="used")
    with pytest.raises(ValidationError, match="already there"):
        services.negative_keyword_add(campaign=campaign, text="Used")
    with pytest.raises(ValidationError, match="exact or phrase"):
        services.negative_keyword_add(campaign=campaign, text="cheap", match_type="broad")
    assert AdNegativeKeyword.objects.filter(campaign=campaign).count() == 1


def test_headlines_are_plain_text(market):
    promoted = market["campaigns"]["a"].promoted.get()
    for text in ('<script>alert("x")</script>Best drill', "<b>Bold</b> drill", "x" * 91, "   "):
        with pytest.raises(ValidationError):
            services.headline_edit_apply(promoted=promoted, language="en", text=text)
    promoted.refresh_from_db()
    assert promoted.headlines == {}
    services.headline_edit_apply(promoted=promoted, language="de", text="Akku-Bohrschrauber 18 V · ab 100 Stück")
    promoted.refresh_from_db()
    assert promoted.headlines == {"de": "Akku-Bohrschrauber 18 V · ab 100 Stück"}
