"""The database going away while an agent calls /mcp: the gate's token check answers 503 with Retry-After (as the
site's pages and API do) and a tool answers a tool error saying to try again, never a 500 or the driver's message.

Nothing is mocked: the worker thread that runs the gate's and the tools' queries (asgiref's thread for sync code)
drops its connection and is pointed at a database it cannot open (an unopenable SQLite file, or a PostgreSQL port
nothing listens on), then back."""

import logging
import socket

import anyio
import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from mcp import Client

from agents.http import MCPGate
from agents.server import mcp
from core.middleware import DATABASE_RETRY_AFTER_SECONDS


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def database_unreachable(db, tmp_path, caplog):
    settings_dict = connections["default"].settings_dict
    saved = dict(settings_dict)
    close_worker_connections = sync_to_async(connections.close_all)
    anyio.run(close_worker_connections)
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        settings_dict["NAME"] = str(tmp_path / "missing" / "db.sqlite3")
    else:
        settings_dict.update(HOST="127.0.0.1", PORT=str(_closed_port()))
    caplog.set_level(logging.INFO)
    try:
        yield
    finally:
        settings_dict.clear()
        settings_dict.update(saved)
        anyio.run(close_worker_connections)


def _through_the_gate(headers):
    sent = []

    async def app(scope, receive, send):  # pragma: no cover - the gate must answer before reaching the server
        raise AssertionError("the request reached the MCP server")

    async def receive():
        return {"type": "http.request", "body": b'{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}'}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/mcp",
        "scheme": "http",
        "client": ("127.0.0.1", 5000),
        "headers": [(b"host", b"127.0.0.1"), *headers],
    }
    anyio.run(MCPGate(app), scope, receive, send)
    return sent


def test_the_gate_answers_503_with_retry_after_when_it_cannot_check_a_token(database_unreachable, settings, caplog):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    start, body = _through_the_gate([(b"authorization", b"Bearer some-token")])
    assert start["status"] == 503
    headers = dict(start["headers"])
    assert headers[b"retry-after"] == str(DATABASE_RETRY_AFTER_SECONDS).encode()
    assert headers[b"cache-control"] == b"no-store"
    assert b"briefly unavailable" in body["body"]
    assert [record.name for record in caplog.records if record.levelno >= logging.ERROR] == ["silkway.db"]


def test_a_tool_says_to_try_again_and_hides_the_drivers_message(database_unreachable, caplog):
    async def go():
        async with Client(mcp, cache=None) as client:
            return await client.call_tool("search_products", {"query": "cordless drill"})

    result = anyio.run(go)
    assert result.is_error
    text = " ".join(getattr(block, "text", "") for block in result.content)
    assert "briefly unavailable" in text
    assert "unable to open" not in text and "connection" not in text.lower()
    assert any(record.name == "silkway.db" for record in caplog.records)
