"""A conversation in real browsers: a buyer on a phone asks about a product in German; the seller, at a desktop,
opens the inbox, sees the message in English with the German original one click away, inserts a quick reply and
sends it; the buyer's open thread shows the answer and the read receipt without a reload. Neither page scrolls
sideways."""

import pytest

from conversations.models import Conversation, QuickReply
from tests.conftest import PASSWORD
from tests.factories import BuyerFactory, MembershipFactory, ProductFactory, SupplierFactory, UserFactory

from .conftest import DESKTOP, PHONE, screenshot, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _no_page_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_buyer_asks_seller_answers_and_the_buyer_sees_it_without_reloading(live_server, chromium):
    supplier = SupplierFactory(name="Ningbo Drill Works", slug="ningbo-drill-works", languages=["en"])
    product = ProductFactory(supplier=supplier, title="18V Brushless Cordless Drill")
    seller = MembershipFactory(supplier=supplier, user=UserFactory(email="sales@drill.example")).user
    QuickReply.objects.create(supplier=supplier, title="Samples", body="Samples ship within 3 days by DHL.")
    buyer = BuyerFactory(email="einkauf@werkzeug.example")

    buyer_page = chromium.new_context(viewport=PHONE, locale="de-DE").new_page()
    buyer_page.set_default_timeout(15_000)
    sign_in(buyer_page, live_server, buyer.email, PASSWORD)
    buyer_page.goto(f"{live_server.url}{product.get_absolute_url()}")
    buyer_page.fill("textarea[name=body]", "Können Sie Muster schicken? Wie hoch ist Ihre Mindestbestellmenge?")
    with buyer_page.expect_navigation():
        buyer_page.locator("#inquiry button[type=submit]").click()
    conversation = Conversation.objects.get()
    screenshot(buyer_page, "conversation-sent-390")
    assert conversation.get_absolute_url() in buyer_page.url  # the form posted to "#inquiry": the fragment stays
    assert buyer_page.locator(".thread li.mine").count() == 1
    assert _no_page_overflow(buyer_page)

    seller_page = chromium.new_context(viewport=DESKTOP, locale="en-US").new_page()
    seller_page.set_default_timeout(15_000)
    seller_page.goto(f"{live_server.url}/seller/login/")
    seller_page.fill("input[name=username]", seller.email)
    seller_page.fill("input[name=password]", PASSWORD)
    seller_page.click("input[type=submit]")
    seller_page.goto(f"{live_server.url}/seller/conversations/conversation/")
    seller_page.get_by_role("link", name="18V Brushless Cordless Drill").first.click()
    thread = seller_page.locator(".thread li").first
    # The German original is one click away from whatever the seller reads first.
    thread.locator("details.original summary").click()
    assert "Muster" in thread.inner_text()
    seller_page.get_by_role("link", name="Samples").click()
    assert seller_page.locator("textarea[name=body]").input_value() == "Samples ship within 3 days by DHL."
    assert _no_page_overflow(seller_page)
    screenshot(seller_page, "conversation-seller-1366")
    seller_page.locator("input[type=submit][value='Send reply']").click()
    seller_page.wait_for_selector("text=Reply sent to")

    # The buyer's page, left open, shows the answer and "read" without a reload (polling every 5 s).
    buyer_page.wait_for_selector("text=Samples ship within 3 days by DHL.", timeout=20_000)
    assert buyer_page.locator(".thread li").count() == 2
    receipt = buyer_page.locator(".thread li.mine [data-receipt]")
    assert receipt.inner_text().strip() not in ("", "Sent", "Gesendet")
    assert _no_page_overflow(buyer_page)
    screenshot(buyer_page, "conversation-buyer-390")
