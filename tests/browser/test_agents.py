"""A buyer connects an AI assistant in a real browser: the consent page says who asks and what each scope allows in
plain words, Allow sends the browser back to the assistant's loopback address with a code; an RFQ the assistant
drafted waits under AI assistants until the buyer opens it and clicks Send; the buyer revokes the assistant. The
consent and confirmation pages at desktop and phone widths (the page never scrolls sideways and the buttons are in
reach), and once in Chinese.

Screenshots go to /tmp/agents-shots/ (SILKWAY_AGENT_SHOTS), for a person to look at."""

import base64
import hashlib
import os
import secrets
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx2
import pytest
from oauth2_provider.models import AccessToken, Application
from playwright.sync_api import Error as PlaywrightError

from agents.scopes import SCOPE_DESCRIPTIONS
from agents.selectors import Caller
from agents.services import agent_rfq_draft
from sourcing.models import RFQRecipient, RFQStatus
from tests.conftest import PASSWORD
from tests.factories import BuyerFactory, SupplierFactory
from tests.sourcing.test_pages import done_plan, request_with_requirements

from .conftest import DESKTOP, PHONE, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SHOTS = Path(os.environ.get("SILKWAY_AGENT_SHOTS", "/tmp/agents-shots"))
SCOPES = ["sourcing:read", "rfq:write"]
ASSISTANT = "Desk Procurement Assistant"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def no_page_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def in_reach(page, selector: str) -> bool:
    """Visible, and wholly inside the viewport's width: no sideways scrolling needed to press it."""
    locator = page.locator(selector)
    if not locator.is_visible():
        return False
    box = locator.bounding_box()
    width = page.evaluate("window.innerWidth")
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert len(challenge) == 43
    return verifier, challenge


def authorize_url(live_server, application, challenge: str, state: str) -> str:
    query = urlencode(
        {
            "response_type": "code",
            "client_id": application.client_id,
            "redirect_uri": application.redirect_uris,
            "scope": " ".join(SCOPES),
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    return f"{live_server.url}/oauth/authorize/?{query}"


class _Callback(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.arrived.append(self.path)
        body = b"<!doctype html><title>Assistant</title><p>Signed in to Silkway. You can close this window.</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback():
    """The assistant's loopback listener (RFC 8252), on a port it picked: where the browser lands after Allow.
    (Playwright's page.route does not see a request the server redirected to, so something real answers.)"""
    server = HTTPServer(("127.0.0.1", 0), _Callback)
    server.arrived = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def world(transactional_db, loopback):
    buyer = BuyerFactory(email="importer@example.nl")
    # What the assistant's registration at /oauth/register/ leaves: a public client with a loopback redirect.
    redirect_uri = f"http://127.0.0.1:{loopback.server_port}/cb"
    application = Application.objects.create(
        name=ASSISTANT,
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        client_secret="",
        registration_source=Application.RegistrationSource.DCR,
    )
    suppliers = [
        SupplierFactory(name="Fujian Bamboo Homeware Factory", slug="fujian-bamboo", country="CN"),
        SupplierFactory(name="Zhejiang Woodcraft Works", slug="zhejiang-woodcraft", country="CN"),
    ]
    return {
        "buyer": buyer,
        "application": application,
        "redirect_uri": redirect_uri,
        "loopback": loopback,
        "suppliers": suppliers,
    }


def draft_by_the_assistant(world):
    """The assistant's draft_rfq: an RFQ from a finished plan, proposed to two suppliers, sent to nobody."""
    request = request_with_requirements(world["buyer"])
    done_plan(request, world["suppliers"])
    application = world["application"]
    caller = Caller(
        user=world["buyer"],
        scopes=frozenset(SCOPES),
        client_id=application.client_id,
        agent_name=application.name,
    )
    confirmation = agent_rfq_draft(
        caller=caller,
        request_id=request.pk,
        supplier_ids=[s.pk for s in world["suppliers"]],
        send_to_best_matches=False,
        message="Please quote 2,000 bamboo boards with our logo, CIF Rotterdam.",
        quote_deadline_days=10,
    )
    return confirmation.rfq


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_buyer_allows_an_assistant_confirms_its_rfq_and_revokes_it(live_server, browser_page, world, viewport):
    page = browser_page
    page.set_viewport_size(viewport)
    tag = "desktop" if viewport is DESKTOP else "phone"
    application = world["application"]
    sign_in(page, live_server, world["buyer"].email, PASSWORD)
    page.wait_for_load_state()

    # The consent page: who asks, each scope in plain words, and what it can never do.
    verifier, challenge = pkce()
    state = secrets.token_urlsafe(12)
    response = page.goto(authorize_url(live_server, application, challenge, state))
    assert response.ok
    consent = page.inner_text("main")
    assert ASSISTANT in page.inner_text("main h1")
    for scope in SCOPES:
        assert str(SCOPE_DESCRIPTIONS[scope]) in consent
    assert "never pay" in consent
    assert no_page_overflow(page)
    assert in_reach(page, "button[name=allow]")
    shot(page, f"consent-{tag}")

    # Allow: the browser goes back to the assistant's loopback address with a code and the state it sent.
    redirect_uri = world["redirect_uri"]
    console = []
    page.on("console", lambda message: console.append(message.text))
    try:
        with page.expect_navigation(url=f"{redirect_uri}**"):
            page.click("button[name=allow]")
    except PlaywrightError:
        # e.g. the consent page's Content-Security-Policy (form-action) refusing the redirect to the loopback
        page.wait_for_timeout(500)  # the console's word on why may come just after the failed navigation
        pytest.fail("After Allow the browser never reached the assistant: " + " | ".join(console))
    query = parse_qs(urlsplit(page.url).query)
    assert query["state"] == [state] and query["code"][0]
    assert query["iss"] == [live_server.url]  # RFC 9207: the answer names who issued it
    assert world["loopback"].arrived[0] == page.url.removeprefix(redirect_uri.removesuffix("/cb"))
    assert "You can close this window" in page.inner_text("body")
    assert not AccessToken.objects.filter(user=world["buyer"]).exists()  # a code, not a token, until exchanged

    # The assistant exchanges the code (its own job, over HTTP with the PKCE verifier): the buyer now has a grant.
    token = httpx2.post(
        f"{live_server.url}/oauth/token/",
        data={
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": redirect_uri,
            "client_id": application.client_id,
            "code_verifier": verifier,
        },
    )
    assert token.status_code == 200, token.text
    assert set(token.json()["scope"].split()) == set(SCOPES)

    # The assistant drafts an RFQ: it waits under AI assistants, and nothing reaches a supplier.
    rfq = draft_by_the_assistant(world)
    page.goto(f"{live_server.url}/agents/")
    waiting = page.locator("section", has_text="RFQs waiting for your confirmation")
    assert rfq.title in waiting.inner_text()
    assert ASSISTANT in page.inner_text(".grant h3")
    assert no_page_overflow(page)
    shot(page, f"access-{tag}")

    waiting.get_by_role("link", name=rfq.title).click()
    page.wait_for_url(f"**/agents/rfqs/{rfq.pk}/")
    body = page.inner_text("main")
    assert "Nothing has been sent" in body
    for supplier in world["suppliers"]:
        assert supplier.name in body
    assert no_page_overflow(page)
    assert in_reach(page, "button[name=send]")
    shot(page, f"confirm-{tag}")
    assert not RFQRecipient.objects.filter(rfq=rfq).exists()

    page.click("button[name=send]")
    page.wait_for_url(f"**/sourcing/rfqs/{rfq.pk}/")
    assert "The RFQ was sent" in page.inner_text("main")
    rfq.refresh_from_db()
    assert rfq.status == RFQStatus.SENT
    assert set(RFQRecipient.objects.filter(rfq=rfq).values_list("supplier_id", flat=True)) == {
        s.pk for s in world["suppliers"]
    }
    shot(page, f"sent-{tag}")

    # The buyer takes the assistant's access away.
    page.goto(f"{live_server.url}/agents/")
    page.locator(".grant", has_text=ASSISTANT).get_by_role("button", name="Revoke access").click()
    page.wait_for_url("**/agents/")
    assert "access was revoked" in page.inner_text("main")
    assert page.locator(".grant", has_text=ASSISTANT).count() == 0
    assert "No assistant has access to your account" in page.inner_text("main")
    assert not AccessToken.objects.filter(user=world["buyer"]).exists()
    shot(page, f"revoked-{tag}")


def test_consent_and_confirmation_pages_render_in_chinese(live_server, browser_page, world):
    page = browser_page
    sign_in(page, live_server, world["buyer"].email, PASSWORD)
    page.wait_for_load_state()
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": live_server.url}])
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    for viewport, tag in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(viewport)
        _verifier, challenge = pkce()
        response = page.goto(authorize_url(live_server, world["application"], challenge, "zh"))
        assert response.status == 200
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert ASSISTANT in page.inner_text("main h1")
        assert no_page_overflow(page)
        assert in_reach(page, "button[name=allow]")
        shot(page, f"consent-zh-{tag}")

    rfq = draft_by_the_assistant(world)
    for viewport, tag in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(viewport)
        response = page.goto(f"{live_server.url}/agents/rfqs/{rfq.pk}/")
        assert response.status == 200
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert world["suppliers"][0].name in page.inner_text("main")
        assert no_page_overflow(page)
        assert in_reach(page, "button[name=send]")
        shot(page, f"confirm-zh-{tag}")
    page.set_viewport_size(DESKTOP)
    response = page.goto(f"{live_server.url}/agents/")
    assert response.status == 200 and rfq.title in page.inner_text("main")
    shot(page, "access-zh-desktop")
    assert not errors, errors
