"""Forms of the buyer's sourcing pages. They check shapes; the rules are in sourcing.services."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .countries import country_choices
from .models import ExchangeRate
from .schema import INCOTERMS_2020, MAX_QUANTITY, Requirements

UNIT_CHOICES = [
    ("", _("pieces")),
    ("set", _("sets")),
    ("pair", _("pairs")),
    ("box", _("boxes / cartons")),
    ("meter", _("meters")),
    ("square meter", _("square meters")),
    ("kg", _("kilograms")),
    ("ton", _("tons")),
    ("liter", _("liters")),
    ("roll", _("rolls")),
    ("bag", _("bags")),
    ("bottle", _("bottles")),
    ("container", _("containers")),
]
KIND_CHOICES = [("", _("Any")), ("factory", _("Factory / manufacturer")), ("trading_company", _("Trading company"))]
CUSTOMIZATION_CHOICES = [
    ("logo", _("Logo")),
    ("packaging", _("Packaging")),
    ("color", _("Colour")),
    ("oem", _("OEM")),
    ("odm", _("ODM")),
]
SAMPLES_CHOICES = [("", _("Not stated")), ("yes", _("Yes, samples first")), ("no", _("No"))]
CODE_NOISE = re.compile(r"[\s.\-_/]+")


def currency_choices():
    return [("", "—"), *[(code, code) for code in ExchangeRate.objects.values_list("currency", flat=True)]]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class SourcingRequestForm(forms.Form):
    text = forms.CharField(
        label=_("What do you need?"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 5,
                "placeholder": _(
                    "e.g. Need 2,000 bamboo cutting boards with our logo burned in, FSC, under 4 EUR each "
                    "CIF Rotterdam, within 60 days"
                ),
            }
        ),
        help_text=_("Any language. Say the product, quantity, target price, destination, certificates and deadline."),
    )
    attachments = MultipleFileField(
        label=_("Spec sheet or photo (PDF, XLSX, CSV, JPEG, PNG)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.xlsx,.csv,.jpg,.jpeg,.png,.webp"}),
    )


class RequirementsForm(forms.Form):
    product = forms.CharField(label=_("Product"), max_length=300, required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY, required=False)
    quantity_unit = forms.ChoiceField(label=_("Unit"), choices=UNIT_CHOICES, required=False)
    target_unit_price = forms.DecimalField(
        label=_("Target unit price"), min_value=0.0001, max_digits=14, decimal_places=4, required=False
    )
    currency = forms.ChoiceField(label=_("Currency"), required=False)
    max_lead_time_days = forms.IntegerField(label=_("Needed within (days)"), min_value=1, max_value=730, required=False)
    destination_country = forms.ChoiceField(label=_("Destination country"), required=False)
    destination_place = forms.CharField(label=_("City or port"), max_length=100, required=False)
    incoterm = forms.ChoiceField(
        label=_("Incoterm"), choices=[("", "—"), *[(c, c) for c in INCOTERMS_2020]], required=False
    )
    incoterm_place = forms.CharField(label=_("Incoterm named place"), max_length=100, required=False)
    certifications = forms.CharField(
        label=_("Certificates"),
        max_length=300,
        required=False,
        help_text=_("Codes separated by commas: CE, RoHS, FSC."),
    )
    supplier_kind = forms.ChoiceField(label=_("Supplier type"), choices=KIND_CHOICES, required=False)
    customization = forms.MultipleChoiceField(
        label=_("Customization"), choices=CUSTOMIZATION_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    min_operating_temp_c = forms.FloatField(label=_("Lowest operating temperature (°C)"), required=False)
    max_operating_temp_c = forms.FloatField(label=_("Highest operating temperature (°C)"), required=False)
    samples_required = forms.ChoiceField(label=_("Samples"), choices=SAMPLES_CHOICES, required=False)
    payment_terms = forms.CharField(label=_("Payment terms"), max_length=100, required=False)

    def __init__(self, *args, language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = currency_choices()
        self.fields["destination_country"].choices = [("", "—"), *country_choices(language)]

    @classmethod
    def initial_from(cls, requirements: Requirements) -> dict:
        data = requirements.model_dump()
        data["certifications"] = ", ".join(requirements.certifications)
        data["quantity_unit"] = requirements.quantity_unit or ""
        data["samples_required"] = {True: "yes", False: "no"}.get(requirements.samples_required, "")
        return {key: value for key, value in data.items() if value is not None}

    def clean_destination_country(self):
        return (self.cleaned_data.get("destination_country") or "").strip().upper()

    def clean_certifications(self):
        raw = self.cleaned_data.get("certifications") or ""
        return [CODE_NOISE.sub("", part).upper() for part in raw.split(",") if CODE_NOISE.sub("", part)]

    def requirements_data(self, *, language: str) -> dict:
        """The cleaned form as Requirements fields (the service validates them against the schema)."""
        data = dict(self.cleaned_data)
        samples = data.pop("samples_required")
        data["samples_required"] = {"yes": True, "no": False}.get(samples)
        data["target_unit_price"] = float(data["target_unit_price"]) if data.get("target_unit_price") else None
        for key in ("quantity_unit", "currency", "destination_country", "incoterm", "supplier_kind"):
            data[key] = data.get(key) or None
        for key in ("destination_place", "incoterm_place", "payment_terms"):
            data[key] = (data.get(key) or "").strip() or None
        data["product"] = (data.get("product") or "").strip()
        data["language"] = language
        return data
