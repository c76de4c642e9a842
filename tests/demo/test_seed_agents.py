"""seed_agents_demo connects an assistant for two demo buyers and acts through the MCP tools: a live grant, an RFQ
draft waiting for the buyer's click, a message marked as the assistant's, reads in the activity log; re-running
adds nothing (and only renews an expired token pair)."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, RefreshToken

from agents.models import AgentAction, RFQConfirmation
from agents.selectors import grants_for_user, rfq_confirmations_pending
from conversations.models import Conversation, Message
from sourcing.models import RFQ, RFQRecipient, SourcingPlan, SourcingRequest

pytestmark = pytest.mark.django_db

GB = "buyer-gb@demo.silkway.test"
US = "buyer-us@demo.silkway.test"


def counts():
    return {
        "applications": Application.objects.count(),
        "access": AccessToken.objects.count(),
        "refresh": RefreshToken.objects.count(),
        "actions": AgentAction.objects.count(),
        "confirmations": RFQConfirmation.objects.count(),
        "requests": SourcingRequest.objects.count(),
        "plans": SourcingPlan.objects.count(),
        "rfqs": RFQ.objects.count(),
        "inquiries": Conversation.objects.count(),
        "messages": Message.objects.count(),
    }


def test_seed_agents_demo_grants_acts_through_the_tools_and_is_idempotent(
    django_capture_on_commit_callbacks, django_user_model, client
):
    call_command("seed_demo", "--suppliers", "40", "--products", "120", "--seed", "7", stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_sourcing_demo", stdout=io.StringIO())
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_agents_demo", stdout=out)
    first = counts()
    assert "2 assistants" in out.getvalue() and "1 RFQ draft(s) waiting" in out.getvalue()
    gb, us = django_user_model.objects.get(email=GB), django_user_model.objects.get(email=US)

    # Each buyer holds one live grant for a public, loopback-redirect client, with the scopes it was given.
    assistant = Application.objects.get(name="Procurement assistant")
    assert assistant.client_type == Application.CLIENT_PUBLIC
    assert assistant.redirect_uris.startswith("http://127.0.0.1:")
    [grant] = grants_for_user(user=gb)
    assert grant.application == assistant and {"sourcing:write", "rfq:write", "messages:write"} <= set(grant.scopes)
    [reviewer] = grants_for_user(user=us)
    assert reviewer.application.name == "Quote review assistant" and "rfq:write" not in reviewer.scopes
    token = AccessToken.objects.get(user=gb, application=assistant)
    assert not token.is_expired() and token.allow_scopes(["sourcing:write", "rfq:write"])
    assert token.token_checksum and not token.token  # hashed at rest, as the provider keeps tokens
    assert RefreshToken.objects.get(access_token=token, revoked__isnull=True)

    # The assistant's request was planned against the demo catalog; its RFQ waits for the buyer, sent to nobody.
    [pending] = rfq_confirmations_pending(user=gb)
    assert pending.agent_name == "Procurement assistant" and pending.supplier_ids
    assert pending.rfq.drafted_by_agent == "Procurement assistant"
    assert set(pending.supplier_ids) <= set(pending.rfq.plan.options.values_list("supplier_id", flat=True))
    assert not RFQRecipient.objects.filter(rfq=pending.rfq).exists()
    assert "mug" in pending.rfq.title.lower()
    client.force_login(gb)
    page = client.get(f"/agents/rfqs/{pending.rfq_id}/")
    assert b"Nothing has been sent" in page.content
    access = client.get("/agents/").content.decode()
    assert "RFQs waiting for your confirmation" in access and "Procurement assistant" in access

    # The sample request reached a mug supplier, marked as written by the assistant.
    message = Message.objects.get(conversation__buyer=gb, via_agent="Procurement assistant")
    assert "mug" in message.conversation.topic.title.lower() and "samples" in message.body

    # Writes and reads are in each buyer's log, by tool.
    gb_tools = set(AgentAction.objects.filter(user=gb).values_list("tool", flat=True))
    assert {"search_products", "create_sourcing_request", "get_sourcing_request", "draft_rfq", "send_message"} <= (
        gb_tools
    )
    us_tools = set(AgentAction.objects.filter(user=us).values_list("tool", flat=True))
    assert {"list_rfqs", "get_rfq_quotes"} <= us_tools
    assert not AgentAction.objects.filter(outcome="refused").exists()

    again = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_agents_demo", stdout=again)
    assert counts() == first
    assert "0 new token pairs" in again.getvalue() and "0 actions logged now" in again.getvalue()

    # An hour later the access token has expired: a re-run rotates the pair, as the assistant's refresh would, and
    # still adds no activity.
    AccessToken.objects.filter(user=gb).update(expires=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_agents_demo", stdout=io.StringIO())
    live = AccessToken.objects.get(user=gb, application=assistant)
    assert not live.is_expired() and live.pk != token.pk
    fresh = RefreshToken.objects.get(user=gb, application=assistant, revoked__isnull=True)
    revoked = RefreshToken.objects.get(user=gb, application=assistant, revoked__isnull=False)
    assert fresh.access_token == live and fresh.token_family == revoked.token_family
    assert [g.application for g in grants_for_user(user=gb)] == [assistant]
    assert AgentAction.objects.count() == first["actions"]
