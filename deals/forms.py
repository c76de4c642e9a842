"""Forms of the buyer's deals pages. They check shapes and carry the request's idempotency key; the rules (who may
do what, in which state, amounts against escrow) are in deals.services."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from core.forms import MultipleFileField, MultipleFileInput

from .models import DisputeReason, DocumentKind
from .schema import WORDED_FROM_TERMS, ContractTerms

MAX_MILESTONES = 6
EVIDENCE_CHOICES = [
    ("production_start", _("Production started")),
    ("inspection_report", _("Inspection report")),
    ("bill_of_lading", _("Bill of lading")),
    ("delivery", _("Delivery confirmed")),
]
RATING_CHOICES = [(str(n), str(n)) for n in range(5, 0, -1)]
# What a buyer may upload on their own order (shipping documents are the supplier's).
BUYER_DOCUMENT_KINDS = [
    (DocumentKind.PROOF_OF_DELIVERY, DocumentKind.PROOF_OF_DELIVERY.label),
    (DocumentKind.INSPECTION_REPORT, DocumentKind.INSPECTION_REPORT.label),
    (DocumentKind.OTHER, DocumentKind.OTHER.label),
]


def new_key() -> str:
    return uuid.uuid4().hex


class IdempotentForm(forms.Form):
    """Every POST form carries a key made when the form is rendered: a double click or a resent form acts once."""

    idempotency_key = forms.CharField(
        widget=forms.HiddenInput,
        required=False,
        initial=new_key,
        max_length=64,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]+$")],
    )

    def key(self) -> str | None:
        return self.cleaned_data.get("idempotency_key") or None

    def add_service_error(self, error: ValidationError) -> None:
        """A service's ValidationError on the form: field messages where the form has the field, else on top."""
        if hasattr(error, "error_dict"):
            for field, messages in error.error_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error)


# --- contracts --------------------------------------------------------------------------------------------------


class SignForm(IdempotentForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    signatory = forms.CharField(
        label=_("Your full name, as your signature"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class RedraftForm(IdempotentForm):
    pass


class ProposeForm(IdempotentForm):
    """Edits to the latest version: the free clauses' words, and the numbers the commercial clauses are worded from
    (per-line quantity and unit price, delivery date, Incoterm place, payment milestones). Only what differs from
    the latest version is sent to the service."""

    delivery_date = forms.DateField(
        label=_("Delivery date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    incoterm_place = forms.CharField(label=_("Incoterm place"), max_length=100, required=False)
    note = forms.CharField(
        label=_("What changed and why"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, terms: ContractTerms, **kwargs):
        self.terms = terms
        initial = {"delivery_date": terms.delivery_date, "incoterm_place": terms.incoterm_place}
        for line in terms.lines:
            initial[f"line_{line.position}_quantity"] = line.quantity
            initial[f"line_{line.position}_unit_price"] = line.unit_price
        for n, milestone in enumerate(terms.milestones, start=1):
            initial[f"milestone_{n}_label"] = milestone.label
            initial[f"milestone_{n}_percent"] = milestone.percent
            initial[f"milestone_{n}_evidence"] = milestone.evidence
        for clause in self.free_clauses():
            initial[f"clause_{clause.key}"] = clause.text
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        for line in terms.lines:
            self.fields[f"line_{line.position}_quantity"] = forms.IntegerField(
                label=_("Quantity"), min_value=1, max_value=100_000_000
            )
            self.fields[f"line_{line.position}_unit_price"] = forms.DecimalField(
                label=_("Unit price (%(currency)s)") % {"currency": terms.currency},
                min_value=Decimal("0.0001"),
                max_digits=14,
                decimal_places=4,
            )
        for n in range(1, MAX_MILESTONES + 1):
            self.fields[f"milestone_{n}_label"] = forms.CharField(label=_("Milestone"), max_length=100, required=False)
            self.fields[f"milestone_{n}_percent"] = forms.DecimalField(
                label=_("Share (%)"), min_value=Decimal("0.01"), max_value=100, decimal_places=2, required=False
            )
            self.fields[f"milestone_{n}_evidence"] = forms.ChoiceField(
                label=_("Released on"), choices=[("", "—"), *EVIDENCE_CHOICES], required=False
            )
        for clause in self.free_clauses():
            self.fields[f"clause_{clause.key}"] = forms.CharField(
                label=clause.title, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
            )

    def free_clauses(self):
        return [clause for clause in self.terms.clauses if clause.key not in WORDED_FROM_TERMS]

    # Rows for the template: bound fields grouped as the page shows them.
    def line_rows(self):
        return [
            {
                "line": line,
                "quantity": self[f"line_{line.position}_quantity"],
                "unit_price": self[f"line_{line.position}_unit_price"],
            }
            for line in self.terms.lines
        ]

    def milestone_rows(self):
        return [
            {
                "label": self[f"milestone_{n}_label"],
                "percent": self[f"milestone_{n}_percent"],
                "evidence": self[f"milestone_{n}_evidence"],
            }
            for n in range(1, MAX_MILESTONES + 1)
        ]

    def clause_fields(self):
        return [self[f"clause_{clause.key}"] for clause in self.free_clauses()]

    def clean(self):
        cleaned = super().clean()
        milestones = []
        for n in range(1, MAX_MILESTONES + 1):
            label = (cleaned.get(f"milestone_{n}_label") or "").strip()
            percent = cleaned.get(f"milestone_{n}_percent")
            evidence = cleaned.get(f"milestone_{n}_evidence") or ""
            if not (label or percent or evidence):
                continue
            if not (label and percent and evidence):
                self.add_error(f"milestone_{n}_label", _("Give each milestone a name, a share and what releases it."))
                continue
            milestones.append({"label": label, "percent": percent, "evidence": evidence})
        if not milestones:
            self.add_error(None, _("Give at least one payment milestone."))
        elif sum((m["percent"] for m in milestones), Decimal(0)) != 100:
            self.add_error(None, _("The payment milestones must add up to 100%."))
        cleaned["milestones"] = milestones
        return cleaned

    def changes(self) -> dict:
        """What differs from the latest version, in the shape contract_propose takes."""
        data = self.cleaned_data
        terms = self.terms
        changes: dict = {}
        lines = []
        for line in terms.lines:
            quantity = data[f"line_{line.position}_quantity"]
            price = data[f"line_{line.position}_unit_price"]
            change: dict = {}
            if quantity != line.quantity:
                change["quantity"] = quantity
            if price != line.unit_price:
                change["unit_price"] = str(price)
            if change:
                lines.append({"position": line.position, **change})
        if lines:
            changes["lines"] = lines
        if data["delivery_date"] != terms.delivery_date:
            changes["delivery_date"] = data["delivery_date"].isoformat()
        if (data.get("incoterm_place") or "").strip() != terms.incoterm_place:
            changes["incoterm_place"] = (data.get("incoterm_place") or "").strip()
        current = [{"label": m.label, "percent": m.percent, "evidence": m.evidence} for m in terms.milestones]
        if data["milestones"] != current:
            changes["milestones"] = [{**m, "percent": str(m["percent"])} for m in data["milestones"]]
        clauses = {}
        for clause in self.free_clauses():
            text = (data.get(f"clause_{clause.key}") or "").strip()
            if text != clause.text.strip():
                clauses[clause.key] = text
        if clauses:
            changes["clauses"] = clauses
        return changes


# --- orders -----------------------------------------------------------------------------------------------------


class ActionForm(IdempotentForm):
    """A button: confirm delivery, release a milestone."""


class CancelForm(IdempotentForm):
    reason = forms.CharField(label=_("Why cancel?"), max_length=300)


class DisputeForm(IdempotentForm):
    reason = forms.ChoiceField(label=_("What went wrong"), choices=DisputeReason.choices)
    description = forms.CharField(
        label=_("Describe the problem"), min_length=20, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    requested_refund = forms.DecimalField(label=_("Refund asked for"), min_value=Decimal("0.01"), decimal_places=2)
    files = MultipleFileField(
        label=_("Evidence (photos, PDF)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"}),
    )


class ReviewForm(IdempotentForm):
    supplier_rating = forms.TypedChoiceField(
        label=_("The supplier"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    product_rating = forms.TypedChoiceField(
        label=_("Products as described"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DocumentForm(IdempotentForm):
    kind = forms.ChoiceField(label=_("Document"), choices=BUYER_DOCUMENT_KINDS)
    file = forms.FileField(
        label=_("File (PDF or photo)"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"})
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
