"""Public seller pages under /sell/: a company applies to sell (and gets a seller account scoped to its new
supplier), and a colleague accepts an invitation to a supplier's team. Thin views over suppliers.onboarding."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.forms import UpperCaseChoiceField, country_choices
from core.ratelimit import rate_limited
from suppliers import onboarding
from suppliers.models import SupplierKind
from suppliers.selectors import supplier_invitation_by_token
from suppliers.tenancy import supplier_for_user

BACKEND = "django.contrib.auth.backends.ModelBackend"
DOCUMENT_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def _document_field(label, *, required, help_text):
    return forms.FileField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )


class ApplyForm(forms.Form):
    """Account (when signed out), company and documents; the service decides duplicates and document content."""

    email = forms.EmailField(label=gettext_lazy("Work e-mail"), max_length=254)
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("At least 8 characters, not only digits."),
    )
    company_name = forms.CharField(
        label=gettext_lazy("Registered company name"),
        max_length=200,
        help_text=gettext_lazy("As on your business licence, e.g. “Ningbo Bright Lighting Co., Ltd.”"),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Your company is a"), choices=SupplierKind.choices)
    country = UpperCaseChoiceField(
        label=gettext_lazy("Country"),
        choices=country_choices,
        initial="CN",
        error_messages={"invalid_choice": gettext_lazy("Choose your country from the list.")},
    )
    region = forms.CharField(
        label=gettext_lazy("Region / industrial cluster"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("e.g. Yiwu, Zhejiang"),
    )
    city = forms.CharField(label=gettext_lazy("City"), max_length=100, required=False)
    registration_number = forms.CharField(
        label=gettext_lazy("Business registration number"),
        max_length=64,
        help_text=gettext_lazy("The unified social credit code, or your company or VAT number."),
    )
    contact_name = forms.CharField(label=gettext_lazy("Your name"), max_length=150)
    phone = forms.CharField(
        label=gettext_lazy("Phone"), max_length=40, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})
    )
    website = forms.URLField(label=gettext_lazy("Website"), required=False, assume_scheme="https")
    business_licence = _document_field(
        gettext_lazy("Business licence"),
        required=True,
        help_text=gettext_lazy("A PDF, or a JPEG or PNG scan; 5 MB at most. Only Silkway's reviewers see it."),
    )
    other_document = _document_field(
        gettext_lazy("Another document (optional)"),
        required=False,
        help_text=gettext_lazy("An export licence, a factory audit or a trademark registration."),
    )

    ACCOUNT_FIELDS = ("email", "password")

    def __init__(self, *args, signed_in: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if signed_in:
            for name in self.ACCOUNT_FIELDS:
                del self.fields[name]

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password

    def account_fields(self):
        return [self[name] for name in self.ACCOUNT_FIELDS if name in self.fields]

    def company_fields(self):
        names = ("company_name", "kind", "country", "region", "city", "registration_number", "contact_name", "phone")
        return [self[name] for name in (*names, "website")]

    def document_fields(self):
        return [self["business_licence"], self["other_document"]]


@require_http_methods(["GET", "POST"])
@rate_limited("signup")
def apply(request):
    """/sell/: what selling on Silkway means, and the application form. A seller goes straight to the seller centre."""
    signed_in = request.user.is_authenticated
    if signed_in and supplier_for_user(request.user) is not None:
        return redirect("seller:index")
    form = ApplyForm(request.POST or None, request.FILES or None, signed_in=signed_in)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = onboarding.supplier_application_submit(
                user=request.user if signed_in else None,
                email=data.get("email", ""),
                password=data.get("password", ""),
                **{name: data[name] for name in ("company_name", "kind", "country", "region", "city")},
                registration_number=data["registration_number"],
                contact_name=data["contact_name"],
                phone=data["phone"],
                website=data["website"],
                business_licence=data["business_licence"],
                other_document=data.get("other_document"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not signed_in:
                login(request, application.applicant, backend=BACKEND)
            messages.success(
                request,
                _(
                    "Welcome to Silkway, %(company)s! Your application is in: Silkway reviews your documents, usually "
                    "within two working days. Meanwhile, set up your storefront and your first products."
                )
                % {"company": application.company_name},
            )
            return redirect("seller:index")
    return render(request, "sellercentre/onboarding/apply.html", {"form": form})


class JoinForm(forms.Form):
    password1 = forms.CharField(
        label=gettext_lazy("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            try:
                validate_password(data["password1"])
            except ValidationError as error:
                self.add_error("password1", error)
        return data


@require_http_methods(["GET", "POST"])
@rate_limited("signup")
def join(request, token):
    """/sell/join/<token>/: accept an invitation, signed in as the invited address or with a new password."""
    invitation = supplier_invitation_by_token(token)
    problem = onboarding.supplier_invitation_problem(invitation)
    context = {"invitation": invitation, "problem": problem.messages[0] if problem else ""}
    if problem:
        return render(request, "sellercentre/onboarding/join.html", context, status=404 if invitation is None else 410)
    user = request.user if request.user.is_authenticated else None
    account_exists = user is None and _account_exists(invitation.email)
    form = JoinForm(request.POST or None) if user is None and not account_exists else None
    context.update(
        {
            "form": form,
            "account_exists": account_exists,
            "login_url": f"{reverse('accounts:login')}?next={request.path}",
            "wrong_account": user is not None and user.email.lower() != invitation.email,
        }
    )
    if request.method == "POST" and (form is None or form.is_valid()) and not account_exists:
        try:
            member = onboarding.supplier_invitation_accept(
                token=token, user=user, password=form.cleaned_data["password1"] if form else ""
            )
        except ValidationError as error:
            context["problem"] = " ".join(error.messages)
        else:
            if user is None:
                login(request, member, backend=BACKEND)
            messages.success(
                request,
                _("Welcome to the team of %(supplier)s on Silkway.") % {"supplier": invitation.supplier.name},
            )
            return redirect("seller:index")
    return render(request, "sellercentre/onboarding/join.html", context)


def _account_exists(email: str) -> bool:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email__iexact=email).exists()
