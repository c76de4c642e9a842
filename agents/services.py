"""Writes for buyers' agents. Every rule an agent meets lives here: throttles, idempotency, the RFQ flood cap, the
buyer's confirmation before an RFQ reaches anyone, revoking a grant. The business rules themselves (what makes a
valid request, RFQ or message) stay with their owners in sourcing and marketplace: an agent gets the same refusals
a person does."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from oauth2_provider.models import AccessToken, Grant, RefreshToken

from conversations import services as conversation_services
from conversations.models import Conversation
from core.ratelimit import rate_exceeded
from marketplace import services as marketplace_services
from marketplace.models import Product
from sourcing import selectors as sourcing_selectors
from sourcing import services as sourcing_services
from sourcing.models import RFQ, PlanStatus, RFQStatus, SourcingRequest
from suppliers.models import Supplier

from .models import AgentAction, Outcome, RFQConfirmation
from .scopes import WRITE_SCOPES, scope_for_tool
from .selectors import Caller, pending_rfq_count

MAX_ID = 2**63 - 1


class AgentRefused(Exception):
    """A tool call refused with a reason the agent can relay to its buyer; nothing was changed."""

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


def refusal_from(error: ValidationError) -> AgentRefused:
    """A service's validation error as a refusal: the general message, plus each field's messages."""
    fields: dict[str, list[str]] = {}
    if hasattr(error, "error_dict"):
        fields = {name: [str(m) for m in ValidationError(errors).messages] for name, errors in error.error_dict.items()}
        text = " ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in fields.items()
        )
    else:
        text = " ".join(str(m) for m in error.messages)
    return AgentRefused(text, fields=fields)


# --- throttles and the activity log -----------------------------------------------------------------------------


def _wait_words(seconds: int) -> str:
    if seconds < 120:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    if seconds < 7200:
        minutes = math.ceil(seconds / 60)
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours = math.ceil(seconds / 3600)
    return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}


def agent_throttle(*, caller: Caller, tool: str) -> None:
    """Anyone is limited per address; a signed-in agent per grant (buyer and agent), and per day for each scope that
    writes. Raises AgentRefused past a limit, saying how long to wait."""
    rates = settings.AGENT_RATE_LIMITS
    checks: list[tuple[str, str, str]] = []
    if caller.signed_in:
        grant = f"{caller.user.pk}:{caller.client_id}"
        checks.append(("agent-grant", grant, rates["grant"]))
        scope = scope_for_tool(tool)
        if scope in WRITE_SCOPES:
            checks.append((f"agent-{scope}", grant, rates[scope]))
    else:
        checks.append(("agent-anonymous", caller.address or "unknown", rates["anonymous"]))
        if tool == "compare_suppliers":
            checks.append(("agent-anonymous-compare", caller.address or "unknown", rates["anonymous_compare"]))
    for scope_name, ident, rate in checks:
        wait = rate_exceeded(scope_name, ident, rate)
        if wait:
            raise AgentRefused(
                _("Too many calls (limit %(rate)s). Try again in %(wait)s.") % {"rate": rate, "wait": _wait_words(wait)}
            )


def agent_action_log(*, caller: Caller, tool: str, summary: str, outcome: str = Outcome.DONE) -> None:
    """What a signed-in agent did or tried, in its buyer's activity log (anonymous calls have no buyer)."""
    if caller.signed_in:
        AgentAction.objects.create(
            user=caller.user,
            client_id=caller.client_id,
            agent_name=caller.agent_name,
            tool=tool,
            outcome=outcome,
            summary=summary[:300],
        )


def _arguments_hash(arguments: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(arguments, sort_keys=True, default=str).encode()).hexdigest()


def agent_write_once(
    *, caller: Caller, tool: str, idempotency_key: str, arguments: dict[str, Any], act: Callable[[], tuple[dict, str]]
) -> dict:
    """Runs a write tool once per idempotency key: the same key and arguments again return the first result
    (marked `replayed`), the same key with other arguments is refused. The act and its log row commit together, so
    a refused or failed act leaves nothing behind and its key can be used again."""
    key = (idempotency_key or "").strip()
    if not 8 <= len(key) <= 100:
        raise AgentRefused(
            _("Give an idempotency_key of 8 to 100 characters, new for each action (a UUID will do)."),
            fields={"idempotency_key": [_("Required: 8 to 100 characters.")]},
        )
    digest = _arguments_hash(arguments)

    def replay() -> dict | None:
        done = AgentAction.objects.filter(
            user=caller.user, client_id=caller.client_id, tool=tool, idempotency_key=key
        ).first()
        if done is None:
            return None
        if done.arguments_hash != digest:
            raise AgentRefused(
                _("This idempotency key was already used for a different %(tool)s call; use a new key.")
                % {"tool": tool}
            )
        return {**done.result, "replayed": True}

    if (previous := replay()) is not None:
        return previous
    agent_throttle(caller=caller, tool=tool)
    try:
        with transaction.atomic():
            result, summary = act()
            AgentAction.objects.create(
                user=caller.user,
                client_id=caller.client_id,
                agent_name=caller.agent_name,
                tool=tool,
                outcome=Outcome.DONE,
                summary=summary[:300],
                idempotency_key=key,
                arguments_hash=digest,
                result=result,
            )
    except ValidationError as error:
        refusal = refusal_from(error)
        agent_action_log(
            caller=caller, tool=tool, summary=_("Refused: %(why)s") % {"why": refusal.message}, outcome=Outcome.REFUSED
        )
        raise refusal from error
    except AgentRefused as refusal:
        agent_action_log(
            caller=caller, tool=tool, summary=_("Refused: %(why)s") % {"why": refusal.message}, outcome=Outcome.REFUSED
        )
        raise
    except IntegrityError:
        # The same key arrived twice at once: the other call won; its act stands and this one's was rolled back.
        if (previous := replay()) is not None:
            return previous
        raise
    return result


# --- the acts ---------------------------------------------------------------------------------------------------


def agent_sourcing_request_create(*, caller: Caller, text: str, language: str | None = None):
    """A sourcing request in the buyer's name, and its plan asked for at once (the buyer can still edit the
    requirements on Silkway, which asks for a new plan)."""
    request = sourcing_services.sourcing_request_create(buyer=caller.user, text=text, language=language or None)
    plan = sourcing_services.sourcing_plan_request(request=request)
    return request, plan


def _own_supplier_ids(supplier_ids: list[int]) -> list[int]:
    chosen = list(dict.fromkeys(int(pk) for pk in supplier_ids))
    if any(not 1 <= pk <= MAX_ID for pk in chosen):
        raise AgentRefused(_("Unknown supplier."), fields={"supplier_ids": [_("Unknown supplier.")]})
    known = set(Supplier.objects.filter(pk__in=chosen).values_list("pk", flat=True))
    missing = [pk for pk in chosen if pk not in known]
    if missing:
        message = _("Unknown supplier: %(ids)s.") % {"ids": ", ".join(map(str, missing))}
        raise AgentRefused(message, fields={"supplier_ids": [message]})
    if len(chosen) > sourcing_services.RFQ_MAX_RECIPIENTS:
        message = _("An RFQ goes to at most %(n)d suppliers.") % {"n": sourcing_services.RFQ_MAX_RECIPIENTS}
        raise AgentRefused(message, fields={"supplier_ids": [message]})
    return chosen


def agent_rfq_draft(
    *,
    caller: Caller,
    request_id: int,
    supplier_ids: list[int],
    send_to_best_matches: bool,
    message: str = "",
    quote_deadline_days: int = 7,
) -> RFQConfirmation:
    """An RFQ drafted from a request's finished plan, waiting for the buyer: nothing is sent. An agent may leave
    only a few drafts waiting at once (settings.AGENT_MAX_PENDING_RFQS)."""
    if not supplier_ids and not send_to_best_matches:
        raise AgentRefused(
            _("Name the suppliers (supplier_ids) or propose the plan's best matches (send_to_best_matches)."),
            fields={"supplier_ids": [_("Choose at least one supplier, or send to the best matches.")]},
        )
    if not 1 <= quote_deadline_days <= 180:
        raise AgentRefused(
            _("Give suppliers 1 to 180 days to quote."), fields={"quote_deadline_days": [_("1 to 180 days.")]}
        )
    chosen = _own_supplier_ids(supplier_ids)
    waiting = pending_rfq_count(user=caller.user, client_id=caller.client_id)
    if waiting >= settings.AGENT_MAX_PENDING_RFQS:
        raise AgentRefused(
            _(
                "%(n)d RFQ drafts from this assistant already wait for the buyer's confirmation; ask the buyer to send "
                "or discard them first."
            )
            % {"n": waiting}
        )
    request = sourcing_request_for(caller=caller, request_id=request_id)
    plan = sourcing_selectors.plan_latest(request=request)
    if plan is None or plan.status != PlanStatus.DONE:
        raise AgentRefused(_("The request's supplier comparison is not ready yet; read it again in a moment."))
    rfq = sourcing_services.rfq_draft_from_plan(
        plan=plan,
        buyer=caller.user,
        message=message.strip(),
        quote_deadline=timezone.localdate() + timedelta(days=quote_deadline_days),
        drafted_by_agent=caller.agent_name,
    )
    return RFQConfirmation.objects.create(
        rfq=rfq,
        user=caller.user,
        client_id=caller.client_id,
        agent_name=caller.agent_name,
        supplier_ids=chosen,
        broadcast=bool(send_to_best_matches and not chosen),
    )


def _own(read: Callable[..., Any], caller: Caller, pk: Any, missing: str) -> Any:
    """One of the caller's own rows through the buyer's selector; another buyer's reads exactly as a missing one."""
    try:
        if not 1 <= int(pk) <= MAX_ID:
            raise ValueError
        return read(buyer=caller.user, pk=int(pk))
    except (ValueError, TypeError, ObjectDoesNotExist, Http404) as error:
        raise AgentRefused(missing % {"id": pk}) from error


def sourcing_request_for(*, caller: Caller, request_id: int) -> SourcingRequest:
    return _own(sourcing_selectors.sourcing_request_get, caller, request_id, _("You have no sourcing request %(id)s."))


def rfq_for(*, caller: Caller, rfq_id: int) -> RFQ:
    return _own(sourcing_selectors.rfq_get_for_buyer, caller, rfq_id, _("You have no RFQ %(id)s."))


@transaction.atomic
def rfq_confirmation_send(*, confirmation: RFQConfirmation, buyer) -> RFQ:
    """The buyer's click: the drafted RFQ goes to the suppliers the agent proposed (or the plan's best matches)."""
    confirmation = RFQConfirmation.objects.select_for_update().get(pk=confirmation.pk, user=buyer)
    if not confirmation.pending:
        raise ValidationError(_("This RFQ was already sent or discarded."))
    rfq = sourcing_services.rfq_send(
        rfq=confirmation.rfq, buyer=buyer, supplier_ids=confirmation.supplier_ids, broadcast=confirmation.broadcast
    )
    confirmation.confirmed_at = timezone.now()
    confirmation.save(update_fields=["confirmed_at"])
    return rfq


@transaction.atomic
def rfq_confirmation_discard(*, confirmation: RFQConfirmation, buyer) -> None:
    """The buyer says no: the draft is cancelled and never reaches anyone."""
    confirmation = RFQConfirmation.objects.select_for_update().get(pk=confirmation.pk, user=buyer)
    if not confirmation.pending:
        raise ValidationError(_("This RFQ was already sent or discarded."))
    if confirmation.rfq.status == RFQStatus.DRAFT:
        sourcing_services.rfq_cancel(rfq=confirmation.rfq, buyer=buyer)
    confirmation.discarded_at = timezone.now()
    confirmation.save(update_fields=["discarded_at"])


def agent_message_send(
    *,
    caller: Caller,
    body: str,
    product_id: int | None = None,
    conversation_id: int | None = None,
    quantity: int | None = None,
) -> Conversation:
    """A message to a supplier in the buyer's name, marked as written by the agent: a new conversation about a
    product, or a reply in one of the buyer's own conversations."""
    if (product_id is None) == (conversation_id is None):
        raise AgentRefused(
            _("Give either product_id (to ask a supplier about a product) or conversation_id (to reply)."),
        )
    if product_id is not None:
        product = Product.objects.filter(pk=product_id if 1 <= product_id <= MAX_ID else 0).first()
        if product is None or not product.is_published:
            raise AgentRefused(_("There is no published product %(id)s.") % {"id": product_id})
        return marketplace_services.inquiry_create(
            buyer=caller.user, product=product, body=body or "", quantity=quantity, via_agent=caller.agent_name
        )
    assert conversation_id is not None
    thread = Conversation.objects.filter(
        pk=conversation_id if 1 <= conversation_id <= MAX_ID else 0, buyer=caller.user
    ).first()
    if thread is None:
        raise AgentRefused(_("You have no conversation %(id)s.") % {"id": conversation_id})
    conversation_services.message_send(
        conversation=thread, sender=caller.user, body=body or "", from_supplier=False, via_agent=caller.agent_name
    )
    return thread


@transaction.atomic
def grant_revoke(*, user, application_id: int) -> int:
    """The buyer takes an agent's access away: its access tokens, refresh tokens and pending codes, at once. The
    next call with an old token is refused. Returns how many tokens were revoked."""
    access = AccessToken.objects.filter(user=user, application_id=application_id)
    revoked = access.count()
    refresh = RefreshToken.objects.filter(user=user, application_id=application_id, revoked__isnull=True)
    revoked += refresh.update(revoked=timezone.now(), access_token=None)
    access.delete()
    Grant.objects.filter(user=user, application_id=application_id).delete()
    return revoked
