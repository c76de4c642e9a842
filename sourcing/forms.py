"""Forms of the buyer's sourcing pages. They check shapes; the rules are in sourcing.services."""

from __future__ import annotations

import re
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import MultipleFileField, MultipleFileInput

from .countries import country_choices
from .models import INCOTERM_CHOICES, QUOTE_TERM_FIELDS, Answer, ExchangeRate
from .requirements import UNIT_CHOICES
from .schema import INCOTERMS_2020, MAX_QUANTITY, Requirements

KIND_CHOICES = [("", _("Any")), ("factory", _("Factory / manufacturer")), ("trading_company", _("Trading company"))]
CUSTOMIZATION_CHOICES = [
    ("logo", _("Logo")),
    ("packaging", _("Packaging")),
    ("color", _("Colour")),
    ("oem", _("OEM")),
    ("odm", _("ODM")),
]
# Price-tier rows offered per RFQ line on the seller's quote form (blank rows are skipped).
TIER_ROWS = 5
SAMPLES_CHOICES = [("", _("Not stated")), ("yes", _("Yes, samples first")), ("no", _("No"))]
CODE_NOISE = re.compile(r"[\s.\-_/]+")


def currency_choices():
    return [("", "—"), *[(code, code) for code in ExchangeRate.objects.values_list("currency", flat=True)]]


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


# --- the seller's quote (seller centre → RFQs received) -------------------------------------------------------


class QuoteForm(forms.Form):
    currency = forms.ChoiceField(label=_("Currency"))
    incoterm = forms.ChoiceField(label=_("Incoterm"), choices=INCOTERM_CHOICES)
    incoterm_place = forms.CharField(
        label=_("Named place"), max_length=100, required=False, help_text=_("The port or place, e.g. Ningbo.")
    )
    lead_time_days = forms.IntegerField(label=_("Lead time (days)"))
    payment_terms = forms.CharField(
        label=_("Payment terms"), max_length=100, help_text=_("E.g. T/T 30% deposit, 70% against B/L copy.")
    )
    valid_until = forms.DateField(
        label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    samples_available = forms.BooleanField(label=_("Samples available"), required=False)
    sample_price = forms.DecimalField(label=_("Sample price"), max_digits=14, decimal_places=4, required=False)
    notes = forms.CharField(
        label=_("Notes to the buyer"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, currencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [(code, code) for code in currencies]


class QuoteLineForm(forms.Form):
    """One RFQ line: what is offered, the MOQ, and up to TIER_ROWS price tiers (blank rows are skipped)."""

    offered_product = forms.CharField(label=_("Offered product"), max_length=200, required=False)
    moq = forms.IntegerField(label=_("MOQ"), min_value=1, required=False)

    def __init__(self, *args, rfq_line, **kwargs):
        self.rfq_line = rfq_line
        super().__init__(*args, **kwargs)
        for row in range(TIER_ROWS):
            self.fields[f"tier_{row}_min_quantity"] = forms.IntegerField(
                label=_("From quantity"), min_value=1, required=False
            )
            self.fields[f"tier_{row}_unit_price"] = forms.DecimalField(
                label=_("Unit price"), max_digits=14, decimal_places=4, required=False
            )

    def tier_rows(self):
        return [(self[f"tier_{row}_min_quantity"], self[f"tier_{row}_unit_price"]) for row in range(TIER_ROWS)]

    def clean(self):
        cleaned = super().clean()
        for row in range(TIER_ROWS):
            quantity, price = cleaned.get(f"tier_{row}_min_quantity"), cleaned.get(f"tier_{row}_unit_price")
            if (quantity is None) != (price is None) and not self.errors:
                raise ValidationError(_("Give both the quantity and the unit price of each price tier."))
        return cleaned

    def as_service_line(self):
        data = self.cleaned_data
        tiers = [
            {"min_quantity": data[f"tier_{row}_min_quantity"], "unit_price": data[f"tier_{row}_unit_price"]}
            for row in range(TIER_ROWS)
            if data.get(f"tier_{row}_min_quantity") is not None
        ]
        return {
            "rfq_line": self.rfq_line.pk,
            "offered_product": data.get("offered_product", ""),
            "moq": data.get("moq"),
            "tiers": tiers,
        }


class QuoteAnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=[("", "—"), *Answer.choices], required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, requirement, **kwargs):
        self.requirement = requirement
        super().__init__(*args, **kwargs)


class QuoteForms:
    """The quote form, one form per RFQ line and one per requirement, each prefixed by server-side data (the
    line's id, the requirement's index): a posted id that is not a line of this RFQ is never read."""

    def __init__(self, *, rfq, lines, quote=None, data=None):
        currencies = list(ExchangeRate.objects.order_by("currency").values_list("currency", flat=True))
        existing_lines = {line.rfq_line_id: line for line in quote.lines.all()} if quote else {}
        existing_answers = {answer.key: answer for answer in quote.answers.all()} if quote else {}
        self.quote = QuoteForm(
            data, prefix="quote", currencies=currencies, initial=self._quote_initial(rfq, quote, currencies)
        )
        self.lines = [
            QuoteLineForm(
                data,
                prefix=f"line-{line.pk}",
                rfq_line=line,
                initial=self._line_initial(line, existing_lines.get(line.pk)),
            )
            for line in lines
        ]
        self.answers = [
            QuoteAnswerForm(
                data,
                prefix=f"answer-{index}",
                requirement=item,
                initial=self._answer_initial(existing_answers.get(item.get("key"))),
            )
            for index, item in enumerate(rfq.requirement_items())
        ]
        self.general_errors = []

    @staticmethod
    def _quote_initial(rfq, quote, currencies):
        if quote is not None:
            return {name: getattr(quote, name) for name in QUOTE_TERM_FIELDS}
        return {
            "currency": rfq.currency if rfq.currency in currencies else "USD",
            "incoterm": rfq.incoterm or "FOB",
            "incoterm_place": rfq.incoterm_place,
            "valid_until": rfq.quote_deadline + timedelta(days=30),
        }

    @staticmethod
    def _line_initial(rfq_line, quote_line):
        if quote_line is None:
            return {"offered_product": rfq_line.product_name}
        initial = {"offered_product": quote_line.offered_product, "moq": quote_line.moq}
        for row, tier in enumerate(list(quote_line.tiers.all())[:TIER_ROWS]):
            initial[f"tier_{row}_min_quantity"] = tier.min_quantity
            initial[f"tier_{row}_unit_price"] = tier.unit_price
        return initial

    @staticmethod
    def _answer_initial(answer):
        return {"answer": answer.answer, "note": answer.note} if answer else {}

    def is_valid(self):
        # Every form is validated (no short-circuit), so all errors show at once.
        results = [form.is_valid() for form in (self.quote, *self.lines, *self.answers)]
        return all(results)

    def service_kwargs(self):
        data = self.quote.cleaned_data
        return {
            **data,
            "lines": [form.as_service_line() for form in self.lines],
            "answers": [
                {"key": form.requirement.get("key"), **form.cleaned_data}
                for form in self.answers
                if form.cleaned_data.get("answer")
            ],
        }

    def add_service_error(self, error: ValidationError):
        """A field the quote form has gets the message on the field; the rest (lines, answers, the RFQ's state)
        is shown above the form."""
        if not hasattr(error, "error_dict"):
            self.general_errors.extend(error.messages)
            return
        for field, field_errors in error.message_dict.items():
            if field in self.quote.fields:
                self.quote.add_error(field, field_errors)
            else:
                self.general_errors.extend(field_errors)
