"""Sign-up offers countries (django-countries, in the visitor's language) and the trade currencies as choices,
preselected from the browser where it tells us; anything outside the lists is a form error and creates nothing."""

import pytest
from django.urls import reverse

from accounts.currencies import TRADE_CURRENCIES, currency_for_country
from accounts.models import BuyerProfile, User

from .test_accounts import SIGNUP

pytestmark = pytest.mark.django_db


def selected(html: str, value: str) -> bool:
    return f'<option value="{value}" selected>' in html


def test_the_trade_currencies_are_thirty_distinct_iso_codes():
    assert len(TRADE_CURRENCIES) == 30
    assert all(len(code) == 3 and code.isupper() for code in TRADE_CURRENCIES)
    assert list(TRADE_CURRENCIES)[:3] == ["USD", "EUR", "GBP"]
    assert {currency_for_country("DE"), currency_for_country("br"), currency_for_country("US")} == {
        "EUR",
        "BRL",
        "USD",
    }
    assert currency_for_country(None) == "USD"


def test_the_form_preselects_country_currency_and_language_from_the_browser(client):
    html = client.get(reverse("accounts:signup"), HTTP_ACCEPT_LANGUAGE="pt-BR,pt;q=0.9,en;q=0.5").content.decode()
    assert selected(html, "BR") and selected(html, "BRL") and selected(html, "pt")
    # Country names in the visitor's language.
    assert ">Brasil<" in html and ">Alemanha<" in html


def test_a_bare_language_preselects_no_country(client):
    html = client.get(reverse("accounts:signup"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert selected(html, "de") and selected(html, "USD")
    assert selected(html, "")  # "Choose your country"
    assert ">Deutschland<" in html


def test_every_trade_currency_is_offered(client):
    html = client.get(reverse("accounts:signup")).content.decode()
    for code in TRADE_CURRENCIES:
        assert f'<option value="{code}"' in html


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"country": "ZZ"}, "country"),
        ({"country": ""}, "country"),
        ({"preferred_currency": "XYZ"}, "preferred_currency"),
        ({"preferred_currency": "BTC"}, "preferred_currency"),
        ({"preferred_currency": ""}, "preferred_currency"),
    ],
)
def test_an_unknown_country_or_currency_is_a_form_error_and_creates_nothing(client, override, field, mailoutbox):
    response = client.post(reverse("accounts:signup"), {**SIGNUP, **override})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'class="errorlist' in response.content.decode()
    assert not User.objects.exists() and not BuyerProfile.objects.exists()
    assert mailoutbox == []


def test_codes_are_taken_in_any_case_and_stored_upper(client):
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "country": "ke", "preferred_currency": "kes"})
    assert response.status_code == 302
    profile = BuyerProfile.objects.get()
    assert (profile.country, profile.preferred_currency) == ("KE", "KES")


def test_the_operator_edits_a_profile_from_the_same_lists(client, operator, buyer):
    client.force_login(operator)
    user_page = client.get(reverse("admin:accounts_user_change", args=[buyer.pk]))
    assert user_page.status_code == 200 and "Email verified at" in user_page.content.decode()
    url = reverse("admin:accounts_buyerprofile_change", args=[buyer.buyer_profile.pk])
    data = {
        "user": buyer.pk,
        "company_name": "Buyer Co",
        "country": "FR",
        "preferred_language": "fr",
        "preferred_currency": "XYZ",
        "phone": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "preferred_currency" in response.context["adminform"].form.errors
    assert client.post(url, {**data, "preferred_currency": "EUR"}).status_code == 302
    profile = BuyerProfile.objects.get(pk=buyer.buyer_profile.pk)
    assert (profile.country, profile.preferred_currency) == ("FR", "EUR")
