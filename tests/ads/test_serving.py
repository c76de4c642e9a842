"""Sponsored results on the search page and in the search API: relevant, labelled, capped, priced by second price,
and organic ranking exactly what it is with ads off."""

from decimal import Decimal

import pytest
from django.core import signing
from django.urls import reverse

from ads import impressions
from ads.models import AdStat
from ads.serving import CLICK_SALT
from search.sponsored import MAX_SPONSORED

pytestmark = pytest.mark.django_db


def _sponsored_ids(response):
    return [ad["product_id"] for ad in response.context["sponsored_top"] + response.context["sponsored_inline"]]


def _organic_ids(response):
    return [p.pk for p in response.context["result"].hits]


def test_a_query_shows_the_relevant_ads_in_bid_times_quality_order(client, market, settings):
    response = client.get(reverse("search:search"), {"q": "cordless drill"})
    assert response.status_code == 200
    products = market["products"]
    # A (bid 1.20) above B (0.80); the drill-bit set bid 3.00 on "drill" but is not a cordless drill.
    assert _sponsored_ids(response) == [products["a"].pk, products["b"].pk]
    html = response.content.decode()
    assert html.count('data-sponsored="1"') == 2
    assert "Sponsored" in html and 'rel="sponsored"' in html


def test_organic_results_are_the_same_with_ads_on_and_off(client, market, settings):
    with_ads = client.get(reverse("search:search"), {"q": "cordless drill"})
    settings.ADS_ENABLED = False
    without = client.get(reverse("search:search"), {"q": "cordless drill"})
    assert _sponsored_ids(without) == []
    assert _organic_ids(with_ads) == _organic_ids(without)
    assert with_ads.context["result"].page.total == without.context["result"].page.total


def test_second_price_and_reserve(client, market):
    response = client.get(reverse("search:search"), {"q": "cordless drill"})
    ads = response.context["sponsored_top"]
    prices = [Decimal(signing.loads(ad["click_url"].split("/")[-2], salt=CLICK_SALT)["$"]) for ad in ads]
    # Equal quality (same prior CTR, both fully relevant): A pays B's bid plus one cent; B, last, pays the reserve.
    assert prices == [Decimal("0.81"), Decimal("0.05")]


def test_a_german_query_triggers_the_english_broad_keyword(client, market):
    response = client.get(reverse("search:search"), {"q": "Akku-Bohrschrauber"})
    assert market["products"]["a"].pk in _sponsored_ids(response)


def test_irrelevant_and_unmatched_queries_show_no_ads(client, market):
    assert _sponsored_ids(client.get(reverse("search:search"), {"q": "drill bit set"})) == [market["products"]["c"].pk]
    assert _sponsored_ids(client.get(reverse("search:search"), {"q": "impact drill"})) == []


def test_paused_campaigns_and_negative_keywords_stop_ads(client, market):
    from ads import services

    services.campaign_update(campaign=market["campaigns"]["a"], state="paused")
    services.negative_keyword_add(campaign=market["campaigns"]["b"], text="kit", match_type="phrase")
    assert _sponsored_ids(client.get(reverse("search:search"), {"q": "cordless drill"})) == [market["products"]["b"].pk]
    assert _sponsored_ids(client.get(reverse("search:search"), {"q": "cordless drill kit"})) == []


def test_at_most_the_fixed_number_of_slots_and_never_a_product_twice(client, market):
    from ads import services

    campaign = market["campaigns"]["a"]
    services.keyword_add(campaign=campaign, text="brushless drill", bid="2.00")
    response = client.get(reverse("search:search"), {"q": "cordless brushless drill"})
    ids = _sponsored_ids(response)
    assert len(ids) <= MAX_SPONSORED and len(ids) == len(set(ids))


def test_impressions_are_buffered_not_written_per_search(client, market, settings):
    settings.ADS_IMPRESSION_FLUSH_SECONDS = 3600
    for _ in range(3):
        client.get(reverse("search:search"), {"q": "cordless drill"})
    assert not AdStat.objects.exists()
    assert impressions.impressions_flush() == 2
    stat = AdStat.objects.get(keyword__campaign=market["campaigns"]["a"])
    assert (stat.impressions, stat.search_term) == (3, "cordless drill")


def test_the_api_marks_sponsored_results(client, market):
    data = client.get("/api/v1/search/", {"q": "cordless drill"}).json()
    assert [ad["id"] for ad in data["sponsored"]] == [market["products"]["a"].pk, market["products"]["b"].pk]
    assert all(ad["sponsored"] is True and "/ads/click/" in ad["click_url"] for ad in data["sponsored"])
    assert all("sponsored" not in hit for hit in data["results"])


def test_search_page_queries_stay_bounded_with_ads(client, market, django_assert_max_num_queries):
    client.get(reverse("search:search"), {"q": "cordless drill"})  # the keyword index is built once per process
    with django_assert_max_num_queries(30):
        client.get(reverse("search:search"), {"q": "cordless drill"})
