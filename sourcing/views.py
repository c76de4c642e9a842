"""The buyer's sourcing pages: describe a need, review what was understood, read the plan, send RFQs, compare
quotes. Thin: forms check shapes, services decide, selectors read (and 404 for anybody else's rows)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from conversations.forms import MessageForm
from core.files import private_file_response
from core.languages import base_language

from . import selectors, services
from .comparison import quote_comparison
from .forms import RequirementsForm, SourcingRequestForm
from .models import PlanStatus, Quote, RFQStatus

PLAN_OPTIONS_SHOWN = 5


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_http_methods(["GET", "POST"])
def sourcing_home(request):
    """Source with AI: the form, and the buyer's own requests and RFQs."""
    form = SourcingRequestForm(
        request.POST or None, request.FILES or None, initial={"text": request.GET.get("text", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.sourcing_request_create(
                buyer=request.user,
                text=form.cleaned_data["text"],
                language=None,
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Here is what we understood. Check it, correct it, then compute the plan."))
            return redirect("sourcing:request_detail", pk=created.pk)
    return render(
        request,
        "sourcing/home.html",
        {
            "form": form,
            "requests": selectors.sourcing_request_list(buyer=request.user)[:20],
            "rfqs": selectors.rfq_list_for_buyer(buyer=request.user)[:20],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request, pk):
    sourcing_request = selectors.sourcing_request_get(buyer=request.user, pk=pk)
    version = selectors.requirements_latest(request=sourcing_request)
    requirements = selectors.requirements_of(version) if version else None
    first = sourcing_request.requirement_versions.order_by("number").first()
    form = RequirementsForm(
        request.POST or None,
        initial=RequirementsForm.initial_from(requirements) if requirements else {},
        language=get_language(),
    )
    if request.method == "POST" and form.is_valid():
        language = requirements.language if requirements else base_language(get_language())
        try:
            services.requirements_edit(
                request=sourcing_request, data=form.requirements_data(language=language), user=request.user
            )
            if "plan" in request.POST:
                plan = services.sourcing_plan_request(request=sourcing_request)
                return redirect("sourcing:plan_detail", pk=plan.pk)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Requirements saved."))
            return redirect("sourcing:request_detail", pk=sourcing_request.pk)
    return render(
        request,
        "sourcing/request_detail.html",
        {
            "sourcing_request": sourcing_request,
            "version": version,
            "requirements": requirements,
            "unread": (first.data.get("unread") if first else []) or [],
            # The model failed (rate limit, error, garbled reply, timeout) and the offline rules read the request.
            "ai_fallback": bool(first and (first.provenance or {}).get("fallback_reason")),
            "form": form,
            "plan": selectors.plan_latest(request=sourcing_request),
        },
    )


@login_required
def plan_detail(request, pk):
    plan = selectors.plan_get(buyer=request.user, pk=pk)
    result = plan.result or {}
    options = (result.get("options") or [])[:PLAN_OPTIONS_SHOWN]
    # Rows of the comparison: one per dimension, one cell per option, in the plan's dimension order.
    rows = []
    for definition in result.get("dimensions") or []:
        cells = []
        for option in options:
            cell = next((d for d in option.get("dimensions", []) if d.get("key") == definition.get("key")), None)
            cells.append(cell or {})
        rows.append({"definition": definition, "cells": cells})
    return render(
        request,
        "sourcing/plan_detail.html",
        {
            "plan": plan,
            "result": result,
            "options": options,
            "rows": rows,
            "requirements": selectors.requirements_of(plan.requirements),
            "refresh": plan.status in (PlanStatus.QUEUED, PlanStatus.RUNNING),
        },
    )


@login_required
@require_POST
def plan_rfq(request, pk):
    plan = selectors.plan_get(buyer=request.user, pk=pk)
    try:
        rfq = services.rfq_draft_from_plan(plan=plan, buyer=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("sourcing:plan_detail", pk=plan.pk)
    messages.success(request, _("A draft RFQ was prepared from the plan. Choose who receives it, then send."))
    return redirect("sourcing:rfq_detail", pk=rfq.pk)


@login_required
@require_http_methods(["GET", "POST"])
def rfq_detail(request, pk):
    rfq = selectors.rfq_get_for_buyer(buyer=request.user, pk=pk)
    if request.method == "POST" and rfq.status == RFQStatus.DRAFT:
        try:
            if "cancel" in request.POST:
                services.rfq_cancel(rfq=rfq, buyer=request.user)
                messages.success(request, _("The RFQ was cancelled."))
            else:
                services.rfq_send(
                    rfq=rfq,
                    buyer=request.user,
                    supplier_ids=[int(pk) for pk in request.POST.getlist("suppliers") if pk.isdigit()],
                    broadcast="broadcast" in request.POST,
                )
                messages.success(request, _("The RFQ was sent. You will get an e-mail for each quote."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("sourcing:rfq_detail", pk=rfq.pk)
    plan_options = []
    if rfq.status == RFQStatus.DRAFT and rfq.plan_id:
        plan_options = (rfq.plan.result or {}).get("options", [])[: services.RFQ_MAX_RECIPIENTS]
    return render(
        request,
        "sourcing/rfq_detail.html",
        {
            "rfq": rfq,
            "plan_options": plan_options,
            "comparison": quote_comparison(rfq) if rfq.status != RFQStatus.DRAFT else None,
            "max_recipients": services.RFQ_MAX_RECIPIENTS,
            "message_form": MessageForm(),
        },
    )


def attachment_response(attachment) -> HttpResponse:
    """The file as a download under the name it was uploaded with (never rendered inline: it is user content), for
    a reader the caller has checked."""
    return private_file_response(attachment.file, filename=attachment.original_name)


@login_required
def request_attachment(request, pk, attachment_pk):
    return attachment_response(selectors.attachment_for_buyer(buyer=request.user, request_pk=pk, pk=attachment_pk))


@login_required
@require_POST
def quote_decide(request, pk, decision):
    quote = get_object_or_404(Quote.objects.filter(rfq__buyer=request.user), pk=pk)
    actions = {
        "shortlist": (services.quote_shortlist, _("Quote shortlisted.")),
        "decline": (services.quote_decline, _("Quote declined.")),
        "accept": (services.quote_accept, _("Quote accepted. The supplier has been told; the contract comes next.")),
    }
    if decision not in actions:
        return redirect("sourcing:rfq_detail", pk=quote.rfq_id)
    action, done = actions[decision]
    try:
        action(quote=quote, buyer=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("sourcing:rfq_detail", pk=quote.rfq_id)


@login_required
@require_POST
def rfq_message(request, pk):
    """The buyer writes to one of the RFQ's suppliers; the thread continues on the conversation page."""
    rfq = selectors.rfq_get_for_buyer(buyer=request.user, pk=pk)
    form = MessageForm(request.POST, request.FILES)
    supplier_id = request.POST.get("supplier", "")
    if form.is_valid() and supplier_id.isdigit():
        try:
            conversation = services.rfq_message_send(
                rfq=rfq,
                buyer=request.user,
                supplier_id=int(supplier_id),
                body=form.cleaned_data["body"],
                attachment=form.cleaned_data["attachment"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Message sent to %(supplier)s.") % {"supplier": conversation.supplier.name})
            return redirect(conversation)
    else:
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors) or _("Choose a supplier and write your message."))
    return redirect(f"{rfq.get_absolute_url()}#ask")
