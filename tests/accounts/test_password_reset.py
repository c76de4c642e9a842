"""Forgotten passwords: Django's reset views under /accounts/password/, the e-mail queued and sent in the account's
language; an unknown address gets the same page and no e-mail."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import BuyerProfile
from tests.conftest import PASSWORD

from .helpers import html_body, link_path

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Quite-new-passphrase-77"


def ask_for_reset(client, committed, email):
    with committed():
        return client.post(reverse("accounts:password_reset"), {"email": email})


def test_the_sign_in_page_offers_a_reset(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{reverse("accounts:password_reset")}"' in html and "Forgot your password?" in html


def test_reset_end_to_end(client, buyer, committed, mailoutbox):
    response = ask_for_reset(client, committed, "BUYER@example.com")  # any case
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_done")
    assert "Check your e-mail" in client.get(response.url).content.decode()
    [message] = mailoutbox
    assert message.to == [buyer.email]
    path = link_path(message, "/accounts/password/reset/")
    assert path in html_body(message)

    # The link swaps its token for a session and shows the form at .../set-password/.
    response = client.get(path, follow=True)
    assert response.context["validlink"] is True
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_complete")
    assert "Password changed" in client.get(response.url).content.decode()

    login = reverse("accounts:login")
    assert client.post(login, {"username": buyer.email, "password": PASSWORD}).status_code == 200  # the old one
    assert client.post(login, {"username": buyer.email, "password": NEW_PASSWORD}).status_code == 302
    # The link worked once.
    client.logout()
    response = client.get(path, follow=True)
    assert response.context["validlink"] is False
    assert "This link did not work" in response.content.decode()


def test_an_unknown_address_gets_the_same_page_and_no_email(client, buyer, committed, mailoutbox):
    response = ask_for_reset(client, committed, "nobody@example.com")
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_an_inactive_account_gets_no_email(client, buyer, committed, mailoutbox):
    buyer.is_active = False
    buyer.save()
    ask_for_reset(client, committed, buyer.email)
    assert mailoutbox == []


def test_a_bad_password_is_a_form_error_and_keeps_the_old_one(client, buyer, committed, mailoutbox):
    ask_for_reset(client, committed, buyer.email)
    response = client.get(link_path(mailoutbox[0], "/accounts/password/reset/"), follow=True)
    response = client.post(response.redirect_chain[-1][0], {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
    buyer.refresh_from_db()
    assert buyer.check_password(PASSWORD)


def test_the_reset_email_is_in_the_buyers_language(client, buyer, committed, mailoutbox):
    BuyerProfile.objects.filter(user=buyer).update(preferred_language="de")
    ask_for_reset(client, committed, buyer.email)  # asked from an English page
    html = html_body(mailoutbox[0])
    assert '<html lang="de"' in html
    with translation.override("de"):
        footer = translation.gettext("Silkway is an open-source B2B sourcing marketplace.")
    assert footer in html and footer != "Silkway is an open-source B2B sourcing marketplace."


def test_reset_requests_are_rate_limited(client, buyer, committed, settings, mailoutbox):
    settings.PAGE_RATE_LIMITS = {**settings.PAGE_RATE_LIMITS, "password_reset": "2/h"}
    statuses = [ask_for_reset(client, committed, buyer.email).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert len(mailoutbox) == 2


def test_a_signed_in_buyer_changes_their_password(client, buyer):
    client.force_login(buyer)
    url = reverse("accounts:password_change")
    response = client.post(
        url, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302 and response.url == reverse("accounts:password_change_done")
    buyer.refresh_from_db()
    assert buyer.check_password(NEW_PASSWORD)
