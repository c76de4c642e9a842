"""Two tenants on the seller site's ads screens: seller A never sees or edits supplier B's campaigns, keywords,
negative keywords, promoted products, figures, recommendations or tuning runs — not in lists, not by id in a URL,
not by naming B's ids in a crafted POST, not through filters or autocomplete. The money records are not on the
seller site at all."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ads import services
from ads.models import (
    AdCampaign,
    AdKeyword,
    AdNegativeKeyword,
    AdPromotedProduct,
    AdRecommendation,
    AdStat,
    AdTuningRun,
    CampaignState,
    RecommendationKind,
    RecommendationState,
    TuningRunState,
)
from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _offline_ai(settings):
    settings.AI_PROVIDER = "offline"
    settings.OPENAI_API_KEY = ""


@pytest.fixture
def two(supplier_a, supplier_b):
    """A campaign for each supplier, each with a product, a keyword, a negative, figures, a run and advice."""
    category = CategoryFactory(slug="kitchen", name="Kitchen Appliances")
    out = {}
    for key, supplier, product_title, keyword_text, term in (
        ("a", supplier_a, "Cordless Drill 18V", "cordless drill", "drill for concrete"),
        ("b", supplier_b, "Electric Kettle 1.7L", "electric kettle", "kettle gooseneck secret"),
    ):
        product = ProductFactory(supplier=supplier, category=category, title=product_title)
        spare = ProductFactory(supplier=supplier, category=category, title=f"{product_title} spare")
        campaign = services.campaign_create(
            supplier=supplier, name=f"Campaign {key.upper()}", daily_budget="20.00", target_cost_per_inquiry="8.00"
        )
        promoted = services.promoted_product_add(campaign=campaign, product=product)
        keyword = services.keyword_add(campaign=campaign, text=keyword_text, bid="1.00")
        negative = services.negative_keyword_add(campaign=campaign, text=f"cheap {keyword_text}")
        AdStat.objects.create(
            campaign=campaign,
            keyword=keyword,
            day=TODAY,
            search_term=term,
            language="en",
            impressions=90,
            clicks=9,
            spend=Decimal("9.00"),
            conversions=1,
        )
        run = AdTuningRun.objects.create(
            campaign=campaign,
            day=TODAY - datetime.timedelta(days=1),
            state=TuningRunState.FAILED,
            error=f"secret error of {key.upper()}",
        )
        bid_rec = AdRecommendation.objects.create(
            run=run,
            kind=RecommendationKind.RAISE_BID,
            keyword=keyword,
            text=keyword_text,
            language="en",
            current_bid=Decimal("1.00"),
            proposed_bid=Decimal("1.50"),
            reason=f"advice for {key.upper()}",
        )
        headline = AdRecommendation.objects.create(
            run=run,
            kind=RecommendationKind.HEADLINE,
            promoted=promoted,
            text=f"{product_title} headline",
            language="en",
            reason="headline",
        )
        out[key] = {
            "supplier": supplier,
            "product": product,
            "spare": spare,
            "campaign": campaign,
            "promoted": promoted,
            "keyword": keyword,
            "negative": negative,
            "run": run,
            "rec": bid_rec,
            "headline": headline,
            "term": term,
        }
    return out


def page_url(campaign):
    return reverse("seller:ads_adcampaign_change", args=[campaign.pk])


def snapshot(b) -> dict:
    """Everything of B's that a crafted request could try to change."""
    campaign = AdCampaign.objects.get(pk=b["campaign"].pk)
    return {
        "campaign": (campaign.name, campaign.state, campaign.daily_budget),
        "keywords": list(AdKeyword.objects.filter(campaign=campaign).values_list("pk", "bid", "state")),
        "negatives": list(AdNegativeKeyword.objects.filter(campaign=campaign).values_list("pk", flat=True)),
        "promoted": list(
            AdPromotedProduct.objects.filter(campaign=campaign).values_list("pk", "product_id", "headlines")
        ),
        "recs": list(AdRecommendation.objects.filter(run__campaign=campaign).values_list("pk", "state")),
        "runs": list(AdTuningRun.objects.filter(campaign=campaign).values_list("pk", "state")),
    }


def test_lists_show_only_the_sellers_own_rows(seller_a_client, two):
    for name in ("adcampaign", "adrecommendation", "adtuningrun"):
        html = seller_a_client.get(reverse(f"seller:ads_{name}_changelist")).content.decode()
        assert "Campaign A" in html, name
        assert "Campaign B" not in html and "advice for B" not in html and "secret error of B" not in html, name
    page = seller_a_client.get(page_url(two["a"]["campaign"])).content.decode()
    for text in (
        "Campaign B",
        "electric kettle",
        "cheap electric kettle",
        "Electric Kettle",
        "kettle gooseneck secret",
        "advice for B",
        "secret error of B",
    ):
        assert text not in page, text
    assert "drill for concrete" in page and "advice for A" in page and "secret error of A" in page


def test_the_other_suppliers_objects_are_not_found_by_id(seller_a_client, two):
    b = two["b"]
    for name, obj in (("adcampaign", b["campaign"]), ("adrecommendation", b["rec"]), ("adtuningrun", b["run"])):
        for view in ("change", "history"):
            url = reverse(f"seller:ads_{name}_{view}", args=[obj.pk])
            assert seller_a_client.get(url).status_code == 404, url
        assert seller_a_client.get(f"/seller/ads/{name}/{obj.pk}/").status_code == 404
    before = snapshot(b)
    response = seller_a_client.post(page_url(b["campaign"]), {"_action": "tune"})
    assert response.status_code == 404
    response = seller_a_client.post(page_url(b["campaign"]), {"_action": "recs_apply_all"})
    assert response.status_code == 404
    assert seller_a_client.post(reverse("seller:ads_adcampaign_delete", args=[b["campaign"].pk])).status_code in (
        403,
        404,
    )
    assert snapshot(b) == before
    assert not AdTuningRun.objects.filter(campaign=b["campaign"], day=TODAY).exists()


def test_the_money_records_are_not_on_the_seller_site(seller_a_client, two):
    for name in ("adclick", "adstat", "adcampaignday", "adconversion", "adkeyword", "adnegativekeyword"):
        assert seller_a_client.get(f"/seller/ads/{name}/").status_code == 404, name


def test_crafted_posts_naming_the_other_suppliers_ids_are_refused(seller_a_client, two):
    a, b = two["a"], two["b"]
    url = page_url(a["campaign"])
    before = snapshot(b)

    # B's recommendations, ticked on A's page: named, left alone.
    response = seller_a_client.post(
        url, {"_action": "recs_apply", "recommendation": [b["rec"].pk, b["headline"].pk]}, follow=True
    )
    texts = [str(m) for m in response.context["messages"]]
    assert f"Recommendation #{b['rec'].pk} is not one of this campaign's; it was left alone." in texts
    seller_a_client.post(url, {"_action": "recs_dismiss", "recommendation": [b["rec"].pk]})
    seller_a_client.post(
        url, {"_action": f"headline-{b['headline'].pk}", f"headline-{b['headline'].pk}": "Hijacked headline"}
    )
    # B's keyword in A's keyword table; B's negative and promoted rows in A's delete forms.
    seller_a_client.post(
        url, {"_action": "keywords", f"kw-{b['keyword'].pk}-bid": "0.05", f"kw-{b['keyword'].pk}-state": "paused"}
    )
    response = seller_a_client.post(url, {"_action": "negative_delete", "negative_id": [b["negative"].pk]}, follow=True)
    assert "Those negative keywords are not this campaign's; nothing was deleted." in [
        str(m) for m in response.context["messages"]
    ]
    seller_a_client.post(url, {"_action": "negative_delete", "negative_id": [b["negative"].pk, a["negative"].pk]})
    assert AdNegativeKeyword.objects.filter(pk=a["negative"].pk).exists()  # a mixed selection deletes nothing
    seller_a_client.post(url, {"_action": "promote_remove", "promoted_id": [b["promoted"].pk]})
    # B's product promoted by A's campaign: not a choice.
    response = seller_a_client.post(url, {"_action": "promote_add", "promote-products": [b["spare"].pk]})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not AdPromotedProduct.objects.filter(campaign=a["campaign"], product__supplier=b["supplier"]).exists()

    assert snapshot(b) == before
    assert AdRecommendation.objects.get(pk=a["rec"].pk).state == RecommendationState.PENDING


def test_a_new_campaign_cannot_promote_the_other_suppliers_product(seller_a_client, two):
    before = AdCampaign.objects.count()
    response = seller_a_client.post(
        reverse("seller:ads_adcampaign_add"),
        {
            "name": "Sneaky",
            "daily_budget": "20.00",
            "target_cost_per_inquiry": "8.00",
            "bid_floor": "0.05",
            "bid_ceiling": "5.00",
            "starts_on": TODAY.isoformat(),
            "start_hour": "0",
            "end_hour": "24",
            "products": [two["a"]["spare"].pk, two["b"]["spare"].pk],
        },
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert AdCampaign.objects.count() == before
    page = seller_a_client.get(reverse("seller:ads_adcampaign_add")).content.decode()
    assert "Cordless Drill 18V spare" in page and "Electric Kettle" not in page
    # A supplier field in the POST is ignored: the campaign is always the seller's own.
    response = seller_a_client.post(
        reverse("seller:ads_adcampaign_add"),
        {
            "name": "Mine",
            "supplier": two["b"]["supplier"].pk,
            "daily_budget": "20.00",
            "target_cost_per_inquiry": "8.00",
            "bid_floor": "0.05",
            "bid_ceiling": "5.00",
            "starts_on": TODAY.isoformat(),
            "start_hour": "0",
            "end_hour": "24",
        },
    )
    assert response.status_code == 302
    assert AdCampaign.objects.get(name="Mine").supplier == two["a"]["supplier"]


def test_list_actions_with_the_other_suppliers_ids_change_nothing(seller_a_client, two):
    b = two["b"]
    before = snapshot(b)
    seller_a_client.post(
        reverse("seller:ads_adcampaign_changelist"),
        {"action": "pause_campaigns", "_selected_action": [b["campaign"].pk]},
    )
    seller_a_client.post(
        reverse("seller:ads_adcampaign_changelist"),
        {"action": "tune_campaigns", "_selected_action": [b["campaign"].pk]},
    )
    seller_a_client.post(
        reverse("seller:ads_adrecommendation_changelist"),
        {"action": "apply_recommendations", "_selected_action": [b["rec"].pk, b["headline"].pk]},
    )
    seller_a_client.post(
        reverse("seller:ads_adrecommendation_changelist"),
        {"action": "dismiss_recommendations", "_selected_action": [b["rec"].pk]},
    )
    assert snapshot(b) == before
    assert AdCampaign.objects.get(pk=b["campaign"].pk).state == CampaignState.ACTIVE
    assert not AdTuningRun.objects.filter(campaign=b["campaign"], day=TODAY).exists()


def test_filters_and_autocomplete_do_not_leak_the_other_supplier(seller_a_client, two):
    # A second campaign of A's, with a run and advice: a filter with one choice is not shown at all.
    other = services.campaign_create(
        supplier=two["a"]["supplier"], name="Campaign A2", daily_budget="10", target_cost_per_inquiry="5"
    )
    run = AdTuningRun.objects.create(campaign=other, day=TODAY, state=TuningRunState.DONE)
    AdRecommendation.objects.create(run=run, kind=RecommendationKind.EXPAND, text="drill", language="en", reason="-")
    for name in ("adtuningrun", "adrecommendation"):
        response = seller_a_client.get(reverse(f"seller:ads_{name}_changelist"))
        filters = " ".join(
            str(spec.title) + str(list(spec.choices(response.context["cl"])))
            for spec in response.context["cl"].filter_specs
        )
        assert "Campaign A" in filters and "Campaign B" not in filters, name
    # Filtering by B's campaign id shows nothing of B's.
    response = seller_a_client.get(
        reverse("seller:ads_adtuningrun_changelist"), {"campaign__id__exact": two["b"]["campaign"].pk}
    )
    assert "secret error of B" not in response.content.decode()

    autocomplete = reverse("seller:autocomplete")
    for params, mine, theirs in (
        ({"app_label": "ads", "model_name": "adtuningrun", "field_name": "campaign"}, "Campaign A", "Campaign B"),
        ({"app_label": "ads", "model_name": "adpromotedproduct", "field_name": "product"}, "Cordless Drill", "Kettle"),
        ({"app_label": "ads", "model_name": "adclick", "field_name": "campaign"}, "Campaign A", "Campaign B"),
    ):
        response = seller_a_client.get(autocomplete, {**params, "term": ""})
        assert response.status_code == 200, params
        texts = [row["text"] for row in response.json()["results"]]
        assert any(mine in text for text in texts) and not any(theirs in text for text in texts), params
