"""Applying to sell in a real browser: apply at 1366 px → land in the seller centre → type a first product into the
product form → it cannot be published while the documents wait for review → once approved it can. And /sell/ at
390 px fits the phone."""

import pytest

from demo.documents import demo_pdf
from marketplace.models import Product
from suppliers import onboarding
from suppliers.models import SupplierApplication
from tests.factories import CategoryFactory, UserFactory

from .conftest import DESKTOP, PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def publish_from_the_list(page, live_server, product):
    page.goto(f"{live_server.url}/seller/marketplace/product/")
    page.locator(f"#result_list input[name=_selected_action][value='{product.pk}']").check()
    page.select_option("select[name=action]", "publish_products")
    page.locator("#changelist-form button[name=index], #changelist-form .actions button").first.click()
    return page.locator("ul.messagelist").inner_text()


def test_apply_then_publish_once_approved(browser_page, live_server, tmp_path):
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/sell/")
    assert not scrolls_sideways(page), "/sell/ scrolls sideways at 390 px"
    heights = page.eval_on_selector_all(
        ".sell-form input:not([type=hidden]), .sell-form select, .sell-form button",
        "els => els.map(e => e.getBoundingClientRect().height)",
    )
    assert min(heights) >= 44
    screenshot(page, "sell-apply-phone")

    page.set_viewport_size(DESKTOP)
    licence = tmp_path / "licence.pdf"
    licence.write_bytes(demo_pdf("Business licence"))
    page.fill("input[name=email]", "owner@brightlamps.example")
    page.fill("input[name=password]", "a-Good-passphrase-42")
    page.fill("input[name=company_name]", "Ningbo Bright Lamps Co., Ltd.")
    page.select_option("select[name=kind]", "factory")
    page.select_option("select[name=country]", "CN")
    page.fill("input[name=registration_number]", "91330200MA2BRIGHT1")
    page.fill("input[name=contact_name]", "Wang Fang")
    page.fill("input[name=phone]", "+86 574 1234 5678")
    page.set_input_files("input[name=business_licence]", str(licence))
    screenshot(page, "sell-apply-desktop")
    page.click(".sell-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/seller/")
    body = page.locator("body").inner_text()
    assert "Welcome to Silkway, Ningbo Bright Lamps Co., Ltd." in body
    assert "Set up your storefront" in body and "you can publish once they are approved" in body
    screenshot(page, "sell-landed-seller-centre")

    # The first product, typed into the seller centre's product form with one price tier.
    application = SupplierApplication.objects.get()
    category = CategoryFactory(name="LED lighting")
    page.goto(f"{live_server.url}/seller/marketplace/product/add/")
    page.fill("input[name=title]", "LED High Bay Light 150W IP65")
    page.select_option("select[name=category]", str(category.pk))
    page.fill("textarea[name=description]", "Die-cast aluminium high bay, 150 W, 5000 K, IP65, 5-year warranty.")
    page.fill("input[name=moq]", "100")
    page.fill("input[name=lead_time_days]", "20")
    page.locator("#price_tiers-group .add-row a").click()
    page.fill("input[name=price_tiers-0-min_quantity]", "100")
    page.fill("input[name=price_tiers-0-unit_price]", "18.50")
    page.click("input[name=_save]")
    assert "was added successfully" in page.locator("ul.messagelist").inner_text()
    product = Product.objects.get(supplier=application.supplier)
    assert (product.title, product.status, product.price_tiers.count()) == ("LED High Bay Light 150W IP65", "draft", 1)

    message = publish_from_the_list(page, live_server, product)
    assert "Silkway is reviewing your company documents" in message
    assert not Product.objects.get(pk=product.pk).is_published

    operator = UserFactory(email="ops@example.com", is_staff=True)
    onboarding.supplier_application_approve(application=application, reviewer=operator, evidence="Register checked.")
    publish_from_the_list(page, live_server, product)
    assert Product.objects.get(pk=product.pk).is_published
