"""The buyer's side of agent access: every agent grant with what it may do and did (and a revoke button), the RFQs
agents drafted waiting for the buyer's click, and the page that explains how to connect an assistant. Thin: the
services decide, the selectors read (and 404 for anybody else's rows)."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from suppliers.models import Supplier

from . import selectors, services
from .models import RFQConfirmation
from .scopes import SCOPE_DESCRIPTIONS, TOOL_SCOPES
from .server import mcp


@login_required
def agent_access(request):
    grants = selectors.grants_for_user(user=request.user)
    return render(
        request,
        "agents/access.html",
        {
            "grants": [(g, [(scope, SCOPE_DESCRIPTIONS.get(scope, scope)) for scope in g.scopes]) for g in grants],
            "pending": selectors.rfq_confirmations_pending(user=request.user),
            "activity": selectors.activity_for_user(user=request.user, limit=50),
        },
    )


@login_required
@require_POST
def grant_revoke(request, application_id):
    revoked = services.grant_revoke(user=request.user, application_id=application_id)
    if revoked:
        messages.success(request, _("The assistant's access was revoked; its next call will be refused."))
    else:
        messages.info(request, _("That assistant had no access left."))
    return redirect("agents:access")


def _confirmation(request, rfq_id) -> RFQConfirmation:
    try:
        return selectors.rfq_confirmation_get(user=request.user, rfq_id=rfq_id)
    except RFQConfirmation.DoesNotExist as missing:
        raise Http404 from missing


@login_required
@require_http_methods(["GET", "POST"])
def rfq_confirm(request, rfq_id):
    confirmation = _confirmation(request, rfq_id)
    if request.method == "POST":
        try:
            if "discard" in request.POST:
                services.rfq_confirmation_discard(confirmation=confirmation, buyer=request.user)
                messages.success(request, _("The draft was discarded; no supplier saw it."))
                return redirect("agents:access")
            services.rfq_confirmation_send(confirmation=confirmation, buyer=request.user)
            messages.success(request, _("The RFQ was sent. You will get an e-mail for each quote."))
            return redirect("sourcing:rfq_detail", pk=confirmation.rfq_id)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("agents:rfq_confirm", rfq_id=confirmation.rfq_id)
    rfq = confirmation.rfq
    return render(
        request,
        "agents/rfq_confirm.html",
        {
            "confirmation": confirmation,
            "rfq": rfq,
            "lines": list(rfq.lines.all()),
            "suppliers": list(Supplier.objects.filter(pk__in=confirmation.supplier_ids).order_by("name")),
        },
    )


def connect_guide(request):
    """How to connect a desktop AI assistant: the endpoint, the sign-in, the tools and their scopes."""
    mcp_url = request.build_absolute_uri("/mcp")
    return render(
        request,
        "agents/connect.html",
        {
            "mcp_url": mcp_url,
            "tools": [
                (tool.name, tool.description, TOOL_SCOPES.get(tool.name)) for tool in async_to_sync(mcp.list_tools)()
            ],
            "scopes": list(SCOPE_DESCRIPTIONS.items()),
            "metadata_url": request.build_absolute_uri(
                reverse("oauth2_provider:oauth-resource-metadata-path", args=["mcp"])
            ),
        },
    )
