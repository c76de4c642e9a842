"""Registration, JWT obtain/refresh/logout, session auth, and the signed-in user's own account."""

import pytest
from rest_framework.test import APIClient

from accounts.models import BuyerProfile, User

from .helpers import error_fields

pytestmark = pytest.mark.django_db

PASSWORD = "pass-1234-word"
SIGNUP = {
    "email": "New.Buyer@Example.com",
    "password": "a-Long-unusual-passphrase-42",
    "first_name": "Ana",
    "last_name": "Silva",
    "company_name": "Silva Importadora Ltda",
    "country": "br",
    "preferred_language": "pt",
    "preferred_currency": "brl",
}


def login(client, email, password=PASSWORD):
    return client.post("/api/v1/auth/token/", {"email": email, "password": password}, format="json")


def test_register_creates_buyer_with_profile_and_returns_tokens(api):
    response = api.post("/api/v1/auth/register/", SIGNUP, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["user"]["email"] == "new.buyer@example.com"
    assert body["user"]["profile"] == {
        "company_name": "Silva Importadora Ltda",
        "country": "BR",
        "preferred_language": "pt",
        "preferred_currency": "BRL",
        "phone": "",
    }
    assert body["user"]["supplier"] is None
    me = APIClient()
    me.credentials(HTTP_AUTHORIZATION=f"Bearer {body['tokens']['access']}")
    assert me.get("/api/v1/me/").json()["email"] == "new.buyer@example.com"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "BUYER@example.com"}, "email"),  # taken, in another case
        ({"email": "not-an-email"}, "email"),
        ({"password": "password"}, "password"),
        ({"password": "ana-silva"}, "password"),
        ({"country": "Brazil"}, "country"),
        ({"preferred_currency": 986}, "preferred_currency"),
        ({"preferred_language": "xx"}, "preferred_language"),
        ({"company_name": ["a", "list"]}, "company_name"),
        ({"first_name": None}, "first_name"),
    ],
)
def test_register_rejects_bad_input_and_writes_nothing(api, buyer, change, field):
    users = User.objects.count()
    response = api.post("/api/v1/auth/register/", {**SIGNUP, **change}, format="json")
    assert response.status_code == 400
    assert field in {name for name, _code in error_fields(response)}
    assert User.objects.count() == users


def test_register_reports_every_missing_field(api):
    response = api.post("/api/v1/auth/register/", {}, format="json")
    assert response.status_code == 400
    fields = error_fields(response)
    assert {("email", "required"), ("password", "required"), ("country", "required")} <= fields


def test_token_obtain_refresh_and_logout(api, buyer):
    response = login(api, "Buyer@Example.com")  # any case
    assert response.status_code == 200, response.content
    tokens = response.json()
    assert set(tokens) == {"access", "refresh"}

    refreshed = api.post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json")
    assert refreshed.status_code == 200
    new = refreshed.json()
    assert new["refresh"] != tokens["refresh"]
    # Rotation blacklists the old refresh token.
    reused = api.post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json")
    assert reused.status_code == 401
    assert error_fields(reused) == {(None, "token_not_valid")}

    assert api.post("/api/v1/auth/logout/", {"refresh": new["refresh"]}, format="json").status_code == 204
    after = api.post("/api/v1/auth/token/refresh/", {"refresh": new["refresh"]}, format="json")
    assert after.status_code == 401
    again = api.post("/api/v1/auth/logout/", {"refresh": new["refresh"]}, format="json")
    assert again.status_code == 401


def test_wrong_password_and_garbage_tokens_are_401_in_the_error_shape(api, buyer):
    response = login(api, "buyer@example.com", "wrong")
    assert response.status_code == 401
    assert error_fields(response) == {(None, "no_active_account")}

    api.credentials(HTTP_AUTHORIZATION="Bearer not.a.jwt")
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert error_fields(response) == {(None, "token_not_valid")}
    assert response["WWW-Authenticate"].startswith("Bearer")

    response = APIClient().post("/api/v1/auth/logout/", {"refresh": "garbage"}, format="json")
    assert response.status_code == 401


def test_me_requires_authentication(api):
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert error_fields(response) == {(None, "not_authenticated")}


def test_session_auth_works_for_the_browsable_api(client, buyer):
    client.force_login(buyer)
    assert client.get("/api/v1/me/", HTTP_ACCEPT="application/json").json()["email"] == "buyer@example.com"
    page = client.get("/api/v1/me/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and b"buyer@example.com" in page.content


def test_session_writes_need_csrf(buyer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer)
    response = client.patch("/api/v1/me/", {"first_name": "X"}, content_type="application/json")
    assert response.status_code == 403
    assert error_fields(response) == {(None, "permission_denied")}


def test_me_shows_profile_and_supplier(buyer_api, seller_a_api):
    assert buyer_api.get("/api/v1/me/").json()["profile"]["country"] == "DE"
    seller = seller_a_api.get("/api/v1/me/").json()
    assert seller["profile"] is None
    assert seller["supplier"] == {"slug": "alpha-tools", "name": "Alpha Tools Co., Ltd.", "role": "owner"}


def test_me_patch_updates_name_and_profile(buyer_api, buyer):
    response = buyer_api.patch(
        "/api/v1/me/",
        {"first_name": "Jonas", "profile": {"country": "at", "preferred_currency": "eur", "phone": "+43 1 234"}},
        format="json",
    )
    assert response.status_code == 200, response.content
    profile = BuyerProfile.objects.get(user=buyer)
    assert (profile.country, profile.preferred_currency, profile.phone) == ("AT", "EUR", "+43 1 234")
    assert User.objects.get(pk=buyer.pk).first_name == "Jonas"
    assert response.json()["profile"]["country"] == "AT"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"profile": {"country": "Austria"}}, "profile.country"),
        ({"profile": {"preferred_language": "klingon"}}, "profile.preferred_language"),
        ({"profile": "AT"}, "profile"),
        ({"first_name": 42}, "first_name"),
        ({"first_name": "x" * 151}, "first_name"),
    ],
)
def test_me_patch_rejects_bad_input_and_changes_nothing(buyer_api, buyer, payload, field):
    response = buyer_api.patch("/api/v1/me/", payload, format="json")
    assert response.status_code == 400
    assert field in {name for name, _code in error_fields(response)}
    profile = BuyerProfile.objects.get(user=buyer)
    assert profile.country == "DE" and profile.preferred_language == "en"


@pytest.mark.parametrize(
    ("sent", "stored"), [("zh", "zh-hans"), ("zh-CN", "zh-hans"), ("zh-hans", "zh-hans"), ("pt-BR", "pt")]
)
def test_me_patch_takes_plain_and_regional_language_codes(buyer_api, buyer, sent, stored):
    response = buyer_api.patch("/api/v1/me/", {"profile": {"preferred_language": sent}}, format="json")
    assert response.status_code == 200
    assert response.json()["profile"]["preferred_language"] == stored
    assert BuyerProfile.objects.get(user=buyer).preferred_language == stored


def test_accept_language_zh_is_simplified_chinese(api):
    response = api.get("/api/v1/categories/", HTTP_ACCEPT_LANGUAGE="zh")
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"


def test_seller_without_buyer_profile_cannot_patch_one(seller_a_api):
    response = seller_a_api.patch("/api/v1/me/", {"profile": {"country": "DE"}}, format="json")
    assert response.status_code == 400
    assert error_fields(response) == {("profile", "no_profile")}


def test_put_is_not_offered_on_me(buyer_api):
    response = buyer_api.put("/api/v1/me/", {}, format="json")
    assert response.status_code == 405
    assert error_fields(response) == {(None, "method_not_allowed")}
