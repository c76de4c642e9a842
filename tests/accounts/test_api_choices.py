"""The API takes the same countries and trade currencies as the sign-up form: others are a 400 naming the field."""

import pytest

from accounts.models import BuyerProfile, User
from tests.api.helpers import error_fields
from tests.api.test_auth import SIGNUP

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"preferred_currency": "XYZ"}, "preferred_currency"),
        ({"preferred_currency": "BTC"}, "preferred_currency"),
        ({"preferred_currency": ""}, "preferred_currency"),
        ({"country": "ZZ"}, "country"),
        ({"country": "Brazil"}, "country"),
    ],
)
def test_register_refuses_codes_outside_the_lists(api, change, field, mailoutbox):
    response = api.post("/api/v1/auth/register/", {**SIGNUP, **change}, format="json")
    assert response.status_code == 400
    assert field in {name for name, _code in error_fields(response)}
    assert not User.objects.exists()
    assert mailoutbox == []


def test_the_currency_message_lists_the_choices(api):
    response = api.post("/api/v1/auth/register/", {**SIGNUP, "preferred_currency": "XYZ"}, format="json")
    [error] = response.json()["errors"]
    assert error["field"] == "preferred_currency" and error["code"] == "invalid_choice"
    assert "USD" in error["message"] and "KES" in error["message"]


def test_register_takes_a_listed_currency_in_any_case(api):
    response = api.post("/api/v1/auth/register/", {**SIGNUP, "preferred_currency": "kes"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["user"]["profile"]["preferred_currency"] == "KES"


def test_registering_over_the_api_sends_the_verification_and_welcome(api, committed, mailoutbox):
    with committed():
        assert api.post("/api/v1/auth/register/", SIGNUP, format="json").status_code == 201
    assert [m.to for m in mailoutbox] == [["new.buyer@example.com"]] * 2


def test_me_patch_refuses_a_currency_outside_the_list(buyer_api, buyer):
    response = buyer_api.patch("/api/v1/me/", {"profile": {"preferred_currency": "XYZ"}}, format="json")
    assert response.status_code == 400
    assert "profile.preferred_currency" in {name for name, _code in error_fields(response)}
    assert BuyerProfile.objects.get(user=buyer).preferred_currency == "USD"
