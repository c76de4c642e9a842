from django import forms
from django.conf import settings
from django.contrib.auth.forms import AdminUserCreationForm as DjangoAdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.forms import UserCreationForm as DjangoUserCreationForm
from django.utils.translation import gettext_lazy as _

from .models import User


class UserCreationForm(DjangoUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class AdminUserCreationForm(DjangoAdminUserCreationForm):
    """The operator's "add user" form: Django's admin form (with the usable-password choice) on our e-mail user."""

    class Meta:
        model = User
        fields = ["email"]


class UserChangeForm(DjangoUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class BuyerSignupForm(UserCreationForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    company_name = forms.CharField(label=_("Company"), max_length=200)
    country = forms.RegexField(
        label=_("Country"),
        regex=r"^[A-Za-z]{2}$",
        max_length=2,
        help_text=_("Two-letter country code, e.g. DE, BR, KE."),
        error_messages={"invalid": _("Enter a two-letter country code such as DE.")},
    )
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    preferred_currency = forms.RegexField(
        label=_("Preferred currency"),
        regex=r"^[A-Za-z]{3}$",
        initial="USD",
        error_messages={"invalid": _("Enter a three-letter currency code such as USD.")},
    )

    class Meta(UserCreationForm.Meta):
        fields = ["email", "first_name", "last_name"]
