from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.languages import normalize_language
from core.ratelimit import rate_limited, signed_in_user

from . import selectors, services
from .currencies import TRADE_CURRENCIES, currency_for_country
from .forms import BuyerSignupForm
from .preferences import country_from_request


def signup_initial(request) -> dict:
    country = country_from_request(request)
    return {
        "country": country or "",
        "preferred_language": normalize_language(get_language()) or "en",
        "preferred_currency": currency_for_country(country),
    }


@require_http_methods(["GET", "POST"])
@rate_limited("signup")
def signup(request):
    # Where the buyer was going (a product page with a message waiting in its contact form), if it is on this site.
    next_url = request.POST.get("next") or request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure())
    next_url = next_url if safe else ""
    form = BuyerSignupForm(request.POST or None, initial=signup_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.buyer_register(
            email=data["email"],
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            company_name=data["company_name"],
            country=data["country"],
            preferred_language=data["preferred_language"],
            preferred_currency=data["preferred_currency"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome to Silkway! We sent a link to %(email)s: open it to verify your e-mail address.")
            % {"email": user.email},
        )
        return redirect(next_url or "marketplace:home")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


@login_required
def account(request):
    user = selectors.account_get(user=request.user)
    profile = getattr(user, "buyer_profile", None)
    currency = TRADE_CURRENCIES.get(profile.preferred_currency) if profile else None
    return render(request, "accounts/account.html", {"account": user, "profile": profile, "currency_name": currency})


def email_verify(request, token):
    """The link from the verification e-mail. It works signed in or not: the token is the proof of the mailbox."""
    try:
        user = services.email_verify(token=token)
    except ValidationError as error:
        return render(request, "accounts/email_verify.html", {"error": error.messages[0]}, status=400)
    return render(request, "accounts/email_verify.html", {"verified_email": user.email})


@login_required
@require_POST
@rate_limited("email_verification", key=signed_in_user)
def email_verification_resend(request):
    if services.email_verification_resend(user=request.user):
        messages.success(request, _("We sent a new verification link to %(email)s.") % {"email": request.user.email})
    else:
        messages.info(request, _("Your e-mail address is already verified."))
    return redirect("accounts:account")


class LoginView(auth_views.LoginView):
    """Django's sign-in; a buyer whose address is not verified yet is told where to get a new link."""

    template_name = "accounts/login.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        profile = getattr(user, "buyer_profile", None)
        if profile is not None and not user.email_verified:
            # In the language the next page will be in (sign-in switches to the profile's).
            with translation.override(profile.preferred_language):
                link = format_html('<a href="{}">{}</a>', reverse("accounts:account"), _("your account page"))
                notice = _(
                    "Your e-mail address is not verified yet. Open the link we sent you, or get a new one on %(link)s."
                )
                # The notice is escaped, the link built safe: the message may show as HTML.
                messages.warning(self.request, mark_safe(escape(notice) % {"link": link}))
        return response
