"""`manage.py mcp_stdio`: the same tools over stdio for an assistant on the server's machine, anonymous unless the
command names a buyer (then with the scopes it names, logged as "local assistant")."""

import sys
from pathlib import Path

import anyio
import pytest
from django.core.management import CommandError, call_command
from mcp import Client, StdioServerParameters

from agents.models import AgentAction
from agents.selectors import LOCAL_CLIENT_ID, Caller
from agents.server import local_caller, mcp
from sourcing.models import SourcingRequest
from tests.factories import BuyerFactory

ROOT = Path(__file__).resolve().parents[2]


def test_the_command_serves_every_tool_over_stdio():
    async def go():
        params = StdioServerParameters(
            command=sys.executable, args=[str(ROOT / "manage.py"), "mcp_stdio"], cwd=str(ROOT)
        )
        async with Client(params, cache=None) as client:
            return {tool.name for tool in (await client.list_tools()).tools}

    names = anyio.run(go)
    assert {"search_products", "compare_suppliers", "draft_rfq", "send_message"} <= names


def test_an_unknown_buyer_or_scope_is_refused(db):
    with pytest.raises(CommandError, match="No active account"):
        call_command("mcp_stdio", buyer="nobody@example.com")
    BuyerFactory(email="local@example.com")
    with pytest.raises(CommandError, match="Unknown scopes: money:move"):
        call_command("mcp_stdio", buyer="local@example.com", scopes="sourcing:read money:move")


def _call_in_process(caller, tool, arguments):
    async def go():
        token = local_caller.set(caller)
        try:
            async with Client(mcp, cache=None) as client:
                return await client.call_tool(tool, arguments)
        finally:
            local_caller.reset(token)

    return anyio.run(go)


def test_without_transport_headers_the_local_caller_acts_within_its_scopes(transactional_db):
    buyer = BuyerFactory()
    local = Caller(
        user=buyer, scopes=frozenset({"sourcing:write"}), client_id=LOCAL_CLIENT_ID, agent_name="local assistant"
    )
    created = _call_in_process(
        local, "create_sourcing_request", {"text": "500 stainless steel water bottles", "idempotency_key": "local-0001"}
    )
    assert not created.is_error, created.content
    assert SourcingRequest.objects.get().buyer == buyer
    assert AgentAction.objects.get().agent_name == "local assistant"
    refused = _call_in_process(local, "list_rfqs", {})
    assert refused.is_error and "quotes:read" in refused.content[0].text
    anonymous = _call_in_process(Caller(address="local"), "list_sourcing_requests", {})
    assert anonymous.is_error and "sign in" in anonymous.content[0].text


def test_the_daily_task_clears_expired_tokens_and_keeps_live_ones(db):
    from datetime import timedelta

    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application

    from agents.tasks import clear_expired_tokens_task

    buyer = BuyerFactory()
    app = Application.objects.create(
        name="a",
        client_type="public",
        authorization_grant_type="authorization-code",
        redirect_uris="http://127.0.0.1/cb",
    )
    now = timezone.now()
    AccessToken.objects.create(user=buyer, application=app, token="old-token", expires=now - timedelta(days=1))
    AccessToken.objects.create(user=buyer, application=app, token="live-token", expires=now + timedelta(hours=1))
    clear_expired_tokens_task.delay()
    assert list(AccessToken.objects.values_list("expires", flat=True)) == [now + timedelta(hours=1)]
