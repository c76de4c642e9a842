"""A buyer's preferences on every page: the interface language and the currency prices are shown in.

The language follows the profile: chosen at sign-up, applied at sign-in, kept when they switch. Django picks the
language from the language cookie, then the browser's Accept-Language. Signing in sets the cookie to the profile's
language (the page after the sign-in form is already in it); the language switcher, used by a signed-in buyer, saves
the choice to the profile so it follows them to their next device. A visitor without an account gets the browser's
language, and prices in the currency of the country the browser names.
"""

import re

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import check_for_language
from django.views.i18n import set_language as django_set_language
from django_countries import countries

from . import services
from .currencies import COUNTRY_CURRENCY, TRADE_CURRENCIES
from .models import BuyerProfile

# Set on the sign-in request, turned into the language cookie on its response.
SIGN_IN_LANGUAGE_ATTRIBUTE = "sign_in_language"


@receiver(user_logged_in, dispatch_uid="accounts.profile_language")
def remember_profile_language(sender, request, user, **kwargs):
    if request is None:
        return
    language = BuyerProfile.objects.filter(user=user).values_list("preferred_language", flat=True).first()
    if language and check_for_language(language):
        setattr(request, SIGN_IN_LANGUAGE_ATTRIBUTE, language)


def profile_language_middleware(get_response):
    def middleware(request):
        response = get_response(request)
        language = getattr(request, SIGN_IN_LANGUAGE_ATTRIBUTE, None)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response

    return middleware


def set_language(request):
    """Django's language switcher; a signed-in buyer's choice is saved to their profile too."""
    response = django_set_language(request)
    language = request.POST.get("language") if request.method == "POST" else None
    if language and check_for_language(language) and request.user.is_authenticated:
        services.buyer_language_set(user=request.user, language=language)
    return response


# A region subtag in Accept-Language ("pt-BR", "en-GB;q=0.8"): the only hint of a country a request carries.
_ACCEPT_REGION = re.compile(r"^[a-z]{2,3}[-_](?:[a-z]{4}[-_])?([a-z]{2})$", re.IGNORECASE)


def country_from_request(request) -> str | None:
    """The first country named by the browser's Accept-Language ("pt-BR" -> "BR"), if any. A bare language says
    nothing about the country (Spanish is spoken in twenty), so the form then leaves the choice to the buyer."""
    for part in request.META.get("HTTP_ACCEPT_LANGUAGE", "").split(","):
        tag, _sep, quality = part.strip().partition(";")
        if quality.strip() in ("q=0", "q=0.0"):
            continue
        match = _ACCEPT_REGION.match(tag.strip())
        if match and match.group(1).upper() in countries:
            return match.group(1).upper()
    return None


def display_currency(request) -> str:
    """A signed-in buyer's profile currency; a visitor's from the country their browser names (de-DE: EUR)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        code = BuyerProfile.objects.filter(user=user).values_list("preferred_currency", flat=True).first()
    else:
        code = COUNTRY_CURRENCY.get(country_from_request(request) or "")
    return code if code in TRADE_CURRENCIES else ""
