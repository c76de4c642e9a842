"""The sourcing journey in a real browser: a buyer describes a need, checks the requirements, reads the plan's
comparison, sends an RFQ to the best matches; a supplier quotes in the seller centre; the buyer compares and
accepts. At desktop and phone widths (no sideways scrolling of the page itself: wide tables scroll in their box)."""

from decimal import Decimal

import pytest

from sourcing.models import PlanStatus, Quote, QuoteStatus, RFQRecipient, RFQStatus, SourcingRequest
from suppliers.models import VerificationLevel
from tests.conftest import PASSWORD
from tests.factories import BuyerFactory, CategoryFactory, MembershipFactory, SupplierFactory, UserFactory
from tests.search.conftest import make_product

from .conftest import DESKTOP, PHONE, screenshot, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

REQUEST = "Need 2,000 bamboo cutting boards with our logo burned in, under 4 EUR each CIF Rotterdam, within 60 days."


@pytest.fixture
def market(transactional_db):
    kitchen = CategoryFactory(slug="cookware", name="Cookware")
    makers = [
        SupplierFactory(
            name="Fujian Bamboo Homeware Factory",
            slug="fujian-bamboo",
            kind="factory",
            verification_level=VerificationLevel.ONSITE,
            factory_area_m2=12000,
            staff_count=180,
            response_rate=Decimal("96"),
            export_markets=["EU", "US"],
        ),
        SupplierFactory(name="Xiamen Kitchen Trading", slug="xiamen-kitchen", kind="trading_company"),
        SupplierFactory(name="Zhejiang Woodcraft Works", slug="zhejiang-woodcraft", kind="factory"),
    ]
    for supplier, price in zip(makers, ("3.10", "3.60", "3.95"), strict=True):
        make_product(
            supplier=supplier,
            category=kitchen,
            title="Bamboo Cutting Board with Juice Groove",
            keywords="bamboo chopping board, cutting board",
            price=price,
            moq=500,
            lead=30,
            custom_logo=True,
        )
    seller = MembershipFactory(supplier=makers[0], user=UserFactory(email="seller@fujian.example")).user
    buyer = BuyerFactory(email="importer@example.nl")
    return {"buyer": buyer, "seller": seller, "makers": makers}


def _no_page_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_buyer_goes_from_a_need_to_an_rfq_and_accepts_a_quote(live_server, browser_page, market, viewport):
    page = browser_page
    page.set_viewport_size(viewport)
    tag = "desktop" if viewport is DESKTOP else "phone"
    sign_in(page, live_server, market["buyer"].email, PASSWORD)

    page.goto(f"{live_server.url}/sourcing/")
    page.fill("textarea[name=text]", REQUEST)
    page.click("main form.sourcing-form button[type=submit]")
    page.wait_for_selector("form.requirements-form")
    assert page.input_value("input[name=quantity]") == "2000"
    assert page.input_value("select[name=incoterm]") == "CIF"
    assert page.input_value("select[name=destination_country]") == "NL"
    assert page.input_value("select[name=currency]") == "EUR"
    assert _no_page_overflow(page)
    screenshot(page, f"sourcing-requirements-{tag}")

    page.click("button[name=plan]")
    page.wait_for_selector("table.comparison")
    assert "Fujian Bamboo Homeware Factory" in page.inner_text("table.comparison")
    assert _no_page_overflow(page)
    screenshot(page, f"sourcing-plan-{tag}")
    request = SourcingRequest.objects.get(buyer=market["buyer"])
    assert request.plans.get().status == PlanStatus.DONE

    page.click("text=Prepare an RFQ")
    page.wait_for_selector("fieldset.recipients")
    page.click("button[name=send]")
    page.wait_for_selector("text=The RFQ was sent")
    rfq = request.rfqs.get()
    assert rfq.status == RFQStatus.SENT
    recipient = RFQRecipient.objects.get(rfq=rfq, supplier=market["makers"][0])

    # The supplier answers in the seller centre, in its own browser session.
    seller = page.context.browser.new_context(viewport=viewport, locale="en-US").new_page()
    seller.goto(f"{live_server.url}/seller/login/")
    seller.fill("input[name=username]", market["seller"].email)
    seller.fill("input[name=password]", PASSWORD)
    seller.click("input[type=submit]")
    seller.goto(f"{live_server.url}/seller/sourcing/rfqrecipient/")
    seller.click(f"a[href$='/rfqrecipient/{recipient.pk}/change/']")
    line = rfq.lines.get()
    seller.fill("input[name=quote-lead_time_days]", "35")
    seller.fill("input[name=quote-payment_terms]", "T/T 30% deposit, 70% against B/L copy")
    seller.fill(f"input[name=line-{line.pk}-tier_0_min_quantity]", "1000")
    seller.fill(f"input[name=line-{line.pk}-tier_0_unit_price]", "3.40")
    seller.fill(f"input[name=line-{line.pk}-tier_1_min_quantity]", "2000")
    seller.fill(f"input[name=line-{line.pk}-tier_1_unit_price]", "3.20")
    for index in range(len(rfq.requirements)):
        seller.select_option(f"select[name=answer-{index}-answer]", "meets")
    assert _no_page_overflow(seller)
    screenshot(seller, f"sourcing-seller-quote-{tag}")
    seller.click("button[name=_action][value=submit]")
    seller.wait_for_selector("text=Quote sent to the buyer")
    quote = Quote.objects.get(recipient=recipient)
    assert [t.unit_price for t in quote.lines.get().tiers.all()] == [Decimal("3.4000"), Decimal("3.2000")]
    seller.context.close()

    page.reload()
    page.wait_for_selector("table.comparison")
    assert "Fujian Bamboo Homeware Factory" in page.inner_text("table.comparison")
    assert _no_page_overflow(page)
    screenshot(page, f"sourcing-quotes-{tag}")
    page.click(f"form[action$='/quotes/{quote.pk}/accept/'] button")
    page.wait_for_selector("text=Quote accepted")
    assert Quote.objects.get(pk=quote.pk).status == QuoteStatus.ACCEPTED
