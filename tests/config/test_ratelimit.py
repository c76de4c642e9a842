"""Page rate limits: sign-in (per address and per account), sign-up and sending inquiries answer 429 with a page a
person understands once the limit is passed; below it nothing changes."""

import pytest
from django.urls import reverse

from core.ratelimit import parse_rate
from tests.factories import BuyerFactory, ProductFactory, UserFactory


def test_rates_parse():
    assert parse_rate("10/15m") == (10, 900)
    assert parse_rate("30/h") == (30, 3600)
    assert parse_rate("5/minute") == (5, 60)
    with pytest.raises(ValueError):
        parse_rate("ten a minute")


@pytest.mark.django_db
def test_sign_in_is_limited_per_address_with_a_readable_lockout(client, settings):
    settings.PAGE_RATE_LIMITS = {**settings.PAGE_RATE_LIMITS, "login": "3/15m"}
    url = reverse("accounts:login")
    for attempt in range(3):
        response = client.post(url, {"username": f"someone{attempt}@example.com", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    response = client.post(url, {"username": "another@example.com", "password": "wrong"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    text = response.content.decode()
    assert "Too many attempts" in text and "then try again" in text
    assert client.get(url).status_code == 200  # reading the page is never limited


@pytest.mark.django_db
def test_sign_in_is_limited_per_account_across_addresses(client, settings):
    settings.PAGE_RATE_LIMITS = {**settings.PAGE_RATE_LIMITS, "login": "2/15m"}
    user = UserFactory()
    url = reverse("accounts:login")
    for address in ("10.0.0.1", "10.0.0.2"):
        client.post(url, {"username": user.email, "password": "wrong"}, REMOTE_ADDR=address)
    response = client.post(url, {"username": user.email.upper(), "password": "wrong"}, REMOTE_ADDR="10.0.0.3")
    assert response.status_code == 429
    # Another account from a fresh address is untouched.
    assert client.post(url, {"username": "x@example.com", "password": "y"}, REMOTE_ADDR="10.0.0.4").status_code == 200


@pytest.mark.django_db
def test_sign_up_is_limited(client, settings):
    settings.PAGE_RATE_LIMITS = {**settings.PAGE_RATE_LIMITS, "signup": "2/h"}
    url = reverse("accounts:signup")
    assert [client.post(url, {"email": "not-an-email"}).status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.django_db
def test_inquiries_are_limited_per_buyer(client, settings, buyer):

    settings.PAGE_RATE_LIMITS = {**settings.PAGE_RATE_LIMITS, "inquiry": "2/h"}
    product = ProductFactory()
    client.force_login(buyer)
    url = product.get_absolute_url()
    statuses = [
        client.post(url, {"body": "Price for 500 units?", "quantity": product.moq}).status_code for _ in range(3)
    ]
    assert statuses[:2] != [429, 429] and statuses[2] == 429
    # Another buyer from the same address may still send.
    client.force_login(BuyerFactory())
    assert client.post(url, {"body": "Price?", "quantity": product.moq}).status_code != 429
