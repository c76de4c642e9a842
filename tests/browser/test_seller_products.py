"""The seller's product screens in a real browser: at 390 px and 1366 px the list and the product form have no
horizontal page scroll; a chosen picture is previewed before saving; no CSP violation on the way."""

import io

import pytest
from PIL import Image

from tests.factories import ProductFactory, ProductImageFactory, TranslationFactory

from .conftest import DESKTOP, PHONE, screenshot


def page_scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_seller_product_list_and_form_fit_and_preview_a_chosen_picture(browser_page, live_server, seller_a, supplier_a):
    product = ProductFactory(supplier=supplier_a, title="Heat-resistant Glass Water Bottle 500 ml Silicone Sleeve")
    ProductImageFactory(product=product)
    for code in ["de", "fr", "es", "pt", "ru", "ar", "ja", "zh-hans"]:
        TranslationFactory(product=product, language=code, description="Text")
    seller_a.set_password("pass-1234-word")
    seller_a.save()
    page, violations = browser_page, []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/seller/login/")
    page.fill("input[name=username]", seller_a.email)
    page.fill("input[name=password]", "pass-1234-word")
    page.click("input[type=submit]")

    for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/seller/marketplace/product/")
        assert page.locator("#result_list img.seller-thumb").count() == 1
        assert not page_scrolls_sideways(page), f"product list scrolls sideways at {size['width']} px"
        page.goto(f"{live_server.url}/seller/marketplace/product/{product.pk}/change/")
        assert "8 of 8 languages complete" in page.locator("#translations-group h2").inner_text().lower()
        assert not page_scrolls_sideways(page), f"product form scrolls sideways at {size['width']} px"
        screenshot(page, f"seller-product-form-{name}")

    picture = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(picture, "PNG")
    page.locator("#images-group .add-row a").click()
    page.locator("#images-group tr.form-row:not(.empty-form) input[type=file]").last.set_input_files(
        {"name": "bottle.png", "mimeType": "image/png", "buffer": picture.getvalue()}
    )
    preview = page.locator("#images-group img.seller-file-preview")
    preview.wait_for()
    assert preview.count() == 1 and preview.get_attribute("src").startswith("data:image/png")
    page.wait_for_function("document.querySelector('#images-group img.seller-file-preview').naturalWidth === 64")
    screenshot(page, "seller-product-image-preview")
    assert violations == []
