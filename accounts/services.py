"""Writes on accounts."""

from django.db import transaction

from .models import BuyerProfile, User


@transaction.atomic
def buyer_register(*, email: str, password: str, first_name: str, last_name: str, company_name: str, country: str,
                   preferred_language: str = "en", preferred_currency: str = "USD") -> User:
    """A new buyer account with its company profile; both or neither."""
    user = User.objects.create_user(email=email, password=password, first_name=first_name, last_name=last_name)
    BuyerProfile.objects.create(
        user=user,
        company_name=company_name,
        country=country.upper(),
        preferred_language=preferred_language,
        preferred_currency=preferred_currency.upper(),
    )
    return user
