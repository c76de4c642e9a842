"""The seller dashboard in a real browser: a seller signs in to the seller centre and lands on the dashboard, which
shows what waits (an inquiry with its age) and draws the weekly charts; at 1366 and 390 px nothing scrolls sideways."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conversations.models import Conversation
from marketplace.models import ProductViewDay
from tests.conftest import PASSWORD
from tests.factories import BuyerFactory, MembershipFactory, ProductFactory, SupplierFactory, UserFactory

from .conftest import DESKTOP, PHONE, screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_seller_sees_to_dos_and_drawn_charts_at_both_widths(live_server, chromium):
    supplier = SupplierFactory(name="Ningbo Dashboard Housewares Co., Ltd.")
    seller = MembershipFactory(supplier=supplier, user=UserFactory(email="owner@dashboard.example")).user
    product = ProductFactory(supplier=supplier, title="Insulated stainless steel tumbler 600 ml with a long title")
    today = timezone.now().date()
    ProductViewDay.objects.bulk_create(
        ProductViewDay(product=product, day=today - timedelta(days=d), views=5 + d % 7) for d in range(0, 84, 2)
    )
    started = timezone.now() - timedelta(days=2)
    Conversation.objects.create(
        buyer=BuyerFactory(),
        supplier=supplier,
        subject="Quote for 5,000 tumblers with our logo",
        created_at=started,
        last_message_at=started,
    )

    page = chromium.new_context(viewport=DESKTOP, locale="en-US").new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/seller/login/")
    page.fill("input[name=username]", seller.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/seller/")

    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.reload()
        todo = page.locator("#todo-conversations")
        assert "Quote for 5,000 tumblers with our logo" in todo.inner_text()
        assert "waiting 2" in todo.inner_text()  # its age
        page.wait_for_function("document.querySelectorAll('canvas[data-chart-series]').length === 3")
        # Chart.js drew into every canvas: each has a size and non-blank pixels.
        drawn = page.evaluate(
            """() => [...document.querySelectorAll('canvas[data-chart-series]')].map(c => {
                 const box = c.getBoundingClientRect();
                 const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                 return box.width > 0 && box.height > 0 && pixels.some(v => v !== 0);
               })"""
        )
        assert drawn == [True, True, True]
        assert page.locator("#weekly-table tbody tr").count() == 12  # the same figures as text
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        screenshot(page, f"seller-dashboard-{viewport['width']}")

    # The seller centre's main screens fit a phone too: wide tables scroll inside their own box, never the page.
    conversation = Conversation.objects.get(supplier=supplier)
    main_screens = [
        "/seller/marketplace/product/",
        f"/seller/marketplace/product/{product.pk}/change/",
        "/seller/marketplace/product/import/",
        "/seller/conversations/conversation/",
        f"/seller/conversations/conversation/{conversation.pk}/change/",
        "/seller/marketplace/listingsuggestion/",
        "/seller/sourcing/rfqrecipient/",
        "/seller/deals/order/",
        "/seller/suppliers/certification/",
        "/seller/suppliers/supplier/",
        f"/seller/suppliers/supplier/{supplier.pk}/change/",
        "/seller/suppliers/suppliermembership/",
        "/seller/suppliers/supplierinvitation/add/",
        "/seller/ads/adcampaign/",
    ]
    too_wide = []
    for path in main_screens:
        response = page.goto(f"{live_server.url}{path}")
        assert response.ok, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"] + 1:
            too_wide.append(f"{path}: {width} px")
    assert too_wide == [], "seller screens wider than a 390 px phone: " + ", ".join(too_wide)
