"""Buyers sign up with their company profile and log in by email."""

import pytest
from django.urls import reverse

from accounts.models import BuyerProfile, User

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "Ana@Importadora.example",
    "first_name": "Ana",
    "last_name": "Souza",
    "company_name": "Importadora Souza Ltda",
    "country": "br",
    "preferred_language": "pt",
    "preferred_currency": "brl",
    "password1": "a-long-Passphrase-42",
    "password2": "a-long-Passphrase-42",
}


def test_signup_creates_buyer_with_profile_and_logs_in(client):
    response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "ana@importadora.example"
    profile = user.buyer_profile
    assert (profile.country, profile.preferred_language, profile.preferred_currency) == ("BR", "pt", "BRL")
    assert client.get(reverse("conversations:list")).status_code == 200


@pytest.mark.parametrize(
    "override",
    [
        {"email": "not-an-email"},
        {"country": "Brazil"},
        {"preferred_currency": "R$"},
        {"password2": "different"},
        {"preferred_language": "xx"},
        {"company_name": ""},
    ],
)
def test_bad_signup_is_a_form_error_and_creates_nothing(client, override):
    response = client.post(reverse("accounts:signup"), {**SIGNUP, **override})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not User.objects.exists() and not BuyerProfile.objects.exists()


def test_duplicate_email_is_refused(client, buyer):
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "email": buyer.email.upper()})
    assert response.status_code == 200
    assert User.objects.count() == 1


def test_login_by_email(client, buyer):
    response = client.post(reverse("accounts:login"), {"username": buyer.email, "password": "pass-1234-word"})
    assert response.status_code == 302


def test_user_manager_requires_email():
    with pytest.raises(ValueError):
        User.objects.create_user(email="", password="x")
    admin = User.objects.create_superuser(email="Root@Example.com", password="x")
    assert admin.is_staff and admin.is_superuser and admin.email == "root@example.com"


def test_an_operator_can_add_a_user_in_the_admin(client, django_user_model):
    operator = django_user_model.objects.create_superuser(email="ops@example.com", password="pass-1234-word")
    client.force_login(operator)
    assert client.get("/admin/accounts/user/add/").status_code == 200
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "new-buyer@example.com",
            "usable_password": "true",
            "password1": "x9!Lq2vR#t",
            "password2": "x9!Lq2vR#t",
            "buyer_profile-TOTAL_FORMS": "0",
            "buyer_profile-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert django_user_model.objects.get(email="new-buyer@example.com").check_password("x9!Lq2vR#t")
