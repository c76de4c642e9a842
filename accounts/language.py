"""A buyer's interface language follows their profile: chosen at sign-up, applied at sign-in, kept when they switch.

Django picks the language from the language cookie, then the browser's Accept-Language. Signing in sets the cookie to
the profile's language (the page after the sign-in form is already in it); the language switcher, used by a signed-in
buyer, saves the choice to the profile so it follows them to their next device.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import check_for_language
from django.views.i18n import set_language as django_set_language

from . import services
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
