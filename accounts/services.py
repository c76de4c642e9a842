"""Writes on accounts."""

from django.db import transaction

from .models import BuyerProfile, User


@transaction.atomic
def buyer_register(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    company_name: str,
    country: str,
    preferred_language: str = "en",
    preferred_currency: str = "USD",
) -> User:
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


@transaction.atomic
def buyer_account_update(*, user: User, fields: dict, profile_fields: dict) -> User:
    """Change a buyer's name and company profile; only the given fields are written."""
    for name, value in fields.items():
        setattr(user, name, value)
    if fields:
        user.save(update_fields=list(fields))
    if profile_fields:
        profile = user.buyer_profile
        for name, value in profile_fields.items():
            setattr(profile, name, value)
        profile.save(update_fields=list(profile_fields))
    return user


def buyer_language_set(*, user: User, language: str) -> None:
    """The language a buyer's pages and e-mails use; a user without a buyer profile (a seller) has nothing to save."""
    BuyerProfile.objects.filter(user=user).exclude(preferred_language=language).update(preferred_language=language)
