"""The MCP tools' work, synchronous (the ORM): each takes the caller, checks its consent and limits, acts through
the services or reads through the payloads, and returns plain JSON. agents/server.py exposes them over MCP.

Public tools read what any visitor of the site can read. Buyer tools need the scope scopes.TOOL_SCOPES names, and
see only the caller's own requests, RFQs, quotes and conversations."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from conversations import selectors as conversation_selectors
from conversations.models import Message
from marketplace.models import Product
from sourcing import selectors as sourcing_selectors
from sourcing.selectors import requirements_of

from . import payloads, services
from .scopes import SCOPE_DESCRIPTIONS, scope_for_tool
from .selectors import Caller
from .services import AgentRefused

LIST_LIMIT = 20


def require_consent(caller: Caller, tool: str) -> None:
    """The tool's scope, granted by the buyer to this agent; public tools need none."""
    scope = scope_for_tool(tool)
    if scope is None:
        return
    if not caller.signed_in:
        raise AgentRefused(
            _("%(tool)s acts for a buyer: sign in with OAuth and ask for the scope %(scope)s (%(what)s).")
            % {"tool": tool, "scope": scope, "what": SCOPE_DESCRIPTIONS[scope]}
        )
    if not caller.may(scope):
        raise AgentRefused(
            _("The buyer has not allowed this assistant %(scope)s (%(what)s); ask them to sign in again granting it.")
            % {"scope": scope, "what": SCOPE_DESCRIPTIONS[scope]}
        )


def _url(origin: str, path: str) -> str:
    return f"{origin}{path}"


# --- public ---------------------------------------------------------------------------------------------------


def search_products(caller: Caller, origin: str, language: str, **filters: Any) -> dict:
    return payloads.product_search_payload(language=language, origin=origin, **filters)


def search_suppliers(caller: Caller, origin: str, language: str, **filters: Any) -> dict:
    return payloads.supplier_search_payload(language=language, origin=origin, **filters)


def get_product(caller: Caller, origin: str, language: str, *, product_id: int) -> dict:
    found = payloads.product_payload(product_id, language=language, origin=origin)
    if found is None:
        raise AgentRefused(_("There is no published product %(id)s.") % {"id": product_id})
    return found


def get_supplier(caller: Caller, origin: str, language: str, *, supplier_id: int) -> dict:
    found = payloads.supplier_payload(supplier_id, language=language, origin=origin)
    if found is None:
        raise AgentRefused(_("There is no supplier %(id)s.") % {"id": supplier_id})
    return found


def compare_suppliers(caller: Caller, origin: str, language: str, *, need: str, destination_country: str = "") -> dict:
    need = (need or "").strip()
    if not need:
        raise AgentRefused(_("Describe the need: the product, the quantity and where it goes."))
    if len(need) > 5000:
        raise AgentRefused(_("Keep the need under 5,000 characters."))
    return payloads.comparison_payload(
        need=need, destination_country=destination_country, language=language, origin=origin
    )


# --- buyer: sourcing --------------------------------------------------------------------------------------------


def _request_dict(request, origin: str) -> dict:
    version = sourcing_selectors.requirements_latest(request=request)
    plan = sourcing_selectors.plan_latest(request=request)
    requirements = requirements_of(version) if version else None
    return {
        "request_id": request.pk,
        "title": request.title,
        "status": request.status,
        "created_at": request.created_at.isoformat(),
        "url": _url(origin, reverse("sourcing:request_detail", args=[request.pk])),
        "requirements": requirements.model_dump(mode="json", exclude={"unread"}) if requirements else None,
        "not_understood": list(requirements.unread) if requirements else [],
        "plan": payloads.plan_payload(plan, origin=origin) if plan else None,
    }


def list_sourcing_requests(caller: Caller, origin: str, language: str) -> dict:
    requests = list(sourcing_selectors.sourcing_request_list(buyer=caller.user)[:LIST_LIMIT])
    return {
        "requests": [
            {
                "request_id": r.pk,
                "title": r.title,
                "status": r.status,
                "created_at": r.created_at.isoformat(),
                "url": _url(origin, reverse("sourcing:request_detail", args=[r.pk])),
            }
            for r in requests
        ]
    }


def get_sourcing_request(caller: Caller, origin: str, language: str, *, request_id: int) -> dict:
    return _request_dict(services.sourcing_request_for(caller=caller, request_id=request_id), origin)


def create_sourcing_request(
    caller: Caller, origin: str, language: str, *, text: str, idempotency_key: str, language_of_text: str = ""
) -> dict:
    def act():
        request, _plan = services.agent_sourcing_request_create(caller=caller, text=text, language=language_of_text)
        return _request_dict(request, origin), _("Created sourcing request %(id)s: %(title)s") % {
            "id": request.pk,
            "title": request.title,
        }

    return services.agent_write_once(
        caller=caller,
        tool="create_sourcing_request",
        idempotency_key=idempotency_key,
        arguments={"text": text, "language": language_of_text},
        act=act,
    )


# --- buyer: RFQs and quotes -------------------------------------------------------------------------------------


def draft_rfq(
    caller: Caller,
    origin: str,
    language: str,
    *,
    request_id: int,
    idempotency_key: str,
    supplier_ids: list[int],
    send_to_best_matches: bool,
    message: str,
    quote_deadline_days: int,
) -> dict:
    arguments = {
        "request_id": request_id,
        "supplier_ids": supplier_ids,
        "send_to_best_matches": send_to_best_matches,
        "message": message,
        "quote_deadline_days": quote_deadline_days,
    }

    def act():
        confirmation = services.agent_rfq_draft(
            caller=caller,
            request_id=request_id,
            supplier_ids=supplier_ids,
            send_to_best_matches=send_to_best_matches,
            message=message,
            quote_deadline_days=quote_deadline_days,
        )
        rfq = confirmation.rfq
        result = {
            "rfq_id": rfq.pk,
            "status": rfq.status,
            "sent": False,
            "proposed_supplier_ids": confirmation.supplier_ids,
            "send_to_best_matches": confirmation.broadcast,
            "quote_deadline": rfq.quote_deadline.isoformat(),
            "confirmation_url": _url(origin, reverse("agents:rfq_confirm", args=[rfq.pk])),
            "next_step": _(
                "Nothing was sent. Give the buyer the confirmation_url: the RFQ reaches suppliers only when they "
                "open it on Silkway and click Send."
            ),
        }
        return result, _("Drafted RFQ %(id)s for request %(request)s; waiting for your confirmation") % {
            "id": rfq.pk,
            "request": request_id,
        }

    return services.agent_write_once(
        caller=caller, tool="draft_rfq", idempotency_key=idempotency_key, arguments=arguments, act=act
    )


def list_rfqs(caller: Caller, origin: str, language: str) -> dict:
    rfqs = list(sourcing_selectors.rfq_list_for_buyer(buyer=caller.user)[:LIST_LIMIT])
    return {
        "rfqs": [
            {
                "rfq_id": rfq.pk,
                "title": rfq.title,
                "status": rfq.status,
                "quote_deadline": rfq.quote_deadline.isoformat(),
                "drafted_by_agent": rfq.drafted_by_agent,
                "url": _url(origin, reverse("sourcing:rfq_detail", args=[rfq.pk])),
            }
            for rfq in rfqs
        ]
    }


def get_rfq_quotes(caller: Caller, origin: str, language: str, *, rfq_id: int) -> dict:
    rfq = services.rfq_for(caller=caller, rfq_id=rfq_id)
    return payloads.rfq_quotes_payload(rfq, language=language, origin=origin)


# --- buyer: messages --------------------------------------------------------------------------------------------


def list_conversations(caller: Caller, origin: str, language: str) -> dict:
    threads = list(
        conversation_selectors.conversation_list_for_buyer(buyer=caller.user).prefetch_related("topic")[:LIST_LIMIT]
    )
    messages: dict[int, list] = {}
    for message in Message.objects.filter(conversation__in=threads).order_by("created_at", "id"):
        messages.setdefault(message.conversation_id, []).append(message)
    return {
        "conversations": [
            {
                "conversation_id": thread.pk,
                "supplier": {"supplier_id": thread.supplier_id, "name": payloads.untrusted(thread.supplier.name)},
                "about": thread.kind,
                "product_id": thread.topic_id if isinstance(thread.topic, Product) else None,
                "subject": payloads.untrusted(thread.subject),
                "status": thread.status,
                "url": _url(origin, thread.get_absolute_url()),
                "messages": [
                    {
                        "from": "supplier" if m.from_supplier else "buyer",
                        "written_by_agent": m.via_agent or None,
                        "at": m.created_at.isoformat(),
                        "text": payloads.untrusted(m.body) if m.from_supplier else m.body,
                    }
                    for m in messages.get(thread.pk, [])[-10:]
                ],
            }
            for thread in threads
        ]
    }


def send_message(
    caller: Caller,
    origin: str,
    language: str,
    *,
    text: str,
    idempotency_key: str,
    product_id: int | None = None,
    conversation_id: int | None = None,
    quantity: int | None = None,
) -> dict:
    arguments = {"text": text, "product_id": product_id, "conversation_id": conversation_id, "quantity": quantity}

    def act():
        conversation = services.agent_message_send(
            caller=caller, body=text, product_id=product_id, conversation_id=conversation_id, quantity=quantity
        )
        return (
            {
                "conversation_id": conversation.pk,
                "sent": True,
                "marked_as_written_by": caller.agent_name,
                "url": _url(origin, conversation.get_absolute_url()),
            },
            _("Sent a message to %(supplier)s") % {"supplier": conversation.supplier.name},
        )

    return services.agent_write_once(
        caller=caller, tool="send_message", idempotency_key=idempotency_key, arguments=arguments, act=act
    )
