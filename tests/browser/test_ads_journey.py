"""Keyword ads in a real browser, at desktop and phone widths: a buyer's search shows labelled sponsored results
beside the organic ones; clicking one lands on the product and is billed once; the inquiry sent from there is the
ad's conversion. The advertiser sees it on the campaign page (charts drawn, no sideways scrolling) and applies one
recommendation out of several."""

import datetime

import pytest
from django.utils import timezone

from ads import services
from ads.models import AdCampaignDay, AdClick, AdConversion, AdRecommendation, AdStat, RecommendationState
from tests.ads.conftest import BROWSER_UA, build_market
from tests.conftest import PASSWORD
from tests.factories import BuyerFactory, MembershipFactory, UserFactory

from .conftest import DESKTOP, PHONE, screenshot, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def market(transactional_db):
    return build_market()


def _no_page_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_buyer_clicks_a_sponsored_result_and_inquires_then_the_seller_acts_on_advice(
    live_server,
    chromium,
    market,
    viewport,
):
    campaign, product = market["campaigns"]["a"], market["products"]["a"]
    buyer = BuyerFactory(email="buyer@importer.example")
    seller = MembershipFactory(supplier=market["suppliers"]["a"], user=UserFactory(email="ads@aurora.example")).user
    # A browser's own user agent: Playwright's headless one says "HeadlessChrome", which is rightly not billed.
    page = chromium.new_context(viewport=viewport, locale="en-US", user_agent=BROWSER_UA).new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, buyer.email, PASSWORD)

    page.goto(f"{live_server.url}/search/?q=cordless+drill")
    sponsored = page.locator("[data-sponsored='1']")
    assert sponsored.count() == 2
    assert sponsored.first.locator(".sponsored-label").inner_text().strip() == "Sponsored"
    assert page.locator(".search-hit:not(.sponsored)").count() >= 2  # the organic results are there too
    assert _no_page_overflow(page)
    screenshot(page, f"ads-search-{viewport['width']}")

    sponsored.first.locator("h3 a").click()
    page.wait_for_url(f"**{product.get_absolute_url()}")
    click = AdClick.objects.get()
    assert (click.product_id, click.not_billed, click.buyer_id) == (product.pk, "", buyer.pk)
    assert AdCampaignDay.objects.get(campaign=campaign).spend == click.cost > 0

    page.fill("textarea[name=body]", "Please quote 1,000 pcs with our logo.")
    page.locator("main form button[type=submit]", has_text="Send inquiry").click()
    page.wait_for_load_state("networkidle")
    conversion = AdConversion.objects.get()
    assert (conversion.kind, conversion.campaign_id) == ("inquiry", campaign.pk)

    # The advertiser: yesterday's figures and a tuning run, then one recommendation applied out of several.
    keyword = campaign.keywords.get()
    for offset in range(1, 15):
        AdStat.objects.create(
            campaign=campaign,
            keyword=keyword,
            day=timezone.localdate() - datetime.timedelta(days=offset),
            search_term="cordless drill toy" if offset % 2 else "cordless drill",
            language="en",
            impressions=200,
            clicks=6,
            spend="4.80",
            conversions=0 if offset % 2 else 1,
        )
    run = services.campaign_tune(campaign_id=campaign.pk)
    negative = run.recommendations.get(kind="negative", text="cordless drill toy")
    waiting = run.recommendations.filter(state=RecommendationState.PENDING).count()
    assert waiting > 1

    desk = chromium.new_context(viewport=viewport, locale="en-US").new_page()
    desk.goto(f"{live_server.url}/seller/login/")
    desk.fill("input[name=username]", seller.email)
    desk.fill("input[name=password]", PASSWORD)
    desk.click("input[type=submit]")
    desk.goto(f"{live_server.url}/seller/ads/adcampaign/{campaign.pk}/change/")
    desk.wait_for_selector("canvas")
    assert desk.locator("canvas").count() == 5
    assert _no_page_overflow(desk)
    desk.check(f"#rec-{negative.pk}")
    desk.locator("button[value=recs_apply]").click()
    desk.wait_for_load_state("networkidle")
    assert "applied" in desk.locator(".messagelist").inner_text()
    screenshot(desk, f"ads-campaign-{viewport['width']}")
    negative.refresh_from_db()
    assert negative.state == RecommendationState.APPLIED
    assert campaign.negative_keywords.filter(text="cordless drill toy").exists()
    assert AdRecommendation.objects.filter(run=run, state=RecommendationState.PENDING).count() == waiting - 1
