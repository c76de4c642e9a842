"""The product page gallery in a real browser: a thumbnail switches the main picture, the main picture opens the
zoom dialog, Esc closes it; on a phone too; no CSP violation on the way."""

import pytest

from tests.factories import ProductFactory, ProductImageFactory

from .conftest import PHONE, screenshot


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_thumbnail_switches_main_picture_and_zoom_opens_and_closes(browser_page, live_server, viewport):
    product = ProductFactory(title="Brushless Cordless Drill 18V", video_url="https://vimeo.com/123456")
    images = [ProductImageFactory(product=product, position=n, alt_text=f"Drill view {n}") for n in range(3)]
    page, violations = browser_page, []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    if viewport == "phone":
        page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{product.get_absolute_url()}")

    main = page.locator("[data-gallery-main]")
    assert main.get_attribute("alt") == "Drill view 0"
    page.locator("[data-gallery-thumb]").nth(2).click()
    assert main.get_attribute("src") == images[2].medium.url
    assert main.get_attribute("alt") == "Drill view 2"
    assert page.locator("[data-gallery-thumb]").nth(2).get_attribute("aria-current") == "true"
    assert page.locator("[data-gallery-thumb]").nth(0).get_attribute("aria-current") is None

    dialog = page.locator("[data-gallery-dialog]")
    assert not dialog.is_visible()
    page.locator("[data-gallery-zoom]").click()
    assert dialog.is_visible()
    assert page.locator("[data-gallery-full]").get_attribute("alt") == "Drill view 2"
    assert page.locator("[data-gallery-original]").get_attribute("href") == images[2].image.url
    screenshot(page, f"product-gallery-zoom-{viewport}")
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    # The close button closes it too, and focus goes back to the main picture.
    page.locator("[data-gallery-zoom]").click()
    page.locator("[data-gallery-close]").click()
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-gallery-zoom')")
    assert page.locator(".gallery-video a").get_attribute("href") == "https://vimeo.com/123456"
    assert violations == []
