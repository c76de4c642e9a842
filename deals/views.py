"""The buyer's deals pages: contracts to review, edit and sign; orders to pay, follow, release, dispute and rate.

Thin: forms check shapes, deals.services decide (every write, with the form's idempotency key), deals.selectors
read and answer 404 for anybody else's rows. Bad input re-renders the page with the form's errors and changes
nothing; success redirects with a message. Files are served by views that check ownership, never by MEDIA URLs.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from conversations.forms import MessageForm
from core.files import private_file_response

from . import selectors
from .contract_terms import milestone_amounts, money, terms_diff
from .forms import (
    ActionForm,
    CancelForm,
    DisputeForm,
    DocumentForm,
    ProposeForm,
    RedraftForm,
    ReviewForm,
    SignForm,
)
from .models import ContractStatus, Evidence, OrderStatus, Side
from .services import contracts, disputes, orders

ORDERS_PER_PAGE = 20
CONTRACTS_SHOWN = 50

SOURCE_LABELS = {
    "quote": gettext_lazy("Quote"),
    "quote_line": gettext_lazy("Quote line"),
    "requirement": gettext_lazy("Your requirement"),
    "rfq": gettext_lazy("Your RFQ"),
    "message": gettext_lazy("Message"),
    "edit": gettext_lazy("Edit"),
    "template": gettext_lazy("Template default"),
}
EVENT_LABELS = {
    "contract_opened": gettext_lazy("Contract opened from the accepted quote"),
    "contract_drafted": gettext_lazy("Contract drafted"),
    "contract_draft_failed": gettext_lazy("Drafting failed"),
    "contract_redraft": gettext_lazy("Drafting asked again"),
    "contract_proposed": gettext_lazy("Changes proposed"),
    "contract_accepted": gettext_lazy("Version accepted and signed"),
    "contract_signed": gettext_lazy("Contract signed by both sides"),
    "order_created": gettext_lazy("Order created"),
    "payment_confirmed": gettext_lazy("Payment received in escrow"),
    "cancelled": gettext_lazy("Order cancelled"),
    "production_started": gettext_lazy("Production started"),
    "document_added": gettext_lazy("Document added"),
    "shipment_added": gettext_lazy("Shipment added"),
    "shipment_booked": gettext_lazy("Shipment booked"),
    "shipment_departed": gettext_lazy("Shipment departed"),
    "shipment_arrived": gettext_lazy("Shipment arrived"),
    "shipment_customs_cleared": gettext_lazy("Customs cleared"),
    "shipment_delivered": gettext_lazy("Carrier reports delivery"),
    "delivery_confirmed": gettext_lazy("Delivery confirmed"),
    "milestone_released": gettext_lazy("Payment released to the supplier"),
    "completed": gettext_lazy("Order completed"),
    "dispute_opened": gettext_lazy("Dispute opened"),
    "dispute_answered": gettext_lazy("Supplier answered the dispute"),
    "dispute_decided": gettext_lazy("Dispute decided"),
    "reviewed": gettext_lazy("Order rated"),
}
TIMELINE = (
    (OrderStatus.AWAITING_PAYMENT, "created_at"),
    (OrderStatus.FUNDED, "funded_at"),
    (OrderStatus.IN_PRODUCTION, "production_started_at"),
    (OrderStatus.SHIPPED, "shipped_at"),
    (OrderStatus.DELIVERED, "delivered_at"),
    (OrderStatus.RELEASED, "closed_at"),
)


def event_label(action: str) -> str:
    return str(EVENT_LABELS.get(action, action.replace("_", " ").capitalize()))


def document_response(document) -> HttpResponse:
    """The file as a download under the name it was uploaded with (never rendered inline: it is user content), for
    a reader the caller has checked."""
    return private_file_response(
        document.file, filename=document.original_name, content_type=document.content_type or None
    )


# --- the list ---------------------------------------------------------------------------------------------------


@login_required
@require_GET
def deals_home(request):
    """The buyer's contracts still being agreed, and their orders with the next step on each."""
    contract_rows = []
    for contract in selectors.contract_list_for_buyer(buyer=request.user).exclude(status=ContractStatus.SIGNED)[
        :CONTRACTS_SHOWN
    ]:
        latest = selectors.contract_latest_version(contract)
        terms = latest.parsed if latest else None
        contract_rows.append(
            {
                "contract": contract,
                "latest": latest,
                "total": terms.total if terms else None,
                "currency": terms.currency if terms else "",
                "next": selectors.contract_next_action(contract, side=Side.BUYER),
            }
        )
    page = Paginator(selectors.order_list_for_buyer(buyer=request.user), ORDERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    order_rows = [{"order": order, "next": selectors.order_next_action(order, side=Side.BUYER)} for order in page]
    return render(request, "deals/home.html", {"contract_rows": contract_rows, "order_rows": order_rows, "page": page})


# --- contracts --------------------------------------------------------------------------------------------------


def _render_contract(request, contract, *, sign_form=None, propose_form=None, redraft_form=None):
    versions = selectors.contract_versions(contract)
    latest = versions[-1] if versions else None
    shown = next((v for v in versions if v.pk == contract.signed_version_id), latest)
    terms = shown.parsed if shown else None
    history = []
    previous = None
    for version in versions:
        parsed = version.parsed
        history.append({"version": version, "changes": terms_diff(previous, parsed) if previous is not None else []})
        previous = parsed
    history.reverse()
    context = {
        "contract": contract,
        "versions": versions,
        "latest": latest,
        "shown": shown,
        "terms": terms,
        "history": history,
        "events": [{"event": e, "label": event_label(e.action)} for e in contract.events.all()],
        "next": selectors.contract_next_action(contract, side=Side.BUYER),
        "refresh": contract.status == ContractStatus.DRAFTING,
        "order": getattr(contract, "order", None) if contract.status == ContractStatus.SIGNED else None,
    }
    if terms is not None:
        amounts = milestone_amounts(terms.total, [m.percent for m in terms.milestones])
        context["milestones"] = [
            (milestone, amount, Evidence(milestone.evidence).label)
            for milestone, amount in zip(terms.milestones, amounts, strict=True)
        ]
        context["clauses"] = [
            {
                "clause": clause,
                "sources": [{"source": s, "label": SOURCE_LABELS.get(s.kind, s.kind)} for s in clause.sources],
            }
            for clause in terms.clauses
        ]
    negotiating = contract.status == ContractStatus.NEGOTIATING and latest is not None
    if negotiating and not latest.buyer_signatory:
        context["sign_form"] = sign_form or SignForm(initial={"version": latest.pk})
    if negotiating:
        context["propose_form"] = propose_form or ProposeForm(terms=latest.parsed)
    if contract.status == ContractStatus.FAILED:
        context["redraft_form"] = redraft_form or RedraftForm()
    return render(request, "deals/contract_detail.html", context)


@login_required
@require_GET
def contract_detail(request, pk):
    return _render_contract(request, selectors.contract_get_for_buyer(buyer=request.user, pk=pk))


@login_required
@require_POST
def contract_sign(request, pk):
    contract = selectors.contract_get_for_buyer(buyer=request.user, pk=pk)
    form = SignForm(request.POST)
    if form.is_valid():
        version = next((v for v in contract.versions.all() if v.pk == form.cleaned_data["version"]), None)
        if version is None:
            form.add_error(None, _("This version is not part of this contract."))
        else:
            try:
                contract = contracts.contract_accept(
                    contract=contract,
                    version=version,
                    actor=request.user,
                    side=Side.BUYER,
                    signatory=form.cleaned_data["signatory"],
                    idempotency_key=form.key(),
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                if contract.status == ContractStatus.SIGNED:
                    messages.success(request, _("The contract is signed by both sides. Your order is ready to pay."))
                else:
                    messages.success(
                        request, _("You signed version %(n)d. The supplier signs next.") % {"n": version.number}
                    )
                return redirect("deals:contract_detail", pk=contract.pk)
    return _render_contract(request, contract, sign_form=form)


@login_required
@require_POST
def contract_propose(request, pk):
    contract = selectors.contract_get_for_buyer(buyer=request.user, pk=pk)
    latest = selectors.contract_latest_version(contract)
    if contract.status != ContractStatus.NEGOTIATING or latest is None:
        messages.error(request, _("This contract cannot be changed now."))
        return redirect("deals:contract_detail", pk=contract.pk)
    form = ProposeForm(request.POST, terms=latest.parsed)
    if form.is_valid():
        changes = form.changes()
        if not changes:
            form.add_error(None, _("Nothing changed from version %(n)d.") % {"n": latest.number})
        else:
            try:
                version = contracts.contract_propose(
                    contract=contract,
                    actor=request.user,
                    side=Side.BUYER,
                    changes=changes,
                    note=form.cleaned_data["note"],
                    idempotency_key=form.key(),
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    _("Version %(n)d proposed. The supplier accepts it or proposes changes.") % {"n": version.number},
                )
                return redirect("deals:contract_detail", pk=contract.pk)
    return _render_contract(request, contract, propose_form=form)


@login_required
@require_POST
def contract_redraft(request, pk):
    contract = selectors.contract_get_for_buyer(buyer=request.user, pk=pk)
    form = RedraftForm(request.POST)
    if form.is_valid():
        try:
            contracts.contract_redraft(contract=contract, actor=request.user)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The contract is being drafted again."))
            return redirect("deals:contract_detail", pk=contract.pk)
    return _render_contract(request, contract, redraft_form=form)


@login_required
@require_GET
def contract_pdf(request, pk):
    """The signed version as a PDF: what both sides signed, never a draft."""
    from .pdf import contract_pdf as render_pdf

    contract = selectors.contract_get_for_buyer(buyer=request.user, pk=pk)
    version = next((v for v in contract.versions.all() if v.pk == contract.signed_version_id), None)
    if contract.status != ContractStatus.SIGNED or version is None:
        raise Http404(_("The contract is not signed yet."))
    response = HttpResponse(render_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{contract.number}-v{version.number}.pdf"'
    return response


# --- orders -----------------------------------------------------------------------------------------------------


def _timeline(order) -> list[dict]:
    reached = [status for status, _field in TIMELINE]
    current = reached.index(order.status) if order.status in reached else None
    steps = []
    for index, (status, field) in enumerate(TIMELINE):
        at = getattr(order, field)
        if status == OrderStatus.RELEASED and order.status != OrderStatus.RELEASED:
            at = None
        done = at is not None
        steps.append(
            {
                "label": OrderStatus(status).label,
                "at": at,
                "state": "current" if index == current else ("done" if done else "todo"),
            }
        )
    return steps


def _render_order(request, order, *, forms=None, release_error=None):
    """The order page; `forms` replaces the blank forms with bound ones that have errors."""
    forms = forms or {}
    dispute = selectors.order_dispute(order)
    review = selectors.order_review(order)
    documents = selectors.order_documents(order)
    milestones = [
        {
            "view": view,
            "form": release_error[1] if release_error and release_error[0] == view.milestone.pk else ActionForm(),
        }
        for view in selectors.order_milestones(order)
    ]
    awaiting = order.status == OrderStatus.AWAITING_PAYMENT
    context = {
        "order": order,
        "contract": order.contract,
        "timeline": _timeline(order),
        "next": selectors.order_next_action(order, side=Side.BUYER),
        "instructions": orders.order_payment_instructions(order=order) if awaiting else None,
        "milestones": milestones,
        "shipments": list(order.shipments.all()),
        "documents": [d for d in documents if dispute is None or d.dispute_id != dispute.pk],
        "dispute": dispute,
        "dispute_documents": [d for d in documents if dispute is not None and d.dispute_id == dispute.pk],
        "review": review,
        "events": [{"event": e, "label": event_label(e.action)} for e in order.contract.events.all()],
    }
    if awaiting:
        context["cancel_form"] = forms.get("cancel") or CancelForm()
    if order.status == OrderStatus.SHIPPED:
        context["confirm_form"] = forms.get("confirm") or ActionForm()
    if selectors.order_can_dispute(order):
        context["dispute_form"] = forms.get("dispute") or DisputeForm()
    if order.delivered_at is not None and review is None:
        context["review_form"] = forms.get("review") or ReviewForm()
    if order.status not in (OrderStatus.AWAITING_PAYMENT, OrderStatus.CANCELLED):
        context["document_form"] = forms.get("document") or DocumentForm()
    context["message_form"] = forms.get("message") or MessageForm()
    return render(request, "deals/order_detail.html", context)


@login_required
@require_GET
def order_detail(request, pk):
    return _render_order(request, selectors.order_get_for_buyer(buyer=request.user, pk=pk))


def _order_action(request, pk, *, name, form_class, act, done):
    """POST an order action: the form, then the service; errors re-render the page, success redirects."""
    order = selectors.order_get_for_buyer(buyer=request.user, pk=pk)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            act(order, form)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, done)
            return redirect("deals:order_detail", pk=order.pk)
    return _render_order(request, order, forms={name: form})


@login_required
@require_POST
def order_cancel(request, pk):
    return _order_action(
        request,
        pk,
        name="cancel",
        form_class=CancelForm,
        act=lambda order, form: orders.order_cancel(
            order=order, actor=request.user, reason=form.cleaned_data["reason"], idempotency_key=form.key()
        ),
        done=_("The order was cancelled. Nothing was paid, so nothing moves."),
    )


@login_required
@require_POST
def order_confirm_delivery(request, pk):
    return _order_action(
        request,
        pk,
        name="confirm",
        form_class=ActionForm,
        act=lambda order, form: orders.order_confirm_delivery(
            order=order, actor=request.user, idempotency_key=form.key()
        ),
        done=_("Delivery confirmed. You can still open a dispute until the protection window closes."),
    )


@login_required
@require_POST
def order_dispute(request, pk):
    return _order_action(
        request,
        pk,
        name="dispute",
        form_class=DisputeForm,
        act=lambda order, form: disputes.dispute_open(
            order=order,
            buyer=request.user,
            reason=form.cleaned_data["reason"],
            description=form.cleaned_data["description"],
            requested_refund=form.cleaned_data["requested_refund"],
            files=form.cleaned_data["files"],
            idempotency_key=form.key(),
        ),
        done=_("Your dispute is open. The money held in escrow stays there until Silkway decides."),
    )


@login_required
@require_POST
def order_review(request, pk):
    return _order_action(
        request,
        pk,
        name="review",
        form_class=ReviewForm,
        act=lambda order, form: disputes.review_create(
            order=order,
            buyer=request.user,
            supplier_rating=form.cleaned_data["supplier_rating"],
            product_rating=form.cleaned_data["product_rating"],
            comment=form.cleaned_data["comment"],
        ),
        done=_("Thank you for rating this order."),
    )


@login_required
@require_POST
def order_document_upload(request, pk):
    return _order_action(
        request,
        pk,
        name="document",
        form_class=DocumentForm,
        act=lambda order, form: orders.document_upload(
            order=order,
            actor=request.user,
            side=Side.BUYER,
            kind=form.cleaned_data["kind"],
            file=form.cleaned_data["file"],
            note=form.cleaned_data["note"],
        ),
        done=_("Document added to the order."),
    )


@login_required
@require_POST
def milestone_release(request, pk, milestone_pk):
    order = selectors.order_get_for_buyer(buyer=request.user, pk=pk)
    milestone = get_object_or_404(order.milestones.all(), pk=milestone_pk)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            orders.milestone_release(milestone=milestone, actor=request.user, idempotency_key=form.key())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("%(amount)s released to the supplier.") % {"amount": money(milestone.amount, order.currency)},
            )
            return redirect("deals:order_detail", pk=order.pk)
    return _render_order(request, order, release_error=(milestone.pk, form))


@login_required
@require_GET
def order_document(request, pk, document_pk):
    return document_response(selectors.document_get_for_buyer(buyer=request.user, order_pk=pk, pk=document_pk))


@login_required
@require_POST
def order_message(request, pk):
    """The buyer writes to the order's supplier; the thread continues on the conversation page."""
    order = selectors.order_get_for_buyer(buyer=request.user, pk=pk)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            conversation = orders.order_message_send(
                order=order,
                buyer=request.user,
                body=form.cleaned_data["body"],
                attachment=form.cleaned_data["attachment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Message sent to %(supplier)s.") % {"supplier": order.supplier.name})
            return redirect(conversation)
    return _render_order(request, order, forms={"message": form})
