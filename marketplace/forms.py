"""Forms shared by the admin sites and the buyer pages; the rules a person can break get clear messages here."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.currencies import currency_choices
from suppliers.models import Supplier

from .models import HTTPS_ONLY_MESSAGE, Product, ProductStatus, validate_https_url


class ProductAdminForm(forms.ModelForm):
    # The model field refuses http:// and other schemes; this field says so in the same words for any bad link
    # (Django's own message for "javascript:..." would be a bare "Enter a valid URL.").
    video_url = forms.URLField(
        label=_("video link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        validators=[validate_https_url],
        error_messages={"invalid": HTTPS_ONLY_MESSAGE},
        help_text=Product._meta.get_field("video_url").help_text,
    )

    # A choice from the platform's trade currencies (the ones buyers can be shown prices in); a product saved earlier
    # in another ISO code (an import) keeps it as a choice until the seller picks another.
    currency = forms.ChoiceField(label=_("Currency"), choices=currency_choices, initial="USD")

    class Meta:
        model = Product
        # The admin passes the full field list from its fieldsets; these are the fields cleaned here.
        fields = ["certifications", "currency", "video_url"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.currency if self.instance.pk else None
        if current and current not in dict(currency_choices()):
            self.fields["currency"].choices = [(current, current), *currency_choices()]

    def clean_certifications(self):
        certifications = self.cleaned_data.get("certifications")
        today = timezone.localdate()
        expired = [str(c) for c in certifications or [] if c.valid_until < today]
        if expired:
            raise ValidationError(
                _("These certificates have expired and cannot be offered as valid: %(certs)s."),
                params={"certs": ", ".join(expired)},
                code="expired_certificate",
            )
        return certifications

    def clean(self):
        cleaned = super().clean()
        # Operators pick from every certificate; a product can only claim its own supplier's.
        supplier = cleaned.get("supplier") or (self.instance.supplier if self.instance.supplier_id else None)
        foreign = [str(c) for c in cleaned.get("certifications") or [] if supplier and c.supplier_id != supplier.pk]
        if foreign:
            self.add_error(
                "certifications",
                ValidationError(
                    _("These certificates belong to another supplier: %(certs)s."),
                    params={"certs": ", ".join(foreign)},
                    code="foreign_certificate",
                ),
            )
        return cleaned

    def clean_currency(self):
        return self.cleaned_data["currency"].upper()


class TranslationInlineFormSet(BaseInlineFormSet):
    """A product's translations, with how complete they are: a language is complete when its title and description
    are both filled in. Every platform language except the product's own counts."""

    def completeness(self) -> dict:
        own = self.instance.language if self.instance.pk else None
        names = dict(settings.LANGUAGES)  # each language in its own name, as the language switcher shows them
        wanted = [code for code in names if code != own]
        done = {t.language for t in self.get_queryset() if t.title.strip() and t.description.strip()}
        return {
            "complete": len([code for code in wanted if code in done]),
            "total": len(wanted),
            "missing": [names[code] for code in wanted if code not in done],
        }


class PriceTierInlineFormSet(BaseInlineFormSet):
    """Tiers must start at or above the MOQ, have distinct quantities, and never get dearer with volume."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        tiers = [
            form.cleaned_data for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        quantities = [tier["min_quantity"] for tier in tiers]
        if len(quantities) != len(set(quantities)):
            raise ValidationError(_("Each price tier needs a different “from quantity”."), code="duplicate_tier")
        moq = getattr(self.instance, "moq", None)
        if moq and any(quantity < moq for quantity in quantities):
            raise ValidationError(
                _("No price tier may start below the minimum order quantity (%(moq)s)."),
                params={"moq": moq},
                code="tier_below_moq",
            )
        ordered = sorted(tiers, key=lambda tier: tier["min_quantity"])
        for smaller, larger in zip(ordered, ordered[1:], strict=False):
            if larger["unit_price"] > smaller["unit_price"]:
                raise ValidationError(
                    _("The unit price at %(big)s must not be higher than at %(small)s: volume tiers get cheaper."),
                    params={"big": larger["min_quantity"], "small": smaller["min_quantity"]},
                    code="tier_price_increases",
                )
        if self.instance.status == "published" and not tiers:
            raise ValidationError(_("A published product needs at least one price tier."), code="no_tiers")


class InquiryForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100_000_000, required=False)
    body = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say what you need: quantity, customization, destination, target price."),
    )


class SaveForm(forms.Form):
    """What a Save button posts: a published product or a supplier, exactly one."""

    product = forms.ModelChoiceField(
        queryset=Product.objects.filter(status=ProductStatus.PUBLISHED), required=False, widget=forms.HiddenInput
    )
    supplier = forms.ModelChoiceField(queryset=Supplier.objects.all(), required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if bool(data.get("product")) == bool(data.get("supplier")):
            raise forms.ValidationError(_("Choose one product or one supplier to save."))
        return data


class ProductImageInlineFormSet(BaseInlineFormSet):
    """A new image whose position the seller left alone goes after the product's other images."""

    def save_new(self, form, commit=True):
        if "position" not in form.changed_data:
            # The images kept (saved ones carry their cleaned position by now) and the new ones saved before this.
            taken = [
                f.instance.position
                for f in self.forms
                if f is not form and f.instance.pk and not self._should_delete_form(f)
            ]
            form.instance.position = max(taken, default=-1) + 1
        return super().save_new(form, commit=commit)
