from django import forms
from django.conf import settings
from django.contrib.auth.forms import AdminUserCreationForm as DjangoAdminUserCreationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.forms import UserCreationForm as DjangoUserCreationForm
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .currencies import DEFAULT_CURRENCY, currency_choices
from .models import BuyerProfile, User


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


class UpperCaseChoiceField(forms.ChoiceField):
    """A choice of upper-case codes that takes "br" for "BR", as people and old clients type them."""

    def to_python(self, value):
        return super().to_python(value).strip().upper()


def country_choices():
    # Evaluated each time the form renders: country names in the visitor's language, sorted in it.
    return [("", _("Choose your country")), *countries]


def currency_form_choices():
    return [("", _("Choose a currency")), *currency_choices()]


class BuyerSignupForm(UserCreationForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    company_name = forms.CharField(label=_("Company"), max_length=200)
    country = UpperCaseChoiceField(
        label=_("Country"),
        choices=country_choices,
        help_text=_("Where your company is registered."),
        error_messages={"invalid_choice": _("Choose your country from the list.")},
    )
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    preferred_currency = UpperCaseChoiceField(
        label=_("Preferred currency"),
        choices=currency_form_choices,
        initial=DEFAULT_CURRENCY,
        help_text=_("Prices are shown in it where suppliers quote in another currency."),
        error_messages={"invalid_choice": _("Choose a currency from the list.")},
    )

    class Meta(UserCreationForm.Meta):
        fields = ["email", "first_name", "last_name"]


class BuyerProfileAdminForm(forms.ModelForm):
    """The operator's profile form: country and currency from the same lists as sign-up."""

    country = UpperCaseChoiceField(label=_("Country"), choices=country_choices)
    preferred_currency = UpperCaseChoiceField(
        label=_("Preferred currency"), choices=currency_form_choices, initial=DEFAULT_CURRENCY
    )

    class Meta:
        model = BuyerProfile
        fields = ["user", "company_name", "country", "preferred_language", "preferred_currency", "phone"]


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's reset form, except that the e-mail is queued: it goes out from a task in the account's language, and
    with a broker, the page answers as fast for an unknown address as for a known one."""

    def save(self, **kwargs):
        from .tasks import password_reset_send_task

        for user in self.get_users(self.cleaned_data["email"]):
            user_id = user.pk
            transaction.on_commit(lambda user_id=user_id: password_reset_send_task.delay(user_id))
