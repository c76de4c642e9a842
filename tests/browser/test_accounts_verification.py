"""A buyer signs up in a real browser (country and currency preselected from the browser's language), gets the
verification e-mail, opens its link in the same browser and sees the address verified, on the page and on their
account page. The live server runs in this process, so the e-mail is read from django.core.mail.outbox."""

import re

import pytest
from django.core import mail

from accounts.models import User

from .conftest import PHONE, screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def page_pt_br(chromium):
    context = chromium.new_context(viewport=PHONE, locale="pt-BR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_sign_up_then_verify_the_address_from_the_email(page_pt_br, live_server, settings):
    settings.SITE_URL = live_server.url  # links in e-mails point at this server
    page = page_pt_br
    mail.outbox.clear()
    page.goto(f"{live_server.url}/accounts/signup/")
    # From Accept-Language pt-BR: Brazil, reais and Portuguese are already chosen.
    assert page.input_value("select[name=country]") == "BR"
    assert page.input_value("select[name=preferred_currency]") == "BRL"
    assert page.input_value("select[name=preferred_language]") == "pt"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scroll on a phone

    page.fill("input[name=email]", "compras@importadora-rio.example")
    page.fill("input[name=first_name]", "Beatriz")
    page.fill("input[name=last_name]", "Lima")
    page.fill("input[name=company_name]", "Importadora Rio Ltda")
    page.fill("input[name=password1]", "Verde-Amarelo-Porto-2031")
    page.fill("input[name=password2]", "Verde-Amarelo-Porto-2031")
    screenshot(page, "accounts-signup-phone")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "compras@importadora-rio.example" in page.locator(".messages").inner_text()

    [verification] = [m for m in mail.outbox if "/accounts/verify/" in m.body]
    assert verification.to == ["compras@importadora-rio.example"]
    [link] = re.findall(rf"{re.escape(live_server.url)}/accounts/verify/\S+", verification.body)
    page.goto(link)
    assert page.locator("#verified").is_visible()
    assert "compras@importadora-rio.example" in page.locator("#verified").inner_text()
    screenshot(page, "accounts-email-verified-phone")
    assert User.objects.get(email="compras@importadora-rio.example").email_verified_at is not None

    page.goto(f"{live_server.url}/accounts/account/")
    assert page.locator(".badge.verified").is_visible()
    screenshot(page, "accounts-account-phone")
    assert page.locator("#verify-notice").count() == 0
