"""An AI server that is rate-limited, failing, garbled or hung never blocks a page: reading a sourcing request (the one
AI call made while a person waits, on the page and in the API) gets AI_REQUEST_TIMEOUT_SECONDS and a single try,
then the offline rules answer and the person is told. Real HTTP against tests/ai/fake_openai.py; the SDK is not
patched.

Listing optimization and contract drafting call the model from Celery tasks (ai.retry.AITask), never from a request
handler, and keep AI_TIMEOUT_SECONDS and their retries.
"""

import time

import pytest
from django.urls import reverse

from sourcing.extraction import extract_offline
from sourcing.models import RequirementsVersion, SourcingRequest
from tests.ai.fake_openai import Reply, completion, error_reply, hang_reply, json_reply

from .test_extraction_ai import model_reply

pytestmark = pytest.mark.django_db

REQUEST = "Need 2,000 bamboo cutting boards with our logo, FSC, under 4 EUR each CIF Rotterdam, within 60 days"
REQUESTS = "/api/v1/sourcing/requests/"
REQUEST_TIMEOUT = 1.0
# A page may take the request-path timeout and a little over for everything else (two seconds, as the issue says).
BOUND = REQUEST_TIMEOUT + 2.0
FALLBACK_NOTE = "The AI assistant was unavailable just now"

FAULTS = {
    # Rate limited, with a Retry-After a task would honour: the page does not wait for it.
    "429": lambda: error_reply(429, "rate limited", headers={"Retry-After": "20"}),
    "500": lambda: error_reply(500, "internal error"),
    "503": lambda: error_reply(503, "overloaded"),
    # Garbage: a body that is not JSON, JSON that is not a completion, a completion whose content is not JSON,
    # and one whose JSON is off-schema.
    "not-json-body": lambda: Reply(body="<html><body>502 Bad Gateway</body></html>"),
    "not-a-completion": lambda: Reply(body={"hello": "world", "choices": "none"}),
    "content-not-json": lambda: Reply(body=completion("Sure! The buyer wants bamboo boards.")),
    "off-schema": lambda: Reply(body=completion('{"product": 42, "quantity": "lots"}')),
    "hang": hang_reply,
}


@pytest.fixture
def faulty_ai(settings, use_openai):
    """The model is configured; the request path's bound is short, while the task settings are long: a page that
    used them (60 s-style timeouts, retries with backoff) would blow the bound."""
    settings.AI_REQUEST_TIMEOUT_SECONDS = REQUEST_TIMEOUT
    settings.AI_TIMEOUT_SECONDS = 30
    settings.AI_MAX_RETRIES = 3
    settings.AI_RETRY_BASE_DELAY = 5
    settings.AI_RETRY_MAX_DELAY = 30
    # What the first request of a process loads once (the URLconf with every app's views, the offline rules'
    # vocabulary) is not part of the bound under test.
    reverse("sourcing:home")
    extract_offline(REQUEST)
    return use_openai


def script(server, fault):
    # More than one reply: a retry, if the code made one, would find the same fault again (and be counted).
    server.chat(*[FAULTS[fault]() for _ in range(4)])


def assert_offline_fallback(version: RequirementsVersion, server):
    assert version.provenance["provider"] == "offline"
    assert version.provenance["fallback_reason"]
    # The offline rules still read the request.
    assert version.data["quantity"] == 2000
    assert version.data["destination_country"] == "NL"
    assert len(server.requests_to("/chat/completions")) == 1  # one try, no retries on the request path


@pytest.mark.parametrize("fault", list(FAULTS))
def test_the_sourcing_page_answers_with_the_offline_reading(client, buyer, faulty_ai, fault):
    script(faulty_ai, fault)
    client.force_login(buyer)
    url = reverse("sourcing:home")
    started = time.monotonic()
    response = client.post(url, {"text": REQUEST})
    elapsed = time.monotonic() - started

    print(f"\nPOST /sourcing/ with the AI server answering {fault}: {elapsed:.3f} s")
    assert response.status_code == 302, response.content[:500]
    assert elapsed < BOUND, f"{fault}: {elapsed:.2f} s"
    request = SourcingRequest.objects.get(buyer=buyer)
    assert_offline_fallback(request.requirement_versions.get(), faulty_ai)

    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert FALLBACK_NOTE in text
    assert 'value="2000"' in text  # the form shows what the offline rules read


@pytest.mark.parametrize("fault", ["429", "500", "not-json-body", "content-not-json", "hang"])
def test_the_api_answers_201_with_the_offline_reading(buyer_api, buyer, faulty_ai, fault):
    script(faulty_ai, fault)
    started = time.monotonic()
    response = buyer_api.post(REQUESTS, {"text": REQUEST}, format="json")
    elapsed = time.monotonic() - started

    print(f"\nPOST {REQUESTS} with the AI server answering {fault}: {elapsed:.3f} s")
    assert response.status_code == 201, response.content[:500]
    assert elapsed < BOUND, f"{fault}: {elapsed:.2f} s"
    requirements = response.json()["requirements"]
    assert requirements["provenance"]["provider"] == "offline"
    assert requirements["provenance"]["fallback_reason"]
    assert requirements["data"]["quantity"] == 2000
    assert_offline_fallback(SourcingRequest.objects.get(buyer=buyer).requirement_versions.get(), faulty_ai)


def test_a_hung_server_is_cut_off_at_the_request_timeout_and_says_so(buyer_api, buyer, faulty_ai):
    faulty_ai.chat(hang_reply())
    started = time.monotonic()
    response = buyer_api.post(REQUESTS, {"text": REQUEST}, format="json")
    elapsed = time.monotonic() - started
    assert response.status_code == 201
    # Cut off by the request timeout (not AI_TIMEOUT_SECONDS = 30), after it and not much later.
    assert REQUEST_TIMEOUT <= elapsed < BOUND
    reason = response.json()["requirements"]["provenance"]["fallback_reason"]
    assert "did not answer within 1 s" in reason


def test_a_working_model_is_still_used_on_the_request_path(client, buyer, faulty_ai):
    faulty_ai.chat(json_reply(model_reply(quantity=1500)))
    client.force_login(buyer)
    response = client.post(reverse("sourcing:home"), {"text": REQUEST})
    assert response.status_code == 302
    version = SourcingRequest.objects.get(buyer=buyer).requirement_versions.get()
    assert version.provenance["provider"] == "openai" and "fallback_reason" not in version.provenance
    assert version.data["quantity"] == 1500
    assert FALLBACK_NOTE not in client.get(response["Location"]).content.decode()
