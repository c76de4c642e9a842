"""The deal after "accept quote", in a real browser: the buyer reads the drafted contract (clauses with sources) and
signs; the supplier signs in the seller centre; the buyer sees the payment instructions; an operator confirms the
transfer; the supplier starts production; the buyer releases the deposit on that evidence. At desktop and phone
widths, with the page itself never scrolling sideways."""

from decimal import Decimal

import pytest

from deals.models import Contract, ContractStatus, MilestoneStatus, Order, OrderStatus
from deals.services import contracts
from deals.services.ledger import ledger_imbalances
from tests.conftest import PASSWORD
from tests.deals.builders import accepted_quote
from tests.factories import BuyerFactory, MembershipFactory, SupplierFactory, UserFactory

from .conftest import DESKTOP, PHONE, screenshot, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def deal(transactional_db):
    supplier = SupplierFactory(name="Ningbo Sunrise Solar Co., Ltd.", slug="ningbo-sunrise", kind="factory")
    seller = MembershipFactory(supplier=supplier, user=UserFactory(email="seller@sunrise.example")).user
    buyer = BuyerFactory(email="importer@example.nl")
    operator = UserFactory(email="ops@silkway.example", is_staff=True, is_superuser=True)
    quote = accepted_quote(buyer, supplier)
    contract = Contract.objects.get(quote=quote)
    if contract.status == ContractStatus.DRAFTING:  # the on-commit draft task already ran in a real commit
        contracts.contract_draft(contract_id=contract.pk)
    return {"buyer": buyer, "seller": seller, "operator": operator, "contract": Contract.objects.get(pk=contract.pk)}


def _no_page_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _admin_page(page, live_server, site: str, user, viewport):
    other = page.context.browser.new_context(viewport=viewport, locale="en-US").new_page()
    other.goto(f"{live_server.url}/{site}/login/")
    other.fill("input[name=username]", user.email)
    other.fill("input[name=password]", PASSWORD)
    other.click("input[type=submit]")
    other.wait_for_load_state()
    return other


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_contract_to_funded_production_and_a_released_deposit(live_server, browser_page, deal, viewport):
    page = browser_page
    page.set_viewport_size(viewport)
    tag = "desktop" if viewport is DESKTOP else "phone"
    contract = deal["contract"]

    # The buyer reads the draft: the price clause cites the quote, template defaults say so.
    sign_in(page, live_server, deal["buyer"].email, PASSWORD)
    page.goto(f"{live_server.url}/deals/contracts/{contract.pk}/")
    body = page.inner_text("main")
    assert "Monocrystalline solar panel 550 W" in body and "20,700.00" in body
    assert "Template default" in body or "template default" in body
    assert _no_page_overflow(page), "the contract page scrolls sideways"
    screenshot(page, f"deals-contract-{tag}")
    page.fill("#sign input[name$=signatory]", "Anna de Vries")
    page.click("#sign button[type=submit]")
    page.wait_for_load_state()
    assert "Anna de Vries" in page.inner_text("main")

    # The supplier signs the same version in the seller centre; the order is created from it.
    seller = _admin_page(page, live_server, "seller", deal["seller"], viewport)
    seller.goto(f"{live_server.url}/seller/deals/contract/{contract.pk}/change/")
    seller.fill("input[name=accept-signatory]", "Chen Jing")
    seller.click("button[name=_action][value=accept]")
    seller.wait_for_load_state()
    assert Contract.objects.get(pk=contract.pk).status == ContractStatus.SIGNED
    order = Order.objects.get(contract=contract)

    # The buyer sees how to pay: the exact amount and the reference to quote.
    page.goto(f"{live_server.url}/deals/orders/{order.pk}/")
    body = page.inner_text("main")
    assert order.payment_reference in body and "20,700.00" in body
    assert _no_page_overflow(page), "the order page scrolls sideways"
    screenshot(page, f"deals-order-awaiting-payment-{tag}")

    # An operator confirms the transfer: a wrong amount first (refused, nothing changes), then the right one.
    operator = _admin_page(page, live_server, "admin", deal["operator"], viewport)
    operator.goto(f"{live_server.url}/admin/deals/order/{order.pk}/confirm-payment/")
    operator.fill("input[name=amount]", "20000.00")
    operator.fill("input[name=currency]", "USD")
    operator.click("#content form button[type=submit]")
    operator.wait_for_load_state()
    assert "does not match" in operator.inner_text("body")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT
    operator.fill("input[name=amount]", "20700.00")
    operator.fill("input[name=currency]", "USD")
    operator.click("#content form button[type=submit]")
    operator.wait_for_load_state()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.FUNDED

    # The supplier starts production in the seller centre.
    seller.goto(f"{live_server.url}/seller/deals/order/{order.pk}/change/")
    seller.click("button[name=_action][value=start_production]")
    seller.wait_for_load_state()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.IN_PRODUCTION
    screenshot(seller, f"deals-seller-order-{tag}")

    # The buyer releases the 30% deposit on that evidence; the balance waits for the bill of lading.
    page.goto(f"{live_server.url}/deals/orders/{order.pk}/")
    page.click("form[action*='/milestones/'] button")
    page.wait_for_load_state()
    deposit, balance = Order.objects.get(pk=order.pk).milestones.order_by("position")
    assert deposit.status == MilestoneStatus.RELEASED and deposit.amount == Decimal("6210.00")
    assert balance.status == MilestoneStatus.HELD
    assert page.locator("form[action*='/milestones/'] button").count() == 0
    assert ledger_imbalances() == []
    assert _no_page_overflow(page)
    screenshot(page, f"deals-order-in-production-{tag}")
    seller.context.close()
    operator.context.close()
