"""A real Silkway ASGI server (the site and /mcp, as config/asgi.py builds it) on a loopback port, for the SDK's MCP
client and OAuth flow to talk to over HTTP. Its request threads open their own database connections, so the tests
that use it run on committed data (transactional_db)."""

import re
import socket
import threading
import time
import uuid

import httpx2
import pytest
from django.test import Client as DjangoClient


@pytest.fixture(scope="session")
def _asgi_server():
    import uvicorn
    from django.core.asgi import get_asgi_application

    from agents.http import SiteWithMCP
    from agents.server import http_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            SiteWithMCP(get_asgi_application(), http_app()), lifespan="on", log_level="warning", access_log=False
        )
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the ASGI test server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def site(_asgi_server, transactional_db, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    return _asgi_server


def new_key() -> str:
    return uuid.uuid4().hex


def session_cookie(user) -> dict:
    """A signed-in browser's session cookie for `user` (the session row is committed: transactional tests)."""
    client = DjangoClient()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}


_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


async def approve_in_browser(authorize_url: str, cookies: dict, *, allow: bool = True) -> httpx2.Response:
    """What the buyer does in the browser: open the consent page Silkway shows and press Allow (or Deny). Returns
    the redirect back to the agent."""
    import html

    async with httpx2.AsyncClient(cookies=cookies, follow_redirects=False) as browser:
        page = await browser.get(authorize_url)
        assert page.status_code == 200, page.text[:500]
        fields = {name: html.unescape(value) for name, value in _HIDDEN.findall(page.text)}
        if allow:
            fields["allow"] = "Authorize"
        answer = await browser.post(authorize_url, data=fields, headers={"Referer": authorize_url})
        assert answer.status_code == 302, answer.text[:500]
        return answer
