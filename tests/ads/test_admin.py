"""The ads screens of both admin sites: a seller sets up a campaign, adds keywords in bulk (with a report per line
and suggestions in several languages), edits bids and states, manages negatives and promoted products, reads the
charts and tables, applies some recommendations (a headline edited first) and tunes now; bad input changes nothing
and says why; the pages run a bounded number of queries. Operators see every campaign read-only, pause or tune it,
read the revenue and click-pattern report, and cannot add or edit the money records."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from ads import selectors, services
from ads.models import (
    AdCampaign,
    AdCampaignDay,
    AdClick,
    AdPromotedProduct,
    AdRecommendation,
    AdStat,
    AdTuningRun,
    CampaignState,
    KeywordState,
    MatchType,
    RecommendationKind,
    RecommendationState,
    TuningRunState,
)
from marketplace.models import ProductStatus, ProductTranslation
from search.models import SearchLog
from tests.factories import CategoryFactory, MembershipFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ADD_URL = "seller:ads_adcampaign_add"
LIST_URL = "seller:ads_adcampaign_changelist"


@pytest.fixture(autouse=True)
def _offline_ai(settings):
    # Headline suggestions come from the AI layer's offline rules.
    settings.AI_PROVIDER = "offline"
    settings.OPENAI_API_KEY = ""


def page_url(campaign):
    return reverse("seller:ads_adcampaign_change", args=[campaign.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def campaign_post(**overrides) -> dict:
    data = {
        "name": "Drills spring",
        "daily_budget": "20.00",
        "target_cost_per_inquiry": "8.00",
        "bid_floor": "0.10",
        "bid_ceiling": "3.00",
        "starts_on": TODAY.isoformat(),
        "ends_on": "",
        "start_hour": "0",
        "end_hour": "24",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def shop(supplier_a, supplier_b):
    """Supplier A with two published drills (one translated) and a draft; B with a kettle; a campaign each."""
    tools = CategoryFactory(
        slug="power-tools", name="Power Tools", names={"de": "Elektrowerkzeuge", "zh-hans": "电动工具"}
    )
    drill = ProductFactory(supplier=supplier_a, category=tools, title="Cordless Drill 18V", keywords="drill driver")
    ProductTranslation.objects.create(
        product=drill, language="de", title="Akku-Bohrschrauber 18V", keywords="akkuschrauber, bohrmaschine"
    )
    impact = ProductFactory(supplier=supplier_a, category=tools, title="Impact Driver 20V", keywords="impact driver")
    draft = ProductFactory(supplier=supplier_a, category=tools, title="Draft Saw", status=ProductStatus.DRAFT)
    kettle = ProductFactory(supplier=supplier_b, category=CategoryFactory(), title="Electric Kettle 1.7L")
    campaign_a = services.campaign_create(
        supplier=supplier_a, name="Drills A", daily_budget="20.00", target_cost_per_inquiry="8.00"
    )
    services.promoted_product_add(campaign=campaign_a, product=drill)
    keyword = services.keyword_add(campaign=campaign_a, text="cordless drill", bid="1.20")
    campaign_b = services.campaign_create(
        supplier=supplier_b, name="Kettles B", daily_budget="15.00", target_cost_per_inquiry="6.00"
    )
    services.promoted_product_add(campaign=campaign_b, product=kettle)
    keyword_b = services.keyword_add(campaign=campaign_b, text="electric kettle", bid="0.90")
    return {
        "a": campaign_a,
        "b": campaign_b,
        "drill": drill,
        "impact": impact,
        "draft": draft,
        "kettle": kettle,
        "keyword": keyword,
        "keyword_b": keyword_b,
        "category": tools,
    }


def add_stats(campaign, keyword, *, days=5, term=None, impressions=200, clicks=6, spend="4.80", conversions=1):
    for offset in range(days):
        AdStat.objects.create(
            campaign=campaign,
            keyword=keyword,
            day=TODAY - datetime.timedelta(days=offset),
            search_term=term or keyword.text,
            language="en",
            impressions=impressions,
            clicks=clicks,
            spend=Decimal(spend),
            conversions=conversions,
        )


def make_run(campaign, *, day=TODAY, state=TuningRunState.DONE, **inputs):
    return AdTuningRun.objects.create(campaign=campaign, day=day, state=state, inputs=inputs)


def make_rec(run, kind, text, **fields):
    fields.setdefault("language", "en")
    fields.setdefault("reason", f"Because of {text}.")
    return AdRecommendation.objects.create(run=run, kind=kind, text=text, **fields)


# --- creating a campaign ------------------------------------------------------------------------------------------


def test_seller_creates_a_campaign_with_its_products(seller_a_client, shop, supplier_a):
    page = seller_a_client.get(reverse(ADD_URL))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Cordless Drill 18V" in html and "Impact Driver 20V" in html
    assert "Draft Saw" not in html and "Electric Kettle" not in html  # drafts and B's products never offered

    response = seller_a_client.post(
        reverse(ADD_URL), campaign_post(products=[shop["drill"].pk, shop["impact"].pk], auto_apply="on")
    )
    campaign = AdCampaign.objects.get(name="Drills spring")
    assert response.status_code == 302 and response.url == page_url(campaign) + "#add-keywords"
    assert campaign.supplier == supplier_a and campaign.auto_apply is True
    assert campaign.daily_budget == Decimal("20.00") and campaign.bid_ceiling == Decimal("3.00")
    assert set(campaign.promoted.values_list("product_id", flat=True)) == {shop["drill"].pk, shop["impact"].pk}
    followed = seller_a_client.get(response.url)
    assert "Campaign “Drills spring” created. Add its keywords next." in messages_of(followed)


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"daily_budget": "0"}, "greater than or equal to 1"),
        ({"daily_budget": "-5"}, "greater than or equal to 1"),
        ({"daily_budget": "lots"}, "Enter a number."),
        ({"bid_floor": "0.01"}, "greater than or equal to 0.05"),
        ({"bid_ceiling": "60"}, "less than or equal to 50"),
        ({"daily_budget": "2.00", "bid_ceiling": "3.00"}, "The highest bid cannot be more than the daily budget."),
        ({"bid_floor": "2.00", "bid_ceiling": "1.00"}, "The lowest bid cannot be above the highest bid."),
        ({"ends_on": (TODAY - datetime.timedelta(days=3)).isoformat()}, "The campaign cannot end before it starts."),
        ({"start_hour": "18", "end_hour": "9"}, "the end hour comes after the start hour"),
        ({"name": ""}, "This field is required."),
    ],
)
def test_bad_budgets_and_bids_are_refused_with_a_message_and_nothing_is_created(
    seller_a_client, shop, overrides, error
):
    before = AdCampaign.objects.count()
    promoted_before = AdPromotedProduct.objects.count()
    response = seller_a_client.post(reverse(ADD_URL), campaign_post(products=[shop["drill"].pk], **overrides))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert any("The campaign was not created" in text for text in messages_of(response))
    assert AdCampaign.objects.count() == before and AdPromotedProduct.objects.count() == promoted_before


def test_settings_change_through_the_service_and_bad_ones_change_nothing(seller_a_client, shop):
    campaign = shop["a"]
    form = seller_a_client.get(page_url(campaign)).context["settings_form"]
    data = {name: form[name].value() for name in form.fields}
    data = {key: value for key, value in data.items() if value is not None and value is not False}
    data = {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in data.items()}

    response = seller_a_client.post(
        page_url(campaign), {**data, "_action": "settings", "daily_budget": "30.00", "state": "paused"}
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.daily_budget == Decimal("30.00") and campaign.state == CampaignState.PAUSED

    response = seller_a_client.post(page_url(campaign), {**data, "_action": "settings", "bid_ceiling": "45.00"})
    assert response.status_code == 200
    assert "The highest bid cannot be more than the daily budget." in response.content.decode()
    assert any(text.startswith("Nothing was saved") for text in messages_of(response))
    campaign.refresh_from_db()
    assert campaign.bid_ceiling == Decimal("5.00") and campaign.daily_budget == Decimal("30.00")


# --- keywords -----------------------------------------------------------------------------------------------------


def test_keywords_added_in_bulk_with_a_report_per_line(seller_a_client, shop):
    campaign = shop["a"]
    lines = "\n".join(
        [
            "impact driver",
            "cordless drill",  # already a keyword
            "Beta Housewares drill",  # another supplier's name
            "impact driver",  # repeated in the paste: reported once
            "",
            "brushless drill 18v",
        ]
    )
    response = seller_a_client.post(
        page_url(campaign),
        {
            "_action": "add_keywords",
            "add-lines": lines,
            "add-bid": "0.80",
            "add-language": "en",
            "add-match_type": "broad",
        },
    )
    assert response.status_code == 200
    report = {row["text"]: row for row in response.context["report"]}
    assert set(report) == {"impact driver", "cordless drill", "Beta Housewares drill", "brushless drill 18v"}
    assert report["impact driver"]["added"] and report["brushless drill 18v"]["added"]
    assert "already has this keyword" in report["cordless drill"]["error"]
    assert "another supplier" in report["Beta Housewares drill"]["error"]
    html = response.content.decode()
    assert 'id="add-report"' in html and "Refused" in html and "Added" in html
    assert "2 added, 2 refused" in " ".join(messages_of(response))
    # The refused lines are typed in again, to correct them.
    assert response.context["add_form"].initial["lines"] == "cordless drill\nBeta Housewares drill"
    assert set(campaign.keywords.values_list("text", flat=True)) == {
        "cordless drill",
        "impact driver",
        "brushless drill 18v",
    }
    assert campaign.keywords.get(text="impact driver").bid == Decimal("0.80")


def test_a_bad_bid_refuses_every_line_and_says_why(seller_a_client, shop):
    campaign = shop["a"]
    response = seller_a_client.post(
        page_url(campaign),
        {
            "_action": "add_keywords",
            "add-lines": "impact driver\nhammer drill",
            "add-bid": "0.01",
            "add-language": "en",
            "add-match_type": "exact",
        },
    )
    assert [row["added"] for row in response.context["report"]] == [False, False]
    assert all("The lowest bid is 0.05" in row["error"] for row in response.context["report"])
    response = seller_a_client.post(
        page_url(campaign),
        {
            "_action": "add_keywords",
            "add-lines": "impact driver",
            "add-bid": "9.00",
            "add-language": "en",
            "add-match_type": "exact",
        },
    )
    assert "highest bid is 5.00" in response.context["report"][0]["error"]
    # Nothing typed and nothing ticked: a form error, nothing added.
    response = seller_a_client.post(
        page_url(campaign),
        {
            "_action": "add_keywords",
            "add-lines": " \n",
            "add-bid": "1.00",
            "add-language": "en",
            "add-match_type": "broad",
        },
    )
    assert "Type keywords" in response.content.decode()
    assert campaign.keywords.count() == 1


def test_keyword_suggestions_come_in_several_languages_from_listing_category_and_searches(seller_a_client, shop):
    campaign = shop["a"]
    SearchLog.objects.create(query="cordless drill 20v", normalized="cordless drill 20v", language="en", result_count=4)
    suggestions = selectors.keyword_suggestions(campaign=campaign)
    by_source = {}
    for text, language, source in suggestions:
        by_source.setdefault(source, set()).add((text, language))
    assert ("akkuschrauber", "de") in by_source["translation"]
    assert ("drill driver", "en") in by_source["product"]
    assert {("Elektrowerkzeuge", "de"), ("电动工具", "zh-hans"), ("Power Tools", "en")} <= by_source["category"]
    assert {language for _text, language, _source in suggestions} >= {"en", "de", "zh-hans"}
    # Never one of the campaign's keywords.
    assert "cordless drill" not in {text for text, _language, _source in suggestions}
    assert len(suggestions) <= 30 and len(selectors.keyword_suggestions(campaign=campaign, limit=3)) == 3

    page = seller_a_client.get(page_url(campaign)).content.decode()
    assert 'value="de|akkuschrauber"' in page and "Deutsch" in page

    response = seller_a_client.post(
        page_url(campaign),
        {
            "_action": "add_keywords",
            "add-lines": "",
            "add-suggestion": ["de|akkuschrauber", "zh-hans|电动工具"],
            "add-bid": "0.70",
            "add-language": "en",
            "add-match_type": "broad",
        },
    )
    assert all(row["added"] for row in response.context["report"])
    assert set(campaign.keywords.values_list("text", "language")) >= {("akkuschrauber", "de"), ("电动工具", "zh-hans")}
    # Once added, a suggestion is no longer suggested.
    assert ("akkuschrauber", "de") not in {
        (t, lang) for t, lang, _s in selectors.keyword_suggestions(campaign=campaign)
    }


def test_the_keyword_table_edits_bids_and_states_all_or_nothing(seller_a_client, shop):
    campaign = shop["a"]
    first = shop["keyword"]
    second = services.keyword_add(campaign=campaign, text="drill driver", bid="0.90")
    add_stats(campaign, first, days=3)
    page = seller_a_client.get(page_url(campaign))
    html = page.content.decode()
    assert f'name="kw-{first.pk}-bid"' in html and f'name="kw-{second.pk}-state"' in html
    row = re.search(r"<th scope=\"row\" lang=\"en\">cordless drill.*?</tr>", html, re.S).group(0)
    assert ">600<" in row and ">18<" in row and "3.0%" in row and "14.40 USD" in row and "4.80 USD" in row

    base = {
        f"kw-{first.pk}-bid": "1.20",
        f"kw-{first.pk}-state": "active",
        f"kw-{second.pk}-bid": "0.90",
        f"kw-{second.pk}-state": "active",
    }
    response = seller_a_client.post(
        page_url(campaign),
        {**base, "_action": "keywords", f"kw-{first.pk}-bid": "1.50", f"kw-{second.pk}-state": "paused"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.bid == Decimal("1.50") and second.state == KeywordState.PAUSED

    # One bad row: nothing changes, the row says why.
    response = seller_a_client.post(
        page_url(campaign),
        {
            **base,
            "_action": "keywords",
            f"kw-{first.pk}-bid": "2.00",
            f"kw-{second.pk}-bid": "7.00",
            f"kw-{second.pk}-state": "paused",
        },
    )
    assert response.status_code == 200
    assert any("“drill driver”" in text and "highest bid is 5.00" in text for text in messages_of(response))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.bid == Decimal("1.50") and second.bid == Decimal("0.90")
    # A bid that is not a number never reaches the service.
    response = seller_a_client.post(page_url(campaign), {**base, "_action": "keywords", f"kw-{first.pk}-bid": "abc"})
    assert response.status_code == 200 and "Enter a number." in response.content.decode()


def test_negative_keywords_are_added_and_deleted(seller_a_client, shop):
    campaign = shop["a"]
    response = seller_a_client.post(
        page_url(campaign), {"_action": "negative_add", "negative-text": "toy drill", "negative-match_type": "phrase"}
    )
    assert response.status_code == 302
    negative = campaign.negative_keywords.get()
    assert negative.text == "toy drill" and negative.match_type == MatchType.PHRASE

    response = seller_a_client.post(
        page_url(campaign), {"_action": "negative_add", "negative-text": "toy drill", "negative-match_type": "phrase"}
    )
    assert response.status_code == 200 and "already there" in response.content.decode()
    response = seller_a_client.post(
        page_url(campaign), {"_action": "negative_add", "negative-text": "toy", "negative-match_type": "broad"}
    )
    assert response.status_code == 200 and campaign.negative_keywords.count() == 1

    assert f'value="{negative.pk}"' in seller_a_client.get(page_url(campaign)).content.decode()
    response = seller_a_client.post(page_url(campaign), {"_action": "negative_delete", "negative_id": [negative.pk]})
    assert response.status_code == 302 and not campaign.negative_keywords.exists()


def test_products_are_promoted_and_stopped(seller_a_client, shop):
    campaign = shop["a"]
    page = seller_a_client.get(page_url(campaign)).content.decode()
    offered = re.search(r'name="promote-products".*?</fieldset>', page, re.S)
    assert offered is not None
    response = seller_a_client.post(
        page_url(campaign), {"_action": "promote_add", "promote-products": [shop["impact"].pk]}
    )
    assert response.status_code == 302
    assert set(campaign.promoted.values_list("product_id", flat=True)) == {shop["drill"].pk, shop["impact"].pk}
    # A draft is not offered: a crafted POST naming it is refused.
    response = seller_a_client.post(
        page_url(campaign), {"_action": "promote_add", "promote-products": [shop["draft"].pk]}
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()

    promoted = campaign.promoted.get(product=shop["impact"])
    response = seller_a_client.post(page_url(campaign), {"_action": "promote_remove", "promoted_id": [promoted.pk]})
    assert response.status_code == 302
    assert list(campaign.promoted.values_list("product_id", flat=True)) == [shop["drill"].pk]


# --- figures ------------------------------------------------------------------------------------------------------


def test_the_campaign_page_has_chart_data_a_table_and_the_search_term_report(seller_a_client, shop):
    campaign = shop["a"]
    add_stats(campaign, shop["keyword"], days=3, impressions=100, clicks=4, spend="3.20", conversions=1)
    add_stats(
        campaign,
        shop["keyword"],
        days=1,
        term="cordless drill 20v",
        impressions=50,
        clicks=2,
        spend="1.60",
        conversions=0,
    )
    AdCampaignDay.objects.create(campaign=campaign, day=TODAY, budget=campaign.daily_budget, spend=Decimal("4.80"))
    response = seller_a_client.get(page_url(campaign))
    html = response.content.decode()

    data = json.loads(re.search(r'<script id="ads-chart-data" type="application/json">(.*?)</script>', html, re.S)[1])
    assert len(data["labels"]) == 30 and data["labels"][-1] == TODAY.isoformat()
    assert data["series"]["impressions"][-1] == 150 and data["series"]["clicks"][-1] == 6
    assert data["series"]["spend"][-1] == 4.8 and data["series"]["conversions"][-1] == 1
    assert data["series"]["cost_per_inquiry"][-1] == 4.8 and data["series"]["cost_per_inquiry"][0] is None
    for series in ("spend", "impressions", "clicks", "conversions", "cost_per_inquiry"):
        assert f'data-chart-series="{series}"' in html

    table = re.search(r'<table class="ads-table" id="daily-figures">.*?</table>', html, re.S)[0]
    today_row = re.search(rf"<tr><td>{TODAY.isoformat()}</td>.*?</tr>", table, re.S)[0]
    assert re.findall(r"<td[^>]*>(.*?)</td>", today_row) == [
        TODAY.isoformat(),
        "150",
        "6",
        "4.0%",
        "4.80 USD",
        "1",
        "4.80 USD",
    ]
    assert "<tfoot>" in table and "11.20 USD" in table  # 30-day totals: 3.20 × 3 + 1.60

    terms = {row["search_term"]: row for row in response.context["search_terms"]}
    assert terms["cordless drill"]["clicks"] == 12 and terms["cordless drill 20v"]["keyword__text"] == "cordless drill"
    assert 'id="search-term-table"' in html and "cordless drill 20v" in html
    assert "4.80 USD" in re.search(r'<dl class="ads-summary">.*?</dl>', html, re.S)[0]  # spent today

    # The charts are drawn by our static files (no CDN, no inline script: the Content-Security-Policy forbids it).
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts)
    assert "/static/vendor/chart.js/chart.umd.min.js" in html and "/static/core/charts.js" in html
    assert finders.find("vendor/chart.js/chart.umd.min.js") and finders.find("core/charts.js")
    assert finders.find("vendor/chart.js/LICENSE.md") and finders.find("ads/admin.css")
    assert "//cdn" not in html and "https://cdn" not in html


def test_the_campaign_list_shows_today_and_30_day_figures(seller_a_client, shop):
    campaign = shop["a"]
    add_stats(campaign, shop["keyword"], days=4, clicks=5, spend="2.50", conversions=1)
    AdStat.objects.create(
        campaign=campaign,
        keyword=shop["keyword"],
        day=TODAY - datetime.timedelta(days=31),
        search_term="old",
        language="en",
        clicks=100,
        spend=Decimal("50"),
    )  # older than 30 days: not counted
    AdCampaignDay.objects.create(campaign=campaign, day=TODAY, budget=campaign.daily_budget, spend=Decimal("2.50"))
    response = seller_a_client.get(reverse(LIST_URL))
    row = re.search(r"<tr>.*?Drills A.*?</tr>", response.content.decode(), re.S)[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert cells[-7:] == ["Active", "20.00 USD", "2.50 USD", "20", "4", "10.00 USD", "2.50 USD"]


def test_pages_run_a_bounded_number_of_queries(seller_a_client, supplier_a, shop, django_assert_max_num_queries):
    def grow(count):
        for n in range(count):
            campaign = services.campaign_create(
                supplier=supplier_a,
                name=f"Extra {AdCampaign.objects.count()}",
                daily_budget="10",
                target_cost_per_inquiry="5",
            )
            services.promoted_product_add(campaign=campaign, product=shop["impact"])
            keyword = services.keyword_add(campaign=campaign, text=f"impact driver {n}", bid="0.50")
            add_stats(campaign, keyword, days=2)
        page = shop["a"]
        for n in range(count):
            keyword = services.keyword_add(campaign=page, text=f"drill model {n} {count}", bid="0.60")
            add_stats(page, keyword, days=2, term=f"drill model {n} {count} buyers")
            services.negative_keyword_add(campaign=page, text=f"toy {n} {count}")
        run = make_run(page, day=TODAY - datetime.timedelta(days=count))
        for n in range(count):
            make_rec(run, RecommendationKind.EXPAND, f"hammer drill {n} {count}", proposed_bid=Decimal("0.50"))
        make_rec(run, RecommendationKind.HEADLINE, "Cordless Drill 18V · MOQ 100", promoted=page.promoted.get())

    for size in (2, 8):
        grow(size)
        with django_assert_max_num_queries(10):
            assert seller_a_client.get(reverse(LIST_URL)).status_code == 200
        with django_assert_max_num_queries(24):
            assert seller_a_client.get(page_url(shop["a"])).status_code == 200
        with django_assert_max_num_queries(10):
            assert seller_a_client.get(reverse("seller:ads_adrecommendation_changelist")).status_code == 200
        with django_assert_max_num_queries(10):
            assert seller_a_client.get(reverse("seller:ads_adtuningrun_changelist")).status_code == 200


# --- recommendations and tuning -----------------------------------------------------------------------------------


def test_the_seller_applies_some_recommendations_and_each_failure_is_named(seller_a_client, seller_a, shop):
    campaign = shop["a"]
    keyword = shop["keyword"]
    run = make_run(campaign)
    raise_bid = make_rec(
        run,
        RecommendationKind.RAISE_BID,
        "cordless drill",
        keyword=keyword,
        current_bid=Decimal("1.20"),
        proposed_bid=Decimal("1.60"),
        evidence={"clicks": 40, "conversions": 3, "spend": 32.0},
    )
    negative = make_rec(run, RecommendationKind.NEGATIVE, "cordless drill toy", evidence={"clicks": 12})
    expand = make_rec(run, RecommendationKind.EXPAND, "impact driver", proposed_bid=Decimal("0.90"))
    gone = make_rec(run, RecommendationKind.PAUSE, "vanished keyword")  # its keyword was deleted since

    page = seller_a_client.get(page_url(campaign)).content.decode()
    assert "Because of cordless drill." in page and "40 clicks · 3 inquiries · 32.00 USD spent" in page
    assert "1.20 USD → <strong>1.60 USD</strong>" in page

    response = seller_a_client.post(
        page_url(campaign),
        {"_action": "recs_apply", "recommendation": [raise_bid.pk, negative.pk, gone.pk]},
        follow=True,
    )
    texts = messages_of(response)
    assert "2 recommendations applied." in texts
    assert "“Pause keyword: vanished keyword” was not applied: The keyword no longer exists." in texts
    keyword.refresh_from_db()
    assert keyword.bid == Decimal("1.60")
    assert campaign.negative_keywords.filter(text="cordless drill toy", match_type=MatchType.EXACT).exists()
    states = dict(AdRecommendation.objects.values_list("pk", "state"))
    assert states[raise_bid.pk] == states[negative.pk] == RecommendationState.APPLIED
    assert states[expand.pk] == states[gone.pk] == RecommendationState.PENDING
    assert AdRecommendation.objects.get(pk=raise_bid.pk).decided_by == seller_a

    # Applying one again is refused and named; dismissing the rest leaves the campaign as it was.
    response = seller_a_client.post(
        page_url(campaign), {"_action": "recs_apply", "recommendation": [raise_bid.pk]}, follow=True
    )
    assert "“Raise bid: cordless drill” was not applied: This recommendation was already Applied." in messages_of(
        response
    )
    response = seller_a_client.post(
        page_url(campaign), {"_action": "recs_dismiss", "recommendation": [expand.pk, gone.pk]}, follow=True
    )
    assert "2 recommendations dismissed." in messages_of(response)
    assert not campaign.keywords.filter(text="impact driver").exists()
    response = seller_a_client.post(page_url(campaign), {"_action": "recs_apply"}, follow=True)
    assert "Tick the recommendations to apply." in messages_of(response)


def test_apply_all_applies_every_waiting_recommendation(seller_a_client, shop):
    campaign = shop["a"]
    run = make_run(campaign)
    make_rec(run, RecommendationKind.EXPAND, "impact driver", proposed_bid=Decimal("0.90"))
    make_rec(run, RecommendationKind.PAUSE, "cordless drill", keyword=shop["keyword"])
    response = seller_a_client.post(page_url(campaign), {"_action": "recs_apply_all"}, follow=True)
    assert "2 recommendations applied." in messages_of(response)
    assert campaign.keywords.get(text="impact driver").bid == Decimal("0.90")
    assert campaign.keywords.get(text="cordless drill").state == KeywordState.PAUSED
    assert not AdRecommendation.objects.filter(state=RecommendationState.PENDING).exists()


def test_a_headline_is_edited_then_approved_or_applied_as_it_is(seller_a_client, shop):
    campaign = shop["a"]
    promoted = campaign.promoted.get()
    run = make_run(campaign)
    english = make_rec(
        run,
        RecommendationKind.HEADLINE,
        "Cordless Drill 18V · MOQ 100",
        promoted=promoted,
        evidence={"provider": "offline"},
    )
    german = make_rec(
        run, RecommendationKind.HEADLINE, "Akku-Bohrschrauber 18V · MOQ 100", language="de", promoted=promoted
    )
    page = seller_a_client.get(page_url(campaign)).content.decode()
    assert f'name="headline-{english.pk}" value="Cordless Drill 18V · MOQ 100"' in page
    assert "written by offline" in page and "Deutsch" in page

    # HTML in a headline is refused: nothing changes.
    response = seller_a_client.post(
        page_url(campaign),
        {"_action": f"headline-{english.pk}", f"headline-{english.pk}": "<b>Best</b> drill"},
        follow=True,
    )
    assert any("A headline is plain text" in text for text in messages_of(response))
    promoted.refresh_from_db()
    english.refresh_from_db()
    assert promoted.headlines == {} and english.state == RecommendationState.PENDING

    response = seller_a_client.post(
        page_url(campaign),
        {"_action": f"headline-{english.pk}", f"headline-{english.pk}": "Brushless 18V drill, factory direct"},
        follow=True,
    )
    assert "1 recommendation applied." in messages_of(response)
    promoted.refresh_from_db()
    english.refresh_from_db()
    assert promoted.headlines == {"en": "Brushless 18V drill, factory direct"}
    assert english.state == RecommendationState.DISMISSED  # the seller's own words were applied instead

    # Unedited, a ticked headline is applied as suggested.
    seller_a_client.post(
        page_url(campaign),
        {"_action": "recs_apply", "recommendation": [german.pk], f"headline-{german.pk}": german.text},
    )
    promoted.refresh_from_db()
    german.refresh_from_db()
    assert (
        promoted.headlines["de"] == "Akku-Bohrschrauber 18V · MOQ 100" and german.state == RecommendationState.APPLIED
    )
    assert "Brushless 18V drill, factory direct" in seller_a_client.get(page_url(campaign)).content.decode()


def test_tune_now_runs_the_tuning_and_says_what_happened(seller_a_client, shop):
    campaign = shop["a"]
    add_stats(campaign, shop["keyword"], days=10)
    response = seller_a_client.post(page_url(campaign), {"_action": "tune"}, follow=True)
    run = AdTuningRun.objects.get(campaign=campaign, day=TODAY)
    assert run.state == TuningRunState.DONE
    waiting = AdRecommendation.objects.filter(run=run, state=RecommendationState.PENDING).count()
    assert waiting >= 1  # at least the headline for the promoted product
    assert f"“Drills A”: tuning done; {waiting} recommendation" in " ".join(messages_of(response))
    html = response.content.decode()
    assert 'id="recommendation-table"' in html and 'id="run-table"' in html
    assert run.inputs["clicks"] == 54  # the days before today: 9 × 6 clicks
    assert "54 clicks" in html

    response = seller_a_client.post(page_url(campaign), {"_action": "tune"}, follow=True)
    assert "“Drills A”: today's tuning already ran; its recommendations are on the campaign page." in messages_of(
        response
    )
    assert AdTuningRun.objects.filter(campaign=campaign).count() == 1

    # The same from the list, as an action.
    response = seller_a_client.post(
        reverse(LIST_URL), {"action": "tune_campaigns", "_selected_action": [campaign.pk]}, follow=True
    )
    assert any("already ran" in text for text in messages_of(response))


def test_tune_now_says_why_a_run_failed_and_nothing_else_changed(seller_a_client, shop, monkeypatch):
    campaign = shop["a"]
    run = make_run(campaign, day=TODAY - datetime.timedelta(days=1))
    waiting = make_rec(run, RecommendationKind.EXPAND, "impact driver", proposed_bid=Decimal("0.9"))

    def broken(campaign, run, day):
        raise RuntimeError("the figures could not be read")

    monkeypatch.setattr(services, "_tune", broken)
    response = seller_a_client.post(page_url(campaign), {"_action": "tune"}, follow=True)
    assert (
        "“Drills A”: tuning failed (RuntimeError: the figures could not be read); nothing else changed. "
        "Try again later." in messages_of(response)
    )
    today_run = AdTuningRun.objects.get(campaign=campaign, day=TODAY)
    assert today_run.state == TuningRunState.FAILED
    assert "the figures could not be read" in response.content.decode()  # in the runs table
    waiting.refresh_from_db()
    assert waiting.state == RecommendationState.PENDING


def test_tuning_on_a_real_market_then_applying_from_the_recommendation_list(market, client):
    seller = MembershipFactory(supplier=market["suppliers"]["a"], user=UserFactory(email="yk@example.com")).user
    client.force_login(seller)
    campaign = market["campaigns"]["a"]
    keyword = campaign.keywords.get()
    for offset in range(1, 21):
        AdStat.objects.create(
            campaign=campaign,
            keyword=keyword,
            day=TODAY - datetime.timedelta(days=offset),
            search_term="cordless drill",
            language="en",
            impressions=300,
            clicks=8,
            spend=Decimal("4.80"),
            conversions=1 if offset % 3 == 0 else 0,
        )
    services.campaign_tune(campaign_id=campaign.pk)
    pending = list(AdRecommendation.objects.filter(run__campaign=campaign, state=RecommendationState.PENDING))
    assert pending
    listing = client.get(reverse("seller:ads_adrecommendation_changelist")).content.decode()
    assert all(rec.text in listing for rec in pending)
    response = client.post(
        reverse("seller:ads_adrecommendation_changelist"),
        {"action": "dismiss_recommendations", "_selected_action": [rec.pk for rec in pending]},
        follow=True,
    )
    assert f"{len(pending)} recommendation" in " ".join(messages_of(response))
    assert not AdRecommendation.objects.filter(run__campaign=campaign, state=RecommendationState.PENDING).exists()
    runs = client.get(reverse("seller:ads_adtuningrun_changelist")).content.decode()
    assert "Drills A" in runs and "Done" in runs and "160 clicks" in runs


def test_the_list_pauses_and_resumes_through_the_service(seller_a_client, shop):
    campaign = shop["a"]
    seller_a_client.post(reverse(LIST_URL), {"action": "pause_campaigns", "_selected_action": [campaign.pk]})
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.PAUSED
    seller_a_client.post(reverse(LIST_URL), {"action": "resume_campaigns", "_selected_action": [campaign.pk]})
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.ACTIVE
    # No deleting a campaign: its spend is a money record.
    assert seller_a_client.post(reverse("seller:ads_adcampaign_delete", args=[campaign.pk])).status_code == 403
    assert AdCampaign.objects.filter(pk=campaign.pk).exists()


def test_the_screens_fit_a_phone(seller_a_client, shop):
    """No horizontal scroll at 390 px: every wide table sits in its own scrolling box, the charts' grid falls to one
    column and the two-column add form stacks (checked on the markup and the stylesheet; the browser suite looks)."""
    add_stats(shop["a"], shop["keyword"], days=2)
    make_rec(make_run(shop["a"]), RecommendationKind.EXPAND, "impact driver", proposed_bid=Decimal("0.9"))
    html = seller_a_client.get(page_url(shop["a"])).content.decode()
    tables = re.findall(r'(<div class="ads-scroll">\s*)?<table class="ads-table"', html)
    assert len(tables) >= 5 and all(wrapper for wrapper in tables)
    with open(finders.find("ads/admin.css"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    assert ".ads-scroll { overflow-x: auto" in css and "minmax(min(100%, 260px), 1fr)" in css
    assert re.search(r"@media \(max-width: 767px\) \{\s*\.ads-columns \{ grid-template-columns: minmax\(0, 1fr\)", css)


# --- operators ----------------------------------------------------------------------------------------------------


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


def test_the_operator_sees_every_campaign_and_pauses_one(operator_client, shop):
    add_stats(shop["b"], shop["keyword_b"], days=2, clicks=3, spend="1.50")
    response = operator_client.get(reverse("admin:ads_adcampaign_changelist"))
    html = response.content.decode()
    assert "Drills A" in html and "Kettles B" in html and "Alpha Tools" in html and "Beta Housewares" in html
    assert reverse("admin:ads_adcampaign_report") in html

    operator_client.post(
        reverse("admin:ads_adcampaign_changelist"), {"action": "pause_campaigns", "_selected_action": [shop["b"].pk]}
    )
    shop["b"].refresh_from_db()
    assert shop["b"].state == CampaignState.PAUSED
    # Its page is read-only: a POST changes nothing.
    url = reverse("admin:ads_adcampaign_change", args=[shop["b"].pk])
    assert operator_client.get(url).status_code == 200
    assert operator_client.post(url, {"name": "Renamed", "daily_budget": "1"}).status_code == 403
    shop["b"].refresh_from_db()
    assert shop["b"].name == "Kettles B"


def test_the_operator_report_shows_revenue_by_day_and_flagged_clicks(operator_client, shop):
    AdCampaignDay.objects.create(campaign=shop["a"], day=TODAY, budget=Decimal("20"), spend=Decimal("7.50"))
    AdCampaignDay.objects.create(campaign=shop["b"], day=TODAY, budget=Decimal("15"), spend=Decimal("2.50"))
    AdCampaignDay.objects.create(
        campaign=shop["a"], day=TODAY - datetime.timedelta(days=2), budget=Decimal("20"), spend=Decimal("4.00")
    )
    for n in range(3):
        AdClick.objects.create(
            campaign=shop["a"],
            product=shop["drill"],
            search_term="cordless drill",
            language="en",
            visitor="v" * 40,
            nonce=f"n{n}",
            not_billed=AdClick.NotBilled.BOT,
            clicked_at=timezone.now(),
        )
    response = operator_client.get(reverse("admin:ads_adcampaign_report"))
    html = response.content.decode()
    assert response.status_code == 200
    today_row = re.search(rf"<tr><td>{TODAY.isoformat()}</td>.*?</tr>", html, re.S)[0]
    assert "10.00 USD" in today_row and ">2<" in today_row
    assert "14.00 USD" in html  # 30-day total
    data = json.loads(re.search(r'<script id="ads-chart-data" type="application/json">(.*?)</script>', html, re.S)[1])
    assert data["series"]["revenue"][-1] == 10.0 and data["series"]["revenue"][-3] == 4.0
    patterns = re.search(r'id="patterns-table".*?</table>', html, re.S)[0]
    assert "Automated traffic" in patterns and ">3<" in patterns
    # The seller site has no such report.
    assert operator_client.get("/seller/ads/adcampaign/report/").status_code in (302, 404)


def test_the_operator_reads_clicks_and_cannot_add_or_edit_money_records(operator_client, shop):
    billed = AdClick.objects.create(
        campaign=shop["a"],
        product=shop["drill"],
        search_term="cordless drill",
        language="en",
        visitor="a" * 40,
        nonce="billed",
        cost=Decimal("0.80"),
        clicked_at=timezone.now(),
    )
    AdClick.objects.create(
        campaign=shop["b"],
        product=shop["kettle"],
        search_term="kettle",
        language="en",
        visitor="b" * 40,
        nonce="repeat",
        not_billed=AdClick.NotBilled.REPEAT,
        clicked_at=timezone.now(),
    )
    add_stats(shop["a"], shop["keyword"], days=1)
    day = AdCampaignDay.objects.create(campaign=shop["a"], day=TODAY, budget=Decimal("20"), spend=Decimal("0.80"))
    listing = operator_client.get(reverse("admin:ads_adclick_changelist"), {"not_billed__exact": "repeat"})
    assert listing.status_code == 200
    assert [click.nonce for click in listing.context["cl"].result_list] == ["repeat"]

    stat = AdStat.objects.get()
    for model, obj in (("adclick", billed), ("adstat", stat), ("adcampaignday", day), ("adconversion", None)):
        assert operator_client.get(reverse(f"admin:ads_{model}_add")).status_code == 403
        if obj is not None:
            url = reverse(f"admin:ads_{model}_change", args=[obj.pk])
            assert operator_client.get(url).status_code == 200  # readable
            assert operator_client.post(url, {"cost": "0", "spend": "0", "clicks": "0"}).status_code == 403
            assert operator_client.post(reverse(f"admin:ads_{model}_delete", args=[obj.pk])).status_code == 403
    billed.refresh_from_db()
    stat.refresh_from_db()
    day.refresh_from_db()
    assert billed.cost == Decimal("0.80") and stat.clicks == 6 and day.spend == Decimal("0.80")


def test_the_operator_runs_tuning_now_from_the_runs_list(operator_client, shop):
    run = make_run(shop["b"], day=TODAY - datetime.timedelta(days=1))
    response = operator_client.post(
        reverse("admin:ads_adtuningrun_changelist"),
        {"action": "run_tuning_now", "_selected_action": [run.pk]},
        follow=True,
    )
    assert "“Kettles B”: tuning done" in " ".join(messages_of(response))
    assert AdTuningRun.objects.filter(campaign=shop["b"], day=TODAY, state=TuningRunState.DONE).exists()
    for name in ("adkeyword", "adnegativekeyword", "adpromotedproduct", "adrecommendation", "adtuningrun", "adstat"):
        assert operator_client.get(reverse(f"admin:ads_{name}_changelist")).status_code == 200
