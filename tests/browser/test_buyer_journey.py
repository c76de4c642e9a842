"""A buyer's first visit in a real browser, at desktop and phone widths: search → product → contact (what they typed
survives signing in), saving a product, a search with no result → a sourcing request, and the site in German and
Arabic (translated labels, right-to-left). No buyer page scrolls sideways on a phone."""

import pytest
from django.urls import reverse

from conversations.models import Conversation
from marketplace.models import Favorite
from suppliers.models import VerificationLevel
from tests.conftest import PASSWORD
from tests.factories import BuyerFactory, CategoryFactory, SupplierFactory
from tests.search.conftest import make_product

from .conftest import DESKTOP, PHONE, screenshot, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def market(transactional_db):
    tools = CategoryFactory(slug="power-tools", name="Power Tools")
    maker = SupplierFactory(
        name="Yongkang Power Tools Factory",
        slug="yongkang-power-tools",
        kind="factory",
        verification_level=VerificationLevel.ONSITE,
        trade_assurance=True,
    )
    rival = SupplierFactory(name="Ningbo Tool Trading", slug="ningbo-tool-trading", kind="trading_company")
    drill = make_product(
        supplier=maker,
        category=tools,
        title="Brushless Cordless Drill 18 V",
        keywords="cordless drill, drill driver",
        price="24.50",
        moq=300,
    )
    make_product(supplier=maker, category=tools, title="Cordless Impact Driver 18 V", keywords="impact driver")
    make_product(supplier=rival, category=tools, title="Cordless Drill 20 V Kit", keywords="cordless drill")
    buyer = BuyerFactory(email="importer@example.de")
    return {"drill": drill, "maker": maker, "buyer": buyer}


# Controls a thumb must hit: buttons, form fields, the menu, filters, chips, card actions, pagination.
TAP_TARGETS = (
    "main button, main .button, main select, main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), "
    ".site-menu > summary, .header-search button, .facets a, .chips a, .card-contact, .pagination a, "
    ".facets-drawer > summary"
)


def small_tap_targets(page) -> list[str]:
    """Visible controls under 44 px high on the current page."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
            .filter((el) => el.offsetParent !== null && el.getBoundingClientRect().height < 43.5)
            .map((el) => el.outerHTML.slice(0, 80))""",
        TAP_TARGETS,
    )


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_search_product_contact(live_server, browser_page, market, viewport):
    page, name = browser_page, "phone" if viewport is PHONE else "desktop"
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/")
    page.fill("#header-q", "cordless drill")
    page.press("#header-q", "Enter")
    page.wait_for_url("**/search/**")
    assert no_sideways_scroll(page)
    if viewport is PHONE:
        # Filters wait in a drawer: the first result is on the first screen.
        assert page.locator(".facets-drawer").get_attribute("open") is None
        assert page.locator(".product-card").first.bounding_box()["y"] < viewport["height"]
    screenshot(page, f"buyer-search-{name}")
    page.click("text=Brushless Cordless Drill 18 V")
    page.wait_for_url("**/products/**")

    # Contact is on the first screen, not below the description.
    contact = page.locator(".contact-actions a.button", has_text="Contact supplier")
    assert contact.is_visible() and contact.bounding_box()["y"] + 44 <= viewport["height"]
    assert no_sideways_scroll(page)
    screenshot(page, f"buyer-product-{name}")
    contact.click()
    page.fill("textarea[name=body]", "Price for 1,200 sets with our logo, DDP Hamburg?")
    page.fill("input[name=quantity]", "1200")
    page.click("#inquiry button[type=submit]")

    # Signed out: sign in first; the message waits in the form.
    page.wait_for_url("**/accounts/login/**")
    page.fill("input[name=username]", market["buyer"].email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/products/**")
    assert page.input_value("textarea[name=body]") == "Price for 1,200 sets with our logo, DDP Hamburg?"
    assert page.input_value("input[name=quantity]") == "1200"
    assert not Conversation.objects.exists()
    page.click("#inquiry button[type=submit]")
    page.wait_for_url("**/messages/**")
    assert "Your inquiry was sent to Yongkang Power Tools Factory" in page.content()
    inquiry = Conversation.objects.get()
    assert inquiry.quantity == 1200 and inquiry.supplier == market["maker"] and inquiry.topic == market["drill"]


def test_saved_products_and_more_from_the_supplier(live_server, browser_page, market):
    page = browser_page
    sign_in(page, live_server, market["buyer"].email, PASSWORD)
    page.goto(live_server.url + market["drill"].get_absolute_url())
    assert page.locator(".more-products", has_text="Cordless Impact Driver 18 V").is_visible()
    page.click("button.save")
    assert page.locator("button.save.saved").is_visible()
    assert Favorite.objects.filter(user=market["buyer"], product=market["drill"]).exists()
    page.click(".site-menu a[href='/saved/']")
    assert page.locator("main .product-card", has_text="Brushless Cordless Drill 18 V").count() >= 1
    assert page.locator(".recently-viewed, main section", has_text="Recently viewed").count() >= 1
    screenshot(page, "buyer-saved-desktop")


def test_zero_results_lead_to_a_sourcing_request(live_server, browser_page, market):
    page = browser_page
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, market["buyer"].email, PASSWORD)
    page.goto(f"{live_server.url}/search/?q=titanium+bicycle+frame")
    assert page.locator(".facets-drawer").count() == 0, "no filter panel of zeros"
    screenshot(page, "buyer-zero-results-phone")
    page.click(".sourcing-cta a.button")
    page.wait_for_url("**/sourcing/**")
    assert page.input_value("textarea[name=text]") == "titanium bicycle frame"


def test_the_site_in_german_and_arabic(live_server, browser_page, market):
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + market["drill"].get_absolute_url())
    page.click(".site-menu > summary")
    with page.expect_navigation():
        page.select_option("#language", "de")
    assert page.get_attribute("html", "lang") == "de" and page.get_attribute("html", "dir") == "ltr"
    assert page.locator(".contact-actions a.button").first.inner_text() == "Lieferanten kontaktieren"
    assert no_sideways_scroll(page)
    screenshot(page, "buyer-product-de-phone")

    page.click(".site-menu > summary")
    with page.expect_navigation():
        page.select_option("#language", "ar")
    assert page.get_attribute("html", "lang") == "ar" and page.get_attribute("html", "dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert "Contact supplier" not in page.locator("main").inner_text()
    assert no_sideways_scroll(page)
    screenshot(page, "buyer-product-ar-phone")


def test_no_buyer_page_scrolls_sideways_on_a_phone(live_server, browser_page, market):
    page = browser_page
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, market["buyer"].email, PASSWORD)
    for path in [
        "/",
        reverse("search:search") + "?q=drill",
        reverse("search:search") + "?q=drill&tab=suppliers",
        market["drill"].category.get_absolute_url(),
        market["drill"].get_absolute_url(),
        market["maker"].get_absolute_url(),
        reverse("marketplace:trust"),
        reverse("marketplace:saved"),
        reverse("conversations:list"),
        reverse("rankings:index"),
        reverse("sourcing:home"),
    ]:
        page.goto(live_server.url + path)
        assert no_sideways_scroll(page), path
        assert not small_tap_targets(page), (path, small_tap_targets(page))
    screenshot(page, "buyer-sourcing-phone")
