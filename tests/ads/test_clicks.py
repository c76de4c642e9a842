"""Clicks on sponsored results: billed once at the auction's price, atomically, never past the daily budget;
replays, forgeries, repeats, bots, floods and the advertiser's own clicks cost nothing. Conversions: an inquiry
about the clicked product within the attribution window."""

import datetime
from decimal import Decimal

import pytest
from django.core import signing
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ads import services
from ads.models import AdCampaignDay, AdClick, AdConversion, AdStat
from ads.serving import CLICK_SALT
from marketplace.services import inquiry_create
from tests.ads.conftest import BROWSER_UA
from tests.factories import BuyerFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _ad_urls(client, q="cordless drill"):
    response = client.get(reverse("search:search"), {"q": q})
    return {ad["product_id"]: ad["click_url"] for ad in response.context["sponsored_top"]}


def _click(client, url, ua=BROWSER_UA, ip="203.0.113.7"):
    return client.get(url, HTTP_USER_AGENT=ua, REMOTE_ADDR=ip)


def test_a_click_is_billed_once_at_the_auction_price(client, market):
    product = market["products"]["a"]
    url = _ad_urls(client)[product.pk]
    response = _click(client, url)
    assert response.status_code == 302 and response["Location"] == product.get_absolute_url()
    click = AdClick.objects.get()
    assert (click.cost, click.not_billed, click.search_term) == (Decimal("0.81"), "", "cordless drill")
    day = AdCampaignDay.objects.get(campaign=market["campaigns"]["a"])
    assert day.spend == Decimal("0.81") and day.budget == Decimal("20.00")
    stat = AdStat.objects.get(keyword__campaign=market["campaigns"]["a"])
    assert (stat.clicks, stat.spend) == (1, Decimal("0.81"))

    # The same link again (back button, a replay): the buyer still lands on the product, nothing more is recorded.
    again = _click(client, url)
    assert again.status_code == 302
    assert AdClick.objects.count() == 1
    assert AdCampaignDay.objects.get(campaign=market["campaigns"]["a"]).spend == Decimal("0.81")


def test_forged_and_tampered_links_are_refused(client, market):
    url = _ad_urls(client)[market["products"]["a"].pk]
    token = url.split("/")[-2]
    payload = signing.loads(token, salt=CLICK_SALT)
    forged = signing.dumps({**payload, "$": "0.01"}, salt="not-the-salt", compress=True)
    assert _click(client, reverse("ads:click", args=[forged])).status_code == 400
    assert _click(client, reverse("ads:click", args=[token[:-2] + "xx"])).status_code == 400
    assert not AdClick.objects.exists()


def test_an_expired_link_still_leads_to_the_product_but_costs_nothing(client, market, settings):
    url = _ad_urls(client)[market["products"]["a"].pk]
    settings.ADS_CLICK_MAX_AGE_SECONDS = -1
    response = _click(client, url)
    assert response.status_code == 302 and response["Location"] == market["products"]["a"].get_absolute_url()
    assert not AdClick.objects.exists() and not AdCampaignDay.objects.exists()


def test_one_billable_click_per_visitor_and_ad_in_the_window(client, market):
    product = market["products"]["a"]
    _click(client, _ad_urls(client)[product.pk])
    _click(client, _ad_urls(client)[product.pk])  # a new page view, a new link, the same visitor
    assert list(AdClick.objects.order_by("clicked_at").values_list("not_billed", flat=True)) == ["", "repeat"]
    assert AdCampaignDay.objects.get(campaign=market["campaigns"]["a"]).spend == Decimal("0.81")
    # Another visitor is billed.
    _click(Client(), _ad_urls(Client())[product.pk], ip="198.51.100.1")
    assert AdCampaignDay.objects.get(campaign=market["campaigns"]["a"]).spend == Decimal("1.62")


def test_bots_are_not_billed(client, market):
    urls = _ad_urls(client)
    _click(client, urls[market["products"]["a"].pk], ua="Mozilla/5.0 (compatible; Googlebot/2.1)")
    _click(client, urls[market["products"]["b"].pk], ua="")
    assert set(AdClick.objects.values_list("not_billed", flat=True)) == {"bot"}
    assert not AdCampaignDay.objects.exists()


def test_a_click_flood_from_one_address_is_not_billed(client, market, settings):
    settings.ADS_CLICK_FLOOD_PER_HOUR = 3
    for _ in range(5):
        urls = _ad_urls(Client())
        for url in urls.values():
            _click(Client(), url, ip="192.0.2.50")
    reasons = list(AdClick.objects.order_by("clicked_at", "pk").values_list("not_billed", flat=True))
    assert reasons[:2] == ["", ""]
    assert "flood" in reasons
    billed = AdClick.objects.filter(not_billed="")
    assert billed.count() == 2  # one per ad; the rest were repeats or the flood


def test_the_advertisers_own_clicks_are_free(client, market):
    seller = MembershipFactory(supplier=market["suppliers"]["a"]).user
    client.force_login(seller)
    _click(client, _ad_urls(client)[market["products"]["a"].pk])
    assert AdClick.objects.get().not_billed == "own"


def test_the_daily_budget_is_never_exceeded(market):
    campaign = market["campaigns"]["a"]
    services.campaign_update(campaign=campaign, daily_budget="1.00", bid_ceiling="1.00")
    keyword = campaign.keywords.get()
    for n in range(3):
        payload = {"k": keyword.pk, "c": campaign.pk, "p": market["products"]["a"].pk, "$": "0.60", "n": f"nonce{n}"}
        services.ad_click_record(payload=payload, ip=f"198.51.100.{n}", user_agent=BROWSER_UA)
    day = AdCampaignDay.objects.get(campaign=campaign)
    assert day.spend == Decimal("0.60") and day.budget == Decimal("1.00")
    assert list(AdClick.objects.order_by("nonce").values_list("not_billed", flat=True)) == ["", "budget", "budget"]
    assert sum(AdClick.objects.values_list("cost", flat=True)) == day.spend


def test_the_database_refuses_spend_past_the_budget(market):
    day = AdCampaignDay.objects.create(campaign=market["campaigns"]["a"], day=timezone.localdate(), budget=Decimal("5"))
    with pytest.raises(IntegrityError), transaction.atomic():
        AdCampaignDay.objects.filter(pk=day.pk).update(spend=Decimal("5.01"))


def test_an_exhausted_campaign_leaves_the_auction(client, market):
    campaign = market["campaigns"]["a"]
    AdCampaignDay.objects.create(campaign=campaign, day=timezone.localdate(), budget=Decimal("20"), spend=Decimal("20"))
    assert market["products"]["a"].pk not in _ad_urls(client)


def test_an_inquiry_after_a_click_is_the_ads_conversion(client, market):
    buyer = BuyerFactory()
    client.force_login(buyer)
    product = market["products"]["a"]
    _click(client, _ad_urls(client)[product.pk])
    inquiry = inquiry_create(buyer=buyer, product=product, body="Price for 500 pcs?", quantity=500)
    conversion = AdConversion.objects.get()
    assert (conversion.kind, conversion.reference, conversion.click.buyer) == ("inquiry", inquiry.pk, buyer)
    assert AdStat.objects.get(keyword__campaign=market["campaigns"]["a"]).conversions == 1
    # A second inquiry about another product is not this ad's.
    inquiry_create(buyer=buyer, product=market["products"]["b"], body="And this one?")
    assert AdConversion.objects.count() == 1


def test_no_conversion_without_a_click_after_the_window_or_from_a_bot(client, market, settings):
    buyer = BuyerFactory()
    product = market["products"]["a"]
    inquiry_create(buyer=buyer, product=product, body="Hello")
    client.force_login(buyer)
    _click(client, _ad_urls(client)[product.pk], ua="curl/8.0")
    inquiry_create(buyer=buyer, product=product, body="Hello again")
    assert not AdConversion.objects.exists()
    other = BuyerFactory()
    client.force_login(other)
    _click(client, _ad_urls(client)[product.pk], ip="198.51.100.77")
    AdClick.objects.filter(buyer=other).update(
        clicked_at=timezone.now() - datetime.timedelta(days=settings.ADS_ATTRIBUTION_DAYS + 1)
    )
    inquiry_create(buyer=other, product=product, body="Late")
    assert not AdConversion.objects.exists()


def test_an_rfq_to_the_advertiser_after_a_click_is_a_conversion_once(client, market):
    from sourcing.services import rfq_send
    from tests.sourcing.test_rfq_quotes import make_rfq

    buyer = BuyerFactory()
    client.force_login(buyer)
    _click(client, _ad_urls(client)[market["products"]["a"].pk])
    rfq = make_rfq(buyer)
    rfq_send(rfq=rfq, buyer=buyer, supplier_ids=[market["suppliers"]["a"].pk, market["suppliers"]["c"].pk])
    conversion = AdConversion.objects.get()
    assert (conversion.kind, conversion.reference, conversion.campaign) == ("rfq", rfq.pk, market["campaigns"]["a"])
    assert AdStat.objects.get(keyword__campaign=market["campaigns"]["a"]).conversions == 1
    # Supplier C was sent the RFQ too, but the buyer never clicked its ad.
    assert not AdConversion.objects.filter(campaign=market["campaigns"]["c"]).exists()
