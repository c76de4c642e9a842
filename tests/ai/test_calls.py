"""The provider layer over real HTTP against the local OpenAI-compatible server: success, every failure
mode, validation, provenance and cost, daily limits, and the offline switch."""

from decimal import Decimal

import pytest
from pydantic import BaseModel, Field

from ai.calls import embed, structured_output
from ai.client import active_provider, openai_client
from ai.exceptions import (
    AIConfigurationError,
    AIQuotaExceeded,
    AIRequestRejected,
    AIResponseError,
    AITransientError,
)
from ai.models import AICall, AIUsageDay, CallStatus
from ai.offline import cosine

from .fake_openai import Reply, completion, error_reply, json_reply

pytestmark = pytest.mark.django_db


class Spec(BaseModel):
    name: str = Field(min_length=1, max_length=40)
    value: float
    unit: str | None


GOOD = {"name": "Operating Temperature", "value": 55, "unit": "°C"}


def offline_spec():
    return Spec(name="Voltage", value=18, unit="V")


def ask(**kwargs):
    params = {
        "task": "test_spec",
        "prompt_version": "spec/1",
        "schema": Spec,
        "system": "Extract one spec.",
        "user": "Works from -30 to 55 °C",
        "offline": offline_spec,
        "supplier_id": 7,
    }
    params.update(kwargs)
    return structured_output(**params)


# --- provider switch and client factory -------------------------------------------------------------------------


def test_auto_provider_is_offline_without_a_key(settings):
    settings.AI_PROVIDER, settings.OPENAI_API_KEY = "auto", ""
    assert active_provider() == "offline"
    settings.OPENAI_API_KEY = "sk-anything"
    assert active_provider() == "openai"


def test_openai_provider_without_a_key_is_a_configuration_error(settings):
    settings.AI_PROVIDER, settings.OPENAI_API_KEY = "openai", ""
    with pytest.raises(AIConfigurationError):
        active_provider()
    settings.AI_PROVIDER = "gemini"
    with pytest.raises(AIConfigurationError, match="Unknown AI_PROVIDER"):
        active_provider()


def test_client_factory_uses_settings_and_disables_sdk_retries(use_openai, settings):
    client = openai_client()
    assert str(client.base_url).rstrip("/") == use_openai.base_url
    assert client.max_retries == 0  # our loop retries, with delays from settings
    assert client.timeout == settings.AI_TIMEOUT_SECONDS
    assert openai_client() is client  # one client (and connection pool) per configuration
    settings.AI_TIMEOUT_SECONDS = 2.0
    assert openai_client() is not client


# --- structured output: success -------------------------------------------------------------------------------


def test_structured_output_success_sends_json_schema_and_records_provenance(use_openai):
    use_openai.chat(json_reply(GOOD, prompt_tokens=1000, completion_tokens=500))
    result = ask()
    assert result.value == Spec(**GOOD)

    (request,) = use_openai.requests_to("/chat/completions")
    assert request.headers["authorization"] == "Bearer sk-test-local"
    assert request.body["model"] == "fake-model"
    response_format = request.body["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["strict"] is True
    assert response_format["json_schema"]["schema"]["required"] == ["name", "value", "unit"]
    assert response_format["json_schema"]["schema"]["additionalProperties"] is False
    assert [m["role"] for m in request.body["messages"]] == ["system", "user"]

    provenance = result.provenance
    assert (provenance.provider, provenance.model, provenance.prompt_version) == ("openai", "fake-model", "spec/1")
    assert (provenance.prompt_tokens, provenance.completion_tokens, provenance.attempts) == (1000, 500, 1)
    call = AICall.objects.get(pk=provenance.call_id)
    assert call.status == CallStatus.OK and call.supplier_id == 7 and call.task == "test_spec"
    # 1000 × 0.15 / 1M + 500 × 0.60 / 1M
    assert call.cost_usd == Decimal("0.000450")
    usage = AIUsageDay.objects.get(supplier_id=7)
    assert (usage.requests, usage.tokens, usage.cost_usd) == (1, 1500, Decimal("0.000450"))


# --- transient failures are retried with backoff ------------------------------------------------------------------


def test_429_honours_retry_after_then_succeeds(use_openai):
    use_openai.chat(error_reply(429, "slow down", headers={"Retry-After": "0.3"}), json_reply(GOOD))
    result = ask()
    assert result.value.name == "Operating Temperature"
    first, second = use_openai.requests_to("/chat/completions")
    assert second.at - first.at >= 0.3
    assert result.provenance.attempts == 2


def test_retry_after_longer_than_the_cap_is_left_to_the_task(use_openai):
    use_openai.chat(error_reply(429, headers={"Retry-After": "120"}), json_reply(GOOD))
    with pytest.raises(AITransientError) as raised:
        ask()
    assert raised.value.retry_after == 120
    assert len(use_openai.requests_to("/chat/completions")) == 1


def test_500_is_retried_then_succeeds(use_openai):
    use_openai.chat(error_reply(500), error_reply(502), json_reply(GOOD))
    assert ask().provenance.attempts == 3


def test_persistent_500_gives_up_after_the_retry_budget_and_records_the_failure(use_openai, settings):
    use_openai.chat(*[error_reply(500)] * 5)
    with pytest.raises(AITransientError, match="HTTP 500"):
        ask()
    assert len(use_openai.requests_to("/chat/completions")) == settings.AI_MAX_RETRIES + 1
    call = AICall.objects.get()
    assert call.status == CallStatus.FAILED and call.attempts == 3 and "HTTP 500" in call.error


def test_timeout_is_retried(use_openai):
    use_openai.chat(Reply(body=completion("{}"), delay=1.5), json_reply(GOOD))
    assert ask().provenance.attempts == 2


def test_timeouts_exhaust_the_budget(use_openai, settings):
    settings.AI_MAX_RETRIES = 1
    use_openai.chat(Reply(body=completion("{}"), delay=1.5), Reply(body=completion("{}"), delay=1.5))
    with pytest.raises(AITransientError, match="did not answer"):
        ask()


def test_unreachable_server_is_transient(use_openai, settings):
    settings.OPENAI_BASE_URL = "http://127.0.0.1:9/v1"  # discard port: nothing listens
    settings.AI_MAX_RETRIES = 0
    with pytest.raises(AITransientError, match="Could not reach"):
        ask()


# --- permanent failures are not retried and never half-used ------------------------------------------------------


@pytest.mark.parametrize("status", [400, 401, 404, 422])
def test_client_errors_are_rejected_without_retry(use_openai, status):
    use_openai.chat(error_reply(status, "bad request"), json_reply(GOOD))
    with pytest.raises(AIRequestRejected, match=f"HTTP {status}"):
        ask()
    assert len(use_openai.requests_to("/chat/completions")) == 1


def test_malformed_json_content_is_a_validation_error(use_openai):
    use_openai.chat(Reply(body=completion('{"name": "Voltage", "value": 18,')), json_reply(GOOD))
    with pytest.raises(AIResponseError, match="failed validation"):
        ask()
    assert len(use_openai.requests_to("/chat/completions")) == 1
    assert AICall.objects.get().status == CallStatus.FAILED


def test_malformed_http_body_is_an_error(use_openai):
    use_openai.chat(Reply(body="{this is not json"))
    with pytest.raises(AIResponseError, match="unreadable"):
        ask()


def test_body_without_choices_is_an_error(use_openai):
    use_openai.chat(Reply(body={"choices": "nope"}))
    with pytest.raises(AIResponseError, match="no usable choices"):
        ask()


def test_schema_violating_json_is_an_error(use_openai):
    use_openai.chat(json_reply({"name": "", "value": "very hot", "unit": "°C", "extra": 1}))
    with pytest.raises(AIResponseError) as raised:
        ask()
    message = str(raised.value)
    assert "name" in message and "value" in message


def test_missing_field_is_an_error(use_openai):
    use_openai.chat(json_reply({"name": "Voltage", "value": 18}))
    with pytest.raises(AIResponseError, match="unit"):
        ask()


def test_truncated_and_refused_replies_are_errors(use_openai):
    use_openai.chat(
        Reply(body=completion('{"name": "Vol', finish_reason="length")),
        Reply(body=completion(None, refusal="I can't help with that.")),
    )
    with pytest.raises(AIResponseError, match="cut off"):
        ask()
    with pytest.raises(AIResponseError, match="refused"):
        ask()


# --- daily limits -------------------------------------------------------------------------------------------------


def test_daily_request_limit_blocks_before_any_http_request(use_openai, settings):
    settings.AI_SUPPLIER_DAILY_REQUESTS = 2
    use_openai.chat(json_reply(GOOD), json_reply(GOOD), json_reply(GOOD), json_reply(GOOD))
    ask()
    ask()
    with pytest.raises(AIQuotaExceeded, match="Daily AI limit"):
        ask()
    assert len(use_openai.requests_to("/chat/completions")) == 2
    ask(supplier_id=8)  # another supplier has its own budget


def test_daily_token_limit(use_openai, settings):
    settings.AI_SUPPLIER_DAILY_TOKENS = 150
    use_openai.chat(json_reply(GOOD, prompt_tokens=100, completion_tokens=60), json_reply(GOOD))
    ask()
    with pytest.raises(AIQuotaExceeded):
        ask()


def test_offline_calls_are_free_and_not_limited(use_offline, settings):
    settings.AI_SUPPLIER_DAILY_REQUESTS = 1
    for _ in range(3):
        result = ask()
    assert result.value == offline_spec()
    assert result.provenance.provider == "offline" and result.provenance.model == "silkway-rules-1"
    assert AICall.objects.filter(provider="offline").count() == 3
    assert not AIUsageDay.objects.exists()


def test_offline_result_is_validated_too(use_offline):
    with pytest.raises(AIResponseError, match="offline rules"):
        ask(offline=lambda: Spec.model_construct(name="", value=1.0, unit=None))


# --- embeddings ---------------------------------------------------------------------------------------------------


def test_embeddings_over_http_keep_input_order(use_openai):
    data = [
        {"object": "embedding", "index": 1, "embedding": [0.0, 1.0]},
        {"object": "embedding", "index": 0, "embedding": [1.0, 0.0]},
    ]
    use_openai.embeddings(
        error_reply(503),
        Reply(body={"object": "list", "data": data, "model": "m", "usage": {"prompt_tokens": 4, "total_tokens": 4}}),
    )
    result = embed(texts=["first", "second"], supplier_id=3)
    assert result.vectors == [[1.0, 0.0], [0.0, 1.0]]
    assert result.provenance.attempts == 2 and result.provenance.prompt_tokens == 4
    request = use_openai.requests_to("/embeddings")[-1]
    assert request.body["input"] == ["first", "second"] and request.body["dimensions"] == 8


def test_embeddings_with_the_wrong_count_are_an_error(use_openai):
    use_openai.embeddings(
        Reply(body={"object": "list", "model": "m", "data": [{"object": "embedding", "index": 0, "embedding": [1.0]}]})
    )
    with pytest.raises(AIResponseError, match="Expected 2 embeddings"):
        embed(texts=["a", "b"])


def test_default_embeddings_from_the_server(use_openai):
    result = embed(texts=["drill", "pump", "drill"])
    assert len(result.vectors) == 3 and len(result.vectors[0]) == 8
    assert result.vectors[0] == result.vectors[2]


def test_offline_embeddings_are_deterministic_and_meaningful(use_offline, settings):
    settings.AI_EMBEDDING_DIMENSIONS = 256
    texts = ["18V brushless cordless drill", "cordless drill brushless 18 V", "submersible sewage pump"]
    first = embed(texts=texts).vectors
    assert first == embed(texts=texts).vectors
    assert len(first[0]) == 256
    assert cosine(first[0], first[1]) > cosine(first[0], first[2]) + 0.3
