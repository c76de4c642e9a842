"""A new buyer's address is verified by a signed link mailed at sign-up; a bad, expired or outdated link says so and
changes nothing; an unverified buyer sees it on their account page and at sign-in, and can get a new link."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import User
from tests.conftest import PASSWORD

from .helpers import html_body, link_path
from .test_accounts import SIGNUP

pytestmark = pytest.mark.django_db


def verify_link(user) -> str:
    return reverse("accounts:email_verify", args=[services.email_verification_token(user=user)])


def sign_up(client, committed):
    with committed():
        response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 302
    return User.objects.get(email=SIGNUP["email"].lower())


def test_sign_up_mails_a_link_that_verifies_the_address(client, committed, mailoutbox):
    user = sign_up(client, committed)
    assert user.email_verified_at is None
    # The next page tells the buyer to look for the link.
    assert "We sent a link to ana@importadora.example" in client.get(reverse("marketplace:home")).content.decode()
    [verification] = [m for m in mailoutbox if "/accounts/verify/" in m.body]
    assert verification.to == ["ana@importadora.example"]
    path = link_path(verification, "/accounts/verify/")
    assert path in html_body(verification)

    client.logout()  # the link works from any browser: the token is the proof
    response = client.get(path)
    assert response.status_code == 200
    assert "is verified" in response.content.decode()
    user.refresh_from_db()
    first = user.email_verified_at
    assert first is not None
    # Opening it again is harmless and keeps the first time.
    assert client.get(path).status_code == 200
    user.refresh_from_db()
    assert user.email_verified_at == first


@pytest.mark.parametrize("tamper", [lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"), lambda t: "x" + t])
def test_a_tampered_link_is_refused_and_changes_nothing(client, buyer, tamper):
    token = services.email_verification_token(user=buyer)
    response = client.get(reverse("accounts:email_verify", args=[tamper(token)]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "This link did not work" in html and "is not valid" in html and 'class="errorlist"' in html
    buyer.refresh_from_db()
    assert buyer.email_verified_at is None


def test_an_expired_link_is_refused_and_changes_nothing(client, buyer):
    made = timezone.now() - services.EMAIL_VERIFICATION_MAX_AGE - timedelta(minutes=1)
    with mock.patch("django.core.signing.time.time", return_value=made.timestamp()):
        path = verify_link(buyer)
    response = client.get(path)
    assert response.status_code == 400 and "has expired" in response.content.decode()
    buyer.refresh_from_db()
    assert buyer.email_verified_at is None


def test_a_link_for_an_old_address_is_refused(client, buyer):
    path = verify_link(buyer)
    User.objects.filter(pk=buyer.pk).update(email="new-address@example.com")
    response = client.get(path)
    assert response.status_code == 400 and "no longer on the account" in response.content.decode()
    assert User.objects.get(pk=buyer.pk).email_verified_at is None


def test_another_accounts_link_verifies_only_that_account(client, buyer, other_buyer):
    client.force_login(buyer)
    assert client.get(verify_link(other_buyer)).status_code == 200
    assert User.objects.get(pk=other_buyer.pk).email_verified_at is not None
    assert User.objects.get(pk=buyer.pk).email_verified_at is None


def test_the_account_page_shows_the_state_and_offers_a_new_link(client, buyer, committed, mailoutbox):
    client.force_login(buyer)
    html = client.get(reverse("accounts:account")).content.decode()
    assert "not verified" in html and reverse("accounts:email_verification_resend") in html
    assert "Germany" in html  # the profile's country, by name

    with committed():
        response = client.post(reverse("accounts:email_verification_resend"))
    assert response.status_code == 302 and response.url == reverse("accounts:account")
    [message] = mailoutbox
    assert message.to == [buyer.email] and "/accounts/verify/" in message.body
    assert "We sent a new verification link" in client.get(response.url).content.decode()

    client.get(link_path(message, "/accounts/verify/"))
    html = client.get(reverse("accounts:account")).content.decode()
    assert 'class="badge verified"' in html and reverse("accounts:email_verification_resend") not in html
    # Nothing more to send once verified.
    with committed():
        client.post(reverse("accounts:email_verification_resend"))
    assert len(mailoutbox) == 1


def test_new_links_are_rate_limited_per_account(client, buyer, committed, settings, mailoutbox):
    settings.PAGE_RATE_LIMITS = {**settings.PAGE_RATE_LIMITS, "email_verification": "2/h"}
    client.force_login(buyer)
    url = reverse("accounts:email_verification_resend")
    with committed():
        statuses = [client.post(url).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert len(mailoutbox) == 2


def test_a_new_link_needs_a_signed_in_post(client, buyer, mailoutbox):
    url = reverse("accounts:email_verification_resend")
    assert client.post(url).status_code == 302 and mailoutbox == []  # to the sign-in page
    client.force_login(buyer)
    assert client.get(url).status_code == 405


def test_signing_in_unverified_shows_a_notice_once(client, buyer):
    response = client.post(reverse("accounts:login"), {"username": buyer.email, "password": PASSWORD}, follow=True)
    html = response.content.decode()
    assert "Your e-mail address is not verified yet" in html
    assert f'<a href="{reverse("accounts:account")}">your account page</a>' in html
    assert "not verified yet" not in client.get(reverse("marketplace:home")).content.decode()


def test_signing_in_verified_shows_no_notice(client, buyer):
    User.objects.filter(pk=buyer.pk).update(email_verified_at=timezone.now())
    response = client.post(reverse("accounts:login"), {"username": buyer.email, "password": PASSWORD}, follow=True)
    assert "not verified yet" not in response.content.decode()


def test_sellers_get_no_buyer_notice(client, seller_a):
    response = client.post(reverse("accounts:login"), {"username": seller_a.email, "password": PASSWORD}, follow=True)
    assert "not verified yet" not in response.content.decode()


def test_the_account_page_needs_sign_in(client):
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
