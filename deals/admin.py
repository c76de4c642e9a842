"""Deals in both admin sites.

Sellers (/seller/) see their own supplier's contracts and orders only. A contract screen shows the clauses with their
sources and what changed against the previous version, and lets the seller propose edits or accept and sign; an order
screen shows the milestones and their evidence, the shipments, documents and any dispute, and carries the seller's
actions (start production, add a shipment, record a shipment stage, upload a document, answer a dispute). Every
write goes through deals.services with side="supplier"; a refusal (ValidationError) comes back as an admin message
and form errors with nothing changed. Documents download through a view that checks the order is the seller's.

Operators (/admin/) inspect contracts, versions, orders, shipments, documents, disputes, the ledger and the audit
trail read-only, confirm a buyer's payment and decide disputes through the services. Nothing in the ledger or the
audit trail can be added, changed or deleted from either site.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.admin_base import ReadOnlyAdmin as BaseReadOnlyAdmin
from core.files import private_file_response
from core.forms import MultipleFileField, service_error_on_form
from suppliers.admin_scoping import ScopedModelAdmin, seller_site

from .contract_terms import money, percent, terms_diff
from .forms import IdempotentForm
from .models import (
    Contract,
    ContractStatus,
    ContractVersion,
    DealEvent,
    Dispute,
    DisputeDecision,
    DisputeStatus,
    DocumentKind,
    Evidence,
    LedgerEntry,
    LedgerTransaction,
    Order,
    OrderDocument,
    OrderStatus,
    PaymentMilestone,
    Review,
    Shipment,
    ShipmentEvent,
    ShipmentMode,
    ShipmentStage,
    Side,
)
from .schema import WORDED_FROM_TERMS
from .selectors import evidence_at
from .services import contracts as contract_services
from .services import disputes as dispute_services
from .services import orders as order_services
from .services.ledger import escrow_balance, ledger_imbalances

# --- shared pieces ----------------------------------------------------------------------------------------------


def _pretty_json(value):
    if value in (None, "", {}, []):
        return "—"
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str)
    return format_html('<pre style="white-space: pre-wrap; margin: 0">{}</pre>', text)


def _buyer_company(user) -> str:
    # Reverse one-to-one: a buyer without a profile raises RelatedObjectDoesNotExist, an AttributeError.
    profile = getattr(user, "buyer_profile", None)
    return f"{profile.company_name} ({profile.country})" if profile else gettext("A buyer")


def _money(amount, currency) -> str:
    return money(amount, currency) if amount is not None else "—"


def _document_response(document: OrderDocument) -> HttpResponse:
    """The file as a download under its uploaded name (never inline: it is user content)."""
    return private_file_response(document.file, filename=document.original_name, content_type=document.content_type)


# --- the seller's contract forms --------------------------------------------------------------------------------


class ContractProposeForm(IdempotentForm):
    """The latest version's editable terms, prefilled; only what the seller changed is sent to contract_propose."""

    delivery_date = forms.DateField(label=_("Delivery date"), widget=forms.DateInput(attrs={"type": "date"}))
    incoterm_place = forms.CharField(label=_("Incoterm place"), max_length=100, required=False)
    note = forms.CharField(
        label=_("What changed and why"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
    )

    def __init__(self, *args, version: ContractVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.terms = terms = version.parsed
        self.initial.setdefault("delivery_date", terms.delivery_date)
        self.initial.setdefault("incoterm_place", terms.incoterm_place)
        self.line_rows = []
        for line in terms.lines:
            quantity = f"line_{line.position}_quantity"
            price = f"line_{line.position}_unit_price"
            self.fields[quantity] = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100_000_000)
            self.fields[price] = forms.DecimalField(
                label=_("Unit price (%(currency)s)") % {"currency": terms.currency},
                min_value=Decimal("0.0001"),
                max_digits=14,
                decimal_places=4,
            )
            self.initial.setdefault(quantity, line.quantity)
            self.initial.setdefault(price, line.unit_price.normalize())
            self.line_rows.append((line, self[quantity], self[price]))
        self.milestone_rows = []
        evidence_choices = Evidence.choices
        rows = [*terms.milestones, None]  # one empty row to add a milestone
        for index, milestone in enumerate(rows):
            label, share, evidence = f"m{index}_label", f"m{index}_percent", f"m{index}_evidence"
            self.fields[label] = forms.CharField(label=_("Milestone"), max_length=100, required=False)
            self.fields[share] = forms.DecimalField(
                label=_("Share (%)"), required=False, min_value=Decimal("0.01"), max_value=100, decimal_places=2
            )
            self.fields[evidence] = forms.ChoiceField(
                label=_("Released on"), choices=[("", "—"), *evidence_choices], required=False
            )
            if milestone is not None:
                self.initial.setdefault(label, milestone.label)
                self.initial.setdefault(share, milestone.percent.normalize())
                self.initial.setdefault(evidence, milestone.evidence)
            self.milestone_rows.append((self[label], self[share], self[evidence]))
        self.clause_rows = []
        for clause in terms.clauses:
            if clause.key in WORDED_FROM_TERMS:
                continue
            name = f"clause_{clause.key}"
            self.fields[name] = forms.CharField(
                label=clause.title, max_length=4000, widget=forms.Textarea(attrs={"rows": 4, "cols": 80})
            )
            self.initial.setdefault(name, clause.text)
            self.clause_rows.append((clause, self[name]))

    def clean(self):
        data = super().clean()
        for index in range(len(self.milestone_rows)):
            label, share, evidence = (data.get(f"m{index}_{part}") for part in ("label", "percent", "evidence"))
            if (label or share or evidence) and not (share and evidence):
                self.add_error(
                    f"m{index}_percent" if not share else f"m{index}_evidence",
                    _("Give each milestone its share and the evidence that releases it."),
                )
        return data

    def changes(self) -> dict:
        """Only what differs from the version shown, in contract_propose's shape."""
        data, terms = self.cleaned_data, self.terms
        changes: dict = {}
        if data["delivery_date"] != terms.delivery_date:
            changes["delivery_date"] = data["delivery_date"].isoformat()
        if (data.get("incoterm_place") or "").strip() != terms.incoterm_place:
            changes["incoterm_place"] = (data.get("incoterm_place") or "").strip()
        lines = []
        for line in terms.lines:
            quantity = data[f"line_{line.position}_quantity"]
            price = data[f"line_{line.position}_unit_price"]
            if quantity != line.quantity or price != line.unit_price:
                lines.append({"position": line.position, "quantity": quantity, "unit_price": str(price)})
        if lines:
            changes["lines"] = lines
        milestones = []
        for index in range(len(self.milestone_rows)):
            label = (data.get(f"m{index}_label") or "").strip()
            share = data.get(f"m{index}_percent")
            evidence = data.get(f"m{index}_evidence") or ""
            if share and evidence:
                # An unnamed milestone takes the name of its evidence.
                milestones.append(
                    {"label": label or str(Evidence(evidence).label), "percent": str(share), "evidence": evidence}
                )
        current = [{"label": m.label, "percent": str(m.percent), "evidence": m.evidence} for m in terms.milestones]
        if [(m["label"], Decimal(m["percent"]), m["evidence"]) for m in milestones] != [
            (m["label"], Decimal(m["percent"]), m["evidence"]) for m in current
        ]:
            changes["milestones"] = milestones
        clauses = {}
        for clause, _field in self.clause_rows:
            text = (data.get(f"clause_{clause.key}") or "").replace("\r\n", "\n").strip()
            if text != clause.text:
                clauses[clause.key] = text
        if clauses:
            changes["clauses"] = clauses
        return changes


class ContractAcceptForm(IdempotentForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    signatory = forms.CharField(
        label=_("Your full name, as your signature"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name", "size": 40}),
    )


# --- the seller's order forms -----------------------------------------------------------------------------------


class StartProductionForm(IdempotentForm):
    pass


class ShipmentAddForm(forms.Form):
    mode = forms.ChoiceField(label=_("Mode"), choices=ShipmentMode.choices)
    carrier = forms.CharField(label=_("Carrier or forwarder"), max_length=100)
    tracking_number = forms.CharField(label=_("Tracking, B/L or air waybill number"), max_length=60)


class ShipmentStageForm(forms.Form):
    shipment = forms.ModelChoiceField(label=_("Shipment"), queryset=Shipment.objects.none())
    stage = forms.ChoiceField(label=_("Stage"), choices=ShipmentStage.choices)
    occurred_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        help_text=_("Leave empty for now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    location = forms.CharField(label=_("Where"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    document = forms.ModelChoiceField(
        label=_("Supporting document"), queryset=OrderDocument.objects.none(), required=False
    )

    def __init__(self, *args, order: Order, shipments, documents, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this order's rows: never another order's, never another supplier's.
        self.fields["shipment"].queryset = Shipment.objects.filter(order=order)
        self.fields["shipment"].choices = [("", "—"), *[(s.pk, str(s)) for s in shipments]]
        self.fields["document"].queryset = OrderDocument.objects.filter(order=order)
        self.fields["document"].choices = [("", "—"), *[(d.pk, str(d)) for d in documents]]


SELLER_DOCUMENT_KINDS = [
    (value, label) for value, label in DocumentKind.choices if value != DocumentKind.DISPUTE_EVIDENCE
]


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=SELLER_DOCUMENT_KINDS)
    file = forms.FileField(label=_("File (PDF or photo, at most 10 MB)"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class DisputeAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6, "cols": 80})
    )
    files = MultipleFileField(label=_("Evidence (PDF or photos)"), required=False)


# --- Sellers (/seller/): contracts ------------------------------------------------------------------------------


def _latest_version_field(field: str):
    latest = ContractVersion.objects.filter(contract=OuterRef("pk")).order_by("-number")
    return Subquery(latest.values(field)[:1])


def _acceptance(accepted_at, signatory) -> str:
    if signatory:
        return gettext("signed by %(name)s") % {"name": signatory}
    if accepted_at:
        return gettext("accepted, not signed")
    return gettext("not yet")


@admin.register(Contract, site=seller_site)
class SellerContractAdmin(ScopedModelAdmin):
    """The supplier's contracts: read, compare versions, propose edits, accept and sign. No add, no delete."""

    list_display = ["number_display", "title", "buyer_company", "status", "latest_version", "accepted_by"]
    list_display_links = ["number_display", "title"]
    list_filter = ["status"]
    search_fields = ["title"]
    view_on_site = False
    actions = None
    contract_template = "deals/admin/contract_change.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("buyer__buyer_profile")
            .annotate(
                latest_number=_latest_version_field("number"),
                latest_buyer_accepted_at=_latest_version_field("buyer_accepted_at"),
                latest_buyer_signatory=_latest_version_field("buyer_signatory"),
                latest_supplier_accepted_at=_latest_version_field("supplier_accepted_at"),
                latest_supplier_signatory=_latest_version_field("supplier_signatory"),
            )
        )

    @admin.display(description=_("Contract"), ordering="pk")
    def number_display(self, contract):
        return contract.number

    @admin.display(description=_("Buyer"))
    def buyer_company(self, contract):
        return _buyer_company(contract.buyer)

    @admin.display(description=_("Latest version"), ordering="latest_number")
    def latest_version(self, contract):
        return contract.latest_number or "—"

    @admin.display(description=_("Accepted by"))
    def accepted_by(self, contract):
        if not contract.latest_number:
            return "—"
        return gettext("Buyer: %(buyer)s · You: %(supplier)s") % {
            "buyer": _acceptance(contract.latest_buyer_accepted_at, contract.latest_buyer_signatory),
            "supplier": _acceptance(contract.latest_supplier_accepted_at, contract.latest_supplier_signatory),
        }

    def has_add_permission(self, request, obj=None):
        return False  # contracts come from accepted quotes

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # The screen's writes are contract_propose, contract_accept and contract_redraft, never a model form.
        return False

    def get_urls(self):
        pdf = self.admin_site.admin_view(self.pdf_view)
        return [
            path("<int:contract_pk>/versions/<int:number>/pdf/", pdf, name="deals_contract_pdf"),
            *super().get_urls(),
        ]

    def pdf_view(self, request, contract_pk, number):
        from .pdf import contract_pdf

        contract = self.get_object(request, str(contract_pk))  # 404 for another supplier's contract
        version = contract.versions.filter(number=number).first()
        if version is None:
            raise Http404(gettext("Not found."))
        try:
            content = contract_pdf(version)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(reverse(f"{self.admin_site.name}:deals_contract_change", args=[contract.pk]))
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{contract.number}-v{version.number}.pdf"'
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        contract = self.get_object(request, unquote(object_id))  # 404 for another supplier's contract
        versions = list(contract.versions.select_related(None).order_by("number"))
        latest = versions[-1] if versions else None
        if request.method == "POST":
            action = request.POST.get("_action")
            if action == "propose" and latest is not None:
                return self._propose(request, contract, versions, latest)
            if action == "accept":
                return self._accept(request, contract, versions)
            if action == "redraft":
                return self._redraft(request, contract)
            self.message_user(request, gettext("Choose propose, accept or draft again."), messages.ERROR)
            return HttpResponseRedirect(request.path)
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET", "POST"])
        return self._render(request, contract, versions)

    def _render(self, request, contract, versions, *, propose_form=None, accept_form=None, status=200):
        latest = versions[-1] if versions else None
        try:
            number = int(request.GET.get("version") or (latest.number if latest else 0))
        except ValueError:
            number = latest.number if latest else 0
        shown = next((v for v in versions if v.number == number), latest)
        previous = next((v for v in reversed(versions) if shown and v.number < shown.number), None)
        terms = shown.parsed if shown else None
        negotiating = contract.status == ContractStatus.NEGOTIATING and latest is not None
        if negotiating and propose_form is None:
            propose_form = ContractProposeForm(version=latest, prefix="propose")
        if negotiating and accept_form is None:
            accept_form = ContractAcceptForm(prefix="accept", initial={"version": latest.pk})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{contract.number} · {contract.title}",
            "contract": contract,
            "buyer_company": _buyer_company(contract.buyer),
            "versions": versions,
            "latest": latest,
            "shown": shown,
            "previous": previous,
            "terms": terms,
            "lines": [
                (line, money(line.unit_price, terms.currency), money(line.total, terms.currency))
                for line in terms.lines
            ]
            if terms
            else [],
            "total": money(terms.total, terms.currency) if terms else "",
            "milestones": [(m, percent(m.percent)) for m in terms.milestones] if terms else [],
            "diff": terms_diff(previous.parsed, terms) if previous and terms else [],
            "propose_form": propose_form if negotiating else None,
            "accept_form": accept_form if negotiating else None,
            "supplier_signed_latest": bool(latest and latest.supplier_signatory),
            "pdf_url": (
                reverse(f"{self.admin_site.name}:deals_contract_pdf", args=[contract.pk, shown.number])
                if shown is not None and shown.pk == contract.signed_version_id
                else None
            ),
            "order_url": (
                reverse(f"{self.admin_site.name}:deals_order_change", args=[contract.order.pk])
                if contract.status == ContractStatus.SIGNED and hasattr(contract, "order")
                else None
            ),
            "changelist_url": reverse(f"{self.admin_site.name}:deals_contract_changelist"),
        }
        return render(request, self.contract_template, context, status=status)

    def _propose(self, request, contract, versions, latest):
        form = ContractProposeForm(request.POST, version=latest, prefix="propose")
        if form.is_valid():
            try:
                version = contract_services.contract_propose(
                    contract=contract,
                    actor=request.user,
                    side=Side.SUPPLIER,
                    changes=form.changes(),
                    note=form.cleaned_data["note"],
                    idempotency_key=form.cleaned_data["idempotency_key"] or None,
                )
            except ValidationError as error:
                self.message_user(request, service_error_on_form(form, error), messages.ERROR)
            else:
                message = gettext("Version %(n)d proposed; the buyer reads it and accepts or answers.") % {
                    "n": version.number
                }
                self.log_change(request, contract, message)
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(request.path)
        else:
            self.message_user(request, gettext("Nothing was proposed; correct the errors below."), messages.ERROR)
        return self._render(request, contract, versions, propose_form=form)

    def _accept(self, request, contract, versions):
        form = ContractAcceptForm(request.POST, prefix="accept")
        if form.is_valid():
            version = next((v for v in versions if v.pk == form.cleaned_data["version"]), None)
            if version is None:
                self.message_user(request, gettext("That version is not part of this contract."), messages.ERROR)
                return HttpResponseRedirect(request.path)
            try:
                contract = contract_services.contract_accept(
                    contract=contract,
                    version=version,
                    actor=request.user,
                    side=Side.SUPPLIER,
                    signatory=form.cleaned_data["signatory"],
                    idempotency_key=form.cleaned_data["idempotency_key"] or None,
                )
            except ValidationError as error:
                self.message_user(request, service_error_on_form(form, error), messages.ERROR)
            else:
                if contract.status == ContractStatus.SIGNED:
                    message = gettext("Contract signed by both sides; the order waits for the buyer's payment.")
                else:
                    message = gettext("Version %(n)d accepted and signed; waiting for the buyer.") % {
                        "n": version.number
                    }
                self.log_change(request, contract, message)
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(request.path)
        else:
            self.message_user(
                request, gettext("The contract was not signed; correct the errors below."), messages.ERROR
            )
        return self._render(request, contract, versions, accept_form=form)

    def _redraft(self, request, contract):
        try:
            contract_services.contract_redraft(contract=contract, actor=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, gettext("The contract is being drafted again."), messages.SUCCESS)
        return HttpResponseRedirect(request.path)


# --- Sellers (/seller/): orders ---------------------------------------------------------------------------------


def _next_action(order: Order) -> str:
    """What the supplier does next, or waits for."""
    status = order.status
    if status == OrderStatus.AWAITING_PAYMENT:
        return gettext("Wait for the buyer's payment into escrow")
    if status == OrderStatus.FUNDED:
        return gettext("Start production")
    if status == OrderStatus.IN_PRODUCTION:
        return gettext("Add the shipment and record its departure")
    if status == OrderStatus.SHIPPED:
        return gettext("Upload the bill of lading; record the delivery")
    if status == OrderStatus.DELIVERED:
        return gettext("Wait for the buyer's release")
    if status == OrderStatus.DISPUTED:
        dispute = getattr(order, "dispute", None)
        if dispute is not None and dispute.status == DisputeStatus.OPEN:
            return gettext("Answer the dispute")
        return gettext("Wait for Silkway's decision")
    return "—"


@admin.register(Order, site=seller_site)
class SellerOrderAdmin(ScopedModelAdmin):
    """The supplier's orders and the actions on them, each through a deals service. No add, no delete, no edits."""

    list_display = ["number_display", "title", "buyer_company", "status", "total_display", "next_action"]
    list_display_links = ["number_display", "title"]
    list_filter = ["status"]
    search_fields = ["title", "payment_reference"]
    view_on_site = False
    actions = None
    order_template = "deals/admin/order_change.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("buyer__buyer_profile", "dispute")

    @admin.display(description=_("Order"), ordering="pk")
    def number_display(self, order):
        return order.number

    @admin.display(description=_("Buyer"))
    def buyer_company(self, order):
        return _buyer_company(order.buyer)

    @admin.display(description=_("Total"), ordering="total")
    def total_display(self, order):
        return money(order.total, order.currency)

    @admin.display(description=pgettext_lazy("next action", "Next"))
    def next_action(self, order):
        return _next_action(order)

    def has_add_permission(self, request, obj=None):
        return False  # orders come from signed contracts

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # money, dates and status change only through the services

    def get_urls(self):
        download = self.admin_site.admin_view(self.document_view)
        return [
            path("<int:order_pk>/documents/<int:pk>/", download, name="deals_order_document"),
            *super().get_urls(),
        ]

    def document_view(self, request, order_pk, pk):
        order = self.get_object(request, str(order_pk))  # 404 for another supplier's order
        document = OrderDocument.objects.filter(order=order, pk=pk).first()
        if document is None:
            raise Http404(gettext("Not found."))
        return _document_response(document)

    ACTIONS = {
        "start_production": "_start_production",
        "add_shipment": "_add_shipment",
        "record_stage": "_record_stage",
        "upload_document": "_upload_document",
        "answer_dispute": "_answer_dispute",
    }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        order = self.get_object(request, unquote(object_id))  # 404 for another supplier's order
        if request.method == "POST":
            handler = self.ACTIONS.get(request.POST.get("_action", ""))
            if handler is None:
                self.message_user(request, gettext("Choose one of the order's actions."), messages.ERROR)
                return HttpResponseRedirect(request.path)
            return getattr(self, handler)(request, order)
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET", "POST"])
        return self._render(request, order)

    # Each handler: a bound form, the service, a message; on refusal the page again with the errors.

    def _done(self, request, order, message):
        self.log_change(request, order, str(message))
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(request.path)

    def _refused(self, request, order, form_name, form, error=None):
        text = service_error_on_form(form, error) if error is not None else gettext("Correct the errors below.")
        self.message_user(request, text, messages.ERROR)
        return self._render(request, order, {form_name: form}, status=200)

    def _start_production(self, request, order):
        form = StartProductionForm(request.POST, prefix="production")
        if not form.is_valid():
            return self._refused(request, order, "production_form", form)
        try:
            order_services.order_start_production(
                order=order, actor=request.user, idempotency_key=form.cleaned_data["idempotency_key"] or None
            )
        except ValidationError as error:
            return self._refused(request, order, "production_form", form, error)
        return self._done(request, order, gettext("Production started; the buyer has been told."))

    def _add_shipment(self, request, order):
        form = ShipmentAddForm(request.POST, prefix="shipment")
        if not form.is_valid():
            return self._refused(request, order, "shipment_form", form)
        try:
            order_services.shipment_add(order=order, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            return self._refused(request, order, "shipment_form", form, error)
        return self._done(request, order, gettext("Shipment added; record its stages as the goods move."))

    def _record_stage(self, request, order):
        form = self._stage_form(order, data=request.POST)
        if not form.is_valid():
            return self._refused(request, order, "stage_form", form)
        data = form.cleaned_data
        try:
            order_services.shipment_event_record(
                shipment=data["shipment"],
                actor=request.user,
                stage=data["stage"],
                occurred_at=data["occurred_at"],
                location=data["location"],
                note=data["note"],
                document=data["document"],
            )
        except ValidationError as error:
            return self._refused(request, order, "stage_form", form, error)
        stage = ShipmentStage(data["stage"]).label
        return self._done(request, order, gettext("“%(stage)s” recorded for the shipment.") % {"stage": stage})

    def _upload_document(self, request, order):
        form = DocumentUploadForm(request.POST, request.FILES, prefix="document")
        if not form.is_valid():
            return self._refused(request, order, "document_form", form)
        data = form.cleaned_data
        try:
            document = order_services.document_upload(
                order=order,
                actor=request.user,
                side=Side.SUPPLIER,
                kind=data["kind"],
                file=data["file"],
                note=data["note"],
            )
        except ValidationError as error:
            return self._refused(request, order, "document_form", form, error)
        return self._done(request, order, gettext("“%(name)s” added to the order.") % {"name": document.original_name})

    def _answer_dispute(self, request, order):
        form = DisputeAnswerForm(request.POST, request.FILES, prefix="answer")
        dispute = Dispute.objects.filter(order=order).first()
        if dispute is None:
            self.message_user(request, gettext("This order has no dispute."), messages.ERROR)
            return HttpResponseRedirect(request.path)
        if not form.is_valid():
            return self._refused(request, order, "answer_form", form)
        try:
            dispute_services.dispute_answer(
                dispute=dispute,
                actor=request.user,
                answer=form.cleaned_data["answer"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            return self._refused(request, order, "answer_form", form, error)
        return self._done(request, order, gettext("Your answer was sent; Silkway decides the dispute next."))

    def _stage_form(self, order, data=None, shipments=None, documents=None):
        if shipments is None:
            shipments = list(Shipment.objects.filter(order=order))
        if documents is None:
            documents = list(OrderDocument.objects.filter(order=order))
        return ShipmentStageForm(data, order=order, shipments=shipments, documents=documents, prefix="stage")

    def _render(self, request, order, forms_=None, status=200):
        forms_ = forms_ or {}
        milestones = list(order.milestones.all())
        documents = list(order.documents.select_related("dispute").order_by("created_at", "pk"))
        shipments = list(order.shipments.prefetch_related("events"))
        dispute = getattr(order, "dispute", None)  # select_related by get_queryset; None when there is none
        document_url = f"{self.admin_site.name}:deals_order_document"
        milestone_rows = []
        for milestone in milestones:
            arrived = evidence_at(order, milestone, documents)
            milestone_rows.append(
                {
                    "milestone": milestone,
                    "amount": money(milestone.amount, order.currency),
                    "percent": percent(milestone.percent),
                    "evidence_at": arrived,
                }
            )
        status_ = order.status
        can_ship = status_ in (OrderStatus.FUNDED, OrderStatus.IN_PRODUCTION, OrderStatus.SHIPPED)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{order.number} · {order.title}",
            "order": order,
            "buyer_company": _buyer_company(order.buyer),
            "total": money(order.total, order.currency),
            "next_action": _next_action(order),
            "milestones": milestone_rows,
            "shipments": shipments,
            "documents": [(d, reverse(document_url, args=[order.pk, d.pk])) for d in documents],
            "dispute": dispute,
            "dispute_documents": [
                (d, reverse(document_url, args=[order.pk, d.pk]))
                for d in documents
                if dispute and d.dispute_id == dispute.pk
            ],
            "contract_url": reverse(f"{self.admin_site.name}:deals_contract_change", args=[order.contract_id]),
            "changelist_url": reverse(f"{self.admin_site.name}:deals_order_changelist"),
            "production_form": (
                forms_.get("production_form") or StartProductionForm(prefix="production")
                if status_ == OrderStatus.FUNDED or "production_form" in forms_
                else None
            ),
            "shipment_form": (
                forms_.get("shipment_form") or ShipmentAddForm(prefix="shipment")
                if can_ship or "shipment_form" in forms_
                else None
            ),
            "stage_form": (
                forms_.get("stage_form") or self._stage_form(order, shipments=shipments, documents=documents)
                if (shipments and not order.is_closed) or "stage_form" in forms_
                else None
            ),
            "document_form": (
                forms_.get("document_form") or DocumentUploadForm(prefix="document")
                if status_ not in (OrderStatus.AWAITING_PAYMENT, OrderStatus.CANCELLED) or "document_form" in forms_
                else None
            ),
            "answer_form": (
                forms_.get("answer_form") or DisputeAnswerForm(prefix="answer")
                if (dispute is not None and dispute.status == DisputeStatus.OPEN) or "answer_form" in forms_
                else None
            ),
        }
        return render(request, self.order_template, context, status=status)


# --- Operators (/admin/) ----------------------------------------------------------------------------------------


class ReadOnlyAdmin(BaseReadOnlyAdmin):
    """Records of buyers, sellers and money: inspected here, changed only through the services."""

    view_on_site = False
    actions = None


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _operator_document_link(document: OrderDocument):
    url = reverse("admin:deals_orderdocument_download", args=[document.pk])
    return format_html('<a href="{}">{}</a>', url, document.original_name)


class ContractVersionInline(ReadOnlyInline):
    model = ContractVersion
    fields = [
        "number",
        "author_side",
        "author",
        "note",
        "buyer_accepted_at",
        "buyer_signatory",
        "supplier_accepted_at",
        "supplier_signatory",
        "content_hash",
        "created_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author").defer("terms", "provenance")


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = [
        "number_display",
        "title",
        "buyer",
        "supplier",
        "status",
        "version_count",
        "signed_at",
        "created_at",
    ]
    list_display_links = ["number_display", "title"]
    list_filter = ["status"]
    list_select_related = ["buyer", "supplier"]
    search_fields = ["title", "buyer__email", "supplier__name"]
    fields = [
        "title",
        "quote",
        "buyer",
        "supplier",
        "status",
        "error",
        "signed_version",
        "signed_at",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields
    inlines = [ContractVersionInline]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_versions=Count("versions"))

    @admin.display(description=_("Contract"), ordering="pk")
    def number_display(self, contract):
        return contract.number

    @admin.display(description=_("Versions"), ordering="n_versions")
    def version_count(self, contract):
        return contract.n_versions


@admin.register(ContractVersion)
class ContractVersionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "author_side", "author", "buyer_signatory", "supplier_signatory", "created_at"]
    list_filter = ["author_side"]
    list_select_related = ["contract", "author"]
    search_fields = ["contract__title", "content_hash"]
    fields = [
        "contract",
        "number",
        "author_side",
        "author",
        "note",
        "buyer_accepted_at",
        "buyer_signatory",
        "supplier_accepted_at",
        "supplier_signatory",
        "content_hash",
        "created_at",
        "clauses_display",
        "terms_pretty",
        "provenance_pretty",
    ]
    readonly_fields = fields

    @admin.display(description=_("Clauses and their sources"))
    def clauses_display(self, version):
        try:
            clauses = version.parsed.clauses
        except ValueError:
            return "—"
        return format_html_join(
            "",
            '<div style="margin-bottom: 1em"><strong>{}</strong><div style="white-space: pre-wrap">{}</div>'
            '<div class="help">{}</div></div>',
            (
                (clause.title, clause.text, "; ".join(f"{s.label} [{s.kind}]" for s in clause.sources))
                for clause in clauses
            ),
        )

    @admin.display(description=_("Terms"))
    def terms_pretty(self, version):
        return _pretty_json(version.terms)

    @admin.display(description=_("Provenance"))
    def provenance_pretty(self, version):
        return _pretty_json(version.provenance)


class PaymentMilestoneInline(ReadOnlyInline):
    model = PaymentMilestone
    fields = ["position", "label", "percent", "amount", "evidence", "status", "released_at", "released_by"]
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("released_by")


class OrderDocumentInline(ReadOnlyInline):
    model = OrderDocument
    fields = ["kind", "download", "side", "uploaded_by", "size", "dispute", "created_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by", "dispute__order")

    @admin.display(description=_("File"))
    def download(self, document):
        return _operator_document_link(document)


class ShipmentInline(ReadOnlyInline):
    model = Shipment
    fields = ["mode", "carrier", "tracking_number", "created_at"]
    readonly_fields = fields


class LedgerTransactionInline(ReadOnlyInline):
    model = LedgerTransaction
    fields = ["created_at", "kind", "amount", "currency", "milestone", "provider", "provider_reference", "memo"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("milestone")


class ConfirmPaymentForm(IdempotentForm):
    amount = forms.DecimalField(label=_("Amount received"), max_digits=16, decimal_places=2, min_value=Decimal("0.01"))
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)
    provider_reference = forms.CharField(label=_("Bank reference"), max_length=100, required=False)


@admin.action(description=_("Confirm payment received"))
def confirm_payment(modeladmin, request, queryset):
    """Opens the confirmation form for one order: the amount has to be typed, never assumed."""
    orders = list(queryset[:2])
    if len(orders) != 1:
        modeladmin.message_user(request, gettext("Choose exactly one order to confirm its payment."), messages.ERROR)
        return None
    return HttpResponseRedirect(reverse("admin:deals_order_confirm_payment", args=[orders[0].pk]))


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = [
        "number_display",
        "title",
        "buyer",
        "supplier",
        "status",
        "total_display",
        "payment_reference",
        "created_at",
    ]
    list_display_links = ["number_display", "title"]
    list_filter = ["status", "currency"]
    list_select_related = ["buyer", "supplier"]
    search_fields = ["title", "payment_reference", "buyer__email", "supplier__name"]
    fields = [
        "title",
        "contract",
        "version",
        "buyer",
        "supplier",
        "status",
        "total",
        "currency",
        "escrow_held",
        "payment_reference",
        "delivery_due",
        "protection_days",
        "funded_at",
        "production_started_at",
        "shipped_at",
        "confirm_delivery_by",
        "delivered_at",
        "protection_until",
        "closed_at",
        "created_at",
    ]
    readonly_fields = fields
    inlines = [PaymentMilestoneInline, LedgerTransactionInline, ShipmentInline, OrderDocumentInline]
    actions = [confirm_payment]
    date_hierarchy = "created_at"
    change_form_template = "deals/admin/order_change_form.html"

    @admin.display(description=_("Order"), ordering="pk")
    def number_display(self, order):
        return order.number

    @admin.display(description=_("Total"), ordering="total")
    def total_display(self, order):
        return money(order.total, order.currency)

    @admin.display(description=_("Held in escrow now"))
    def escrow_held(self, order):
        return money(escrow_balance(order=order), order.currency)

    def get_urls(self):
        view = self.admin_site.admin_view(self.confirm_payment_view)
        return [path("<int:pk>/confirm-payment/", view, name="deals_order_confirm_payment"), *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        order = self.get_object(request, unquote(object_id))
        extra_context = {
            **(extra_context or {}),
            "confirm_payment_url": (
                reverse("admin:deals_order_confirm_payment", args=[order.pk])
                if order is not None and order.status == OrderStatus.AWAITING_PAYMENT
                else None
            ),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def confirm_payment_view(self, request, pk):
        order = self.get_object(request, str(pk))
        if order is None or not self.has_view_permission(request, order):
            raise Http404(gettext("Not found."))
        if request.method == "POST":
            form = ConfirmPaymentForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    order_services.order_confirm_payment(
                        order=order,
                        operator=request.user,
                        amount=data["amount"],
                        currency=data["currency"].upper(),
                        provider_reference=data["provider_reference"],
                        idempotency_key=data["idempotency_key"] or None,
                    )
                except ValidationError as error:
                    self.message_user(request, service_error_on_form(form, error), messages.ERROR)
                else:
                    message = gettext("Payment confirmed: %(order)s is paid into escrow.") % {"order": order.number}
                    self.log_change(request, order, message)
                    self.message_user(request, message, messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:deals_order_change", args=[order.pk]))
            else:
                self.message_user(request, gettext("Payment not confirmed; correct the errors below."), messages.ERROR)
        elif request.method == "GET":
            form = ConfirmPaymentForm(initial={"currency": order.currency})
        else:
            return HttpResponseNotAllowed(["GET", "POST"])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Confirm payment received for %(order)s") % {"order": order.number},
            "order": order,
            "original": order,
            "expected": money(order.total, order.currency),
            "form": form,
            "buyer": order.buyer,
        }
        return render(request, "deals/admin/confirm_payment.html", context)


class DisputeDecideForm(IdempotentForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=DisputeDecision.choices, widget=forms.RadioSelect)
    refund_amount = forms.DecimalField(
        label=_("Refund to the buyer (partial decisions only)"),
        max_digits=16,
        decimal_places=2,
        required=False,
        min_value=Decimal("0.01"),
    )
    note = forms.CharField(
        label=_("Reasons for the decision (both sides read them)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
    )


class DisputeDocumentInline(ReadOnlyInline):
    model = OrderDocument
    fk_name = "dispute"
    fields = ["kind", "download", "side", "created_at"]
    readonly_fields = fields
    show_change_link = False

    @admin.display(description=_("File"))
    def download(self, document):
        return _operator_document_link(document)


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "reason",
        "status",
        "requested_refund",
        "answer_due",
        "decision",
        "refund_amount",
        "opened_at",
    ]
    list_filter = ["status", "reason", "decision"]
    list_select_related = ["order"]
    search_fields = ["order__title", "order__payment_reference", "description"]
    fields = [
        "order",
        "status_before",
        "reason",
        "description",
        "requested_refund",
        "opened_by",
        "opened_at",
        "status",
        "answer_due",
        "supplier_answer",
        "answered_at",
        "decision",
        "refund_amount",
        "decision_note",
        "decided_by",
        "decided_at",
    ]
    readonly_fields = fields
    inlines = [DisputeDocumentInline]
    change_form_template = "deals/admin/dispute_change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.decide_view)
        return [path("<int:pk>/decide/", view, name="deals_dispute_decide"), *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        dispute = self.get_object(request, unquote(object_id))
        extra_context = {
            **(extra_context or {}),
            "decide_url": (
                reverse("admin:deals_dispute_decide", args=[dispute.pk])
                if dispute is not None and dispute.status != DisputeStatus.DECIDED
                else None
            ),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_view(self, request, pk):
        dispute = self.get_object(request, str(pk))
        if dispute is None or not self.has_view_permission(request, dispute):
            raise Http404(gettext("Not found."))
        order = dispute.order
        if request.method == "POST":
            form = DisputeDecideForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    dispute_services.dispute_decide(
                        dispute=dispute,
                        operator=request.user,
                        decision=data["decision"],
                        note=data["note"],
                        refund_amount=data["refund_amount"],
                        idempotency_key=data["idempotency_key"] or None,
                    )
                except ValidationError as error:
                    self.message_user(request, service_error_on_form(form, error), messages.ERROR)
                else:
                    message = gettext("Dispute decided: %(decision)s.") % {
                        "decision": DisputeDecision(data["decision"]).label
                    }
                    self.log_change(request, dispute, message)
                    self.message_user(request, message, messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:deals_dispute_change", args=[dispute.pk]))
            else:
                self.message_user(request, gettext("Nothing was decided; correct the errors below."), messages.ERROR)
        elif request.method == "GET":
            form = DisputeDecideForm()
        else:
            return HttpResponseNotAllowed(["GET", "POST"])
        documents = OrderDocument.objects.filter(dispute=dispute).order_by("created_at", "pk")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Decide the dispute on %(order)s") % {"order": order.number},
            "dispute": dispute,
            "original": dispute,
            "order": order,
            "held": money(escrow_balance(order=order), order.currency),
            "requested": money(dispute.requested_refund, order.currency),
            "documents": [(d, reverse("admin:deals_orderdocument_download", args=[d.pk])) for d in documents],
            "form": form,
        }
        return render(request, "deals/admin/dispute_decide.html", context)


class LedgerEntryInline(ReadOnlyInline):
    model = LedgerEntry
    fields = ["account", "amount", "currency"]
    readonly_fields = fields
    show_change_link = False


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    """The ledger: every money movement with its balanced entries. Read-only, always; the top of the list says
    whether the whole ledger passes its checks."""

    list_display = [
        "pk",
        "created_at",
        "order_number",
        "kind",
        "amount",
        "currency",
        "provider",
        "provider_reference",
        "memo",
    ]
    list_filter = ["kind", "currency"]
    list_select_related = ["order"]
    search_fields = ["order__payment_reference", "provider_reference", "memo"]
    fields = [
        "order",
        "kind",
        "amount",
        "currency",
        "milestone",
        "provider",
        "provider_reference",
        "memo",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields
    inlines = [LedgerEntryInline]
    change_list_template = "deals/admin/ledger_change_list.html"
    date_hierarchy = "created_at"

    @admin.display(description=_("Order"), ordering="order__pk")
    def order_number(self, txn):
        return txn.order.number

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "ledger_problems": ledger_imbalances()}
        return super().changelist_view(request, extra_context)


@admin.register(DealEvent)
class DealEventAdmin(ReadOnlyAdmin):
    """The audit trail: append-only, here to read."""

    list_display = ["created_at", "contract", "order", "side", "action", "from_status", "to_status", "actor"]
    list_filter = ["action", "side"]
    list_select_related = ["contract", "order", "actor"]
    search_fields = ["action", "contract__title", "order__payment_reference", "actor__email"]
    fields = ["created_at", "contract", "order", "actor", "side", "action", "from_status", "to_status", "detail_pretty"]
    readonly_fields = fields
    date_hierarchy = "created_at"

    @admin.display(description=_("Detail"))
    def detail_pretty(self, event):
        return _pretty_json(event.detail)


class ShipmentEventInline(ReadOnlyInline):
    model = ShipmentEvent
    fields = ["stage", "occurred_at", "location", "note", "document", "recorded_by", "created_at"]
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document", "recorded_by")


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "order", "mode", "carrier", "tracking_number", "created_at"]
    list_filter = ["mode"]
    list_select_related = ["order"]
    search_fields = ["carrier", "tracking_number", "order__payment_reference"]
    fields = ["order", "mode", "carrier", "tracking_number", "created_at"]
    readonly_fields = fields
    inlines = [ShipmentEventInline]


@admin.register(OrderDocument)
class OrderDocumentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "order", "kind", "side", "size", "uploaded_by", "created_at", "download"]
    list_filter = ["kind", "side"]
    list_select_related = ["order", "uploaded_by"]
    search_fields = ["original_name", "order__payment_reference", "sha256"]
    fields = [
        "order",
        "dispute",
        "kind",
        "download",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "side",
        "uploaded_by",
        "note",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("File"))
    def download(self, document):
        return _operator_document_link(document)

    def get_urls(self):
        view = self.admin_site.admin_view(self.download_view)
        return [path("<int:pk>/download/", view, name="deals_orderdocument_download"), *super().get_urls()]

    def download_view(self, request, pk):
        document = self.get_object(request, str(pk))
        if document is None or not self.has_view_permission(request, document):
            raise Http404(gettext("Not found."))
        return _document_response(document)


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["order", "supplier_rating", "product_rating", "created_at"]
    list_filter = ["supplier_rating", "product_rating"]
    list_select_related = ["order"]
    fields = ["order", "supplier_rating", "product_rating", "comment", "created_at"]
    readonly_fields = fields
