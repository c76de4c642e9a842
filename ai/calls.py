"""The two calls every Silkway AI task is built on: a structured-output call validated against a pydantic
model, and embeddings. Both pick the provider (offline rules or an OpenAI-compatible server), retry transient
failures with bounded backoff, and store provenance and cost for every call.

Call them outside database transactions: the provenance row must survive a caller's rollback, and nobody
should hold row locks while a model thinks.
"""

import email.utils
import logging
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

import openai
from django.conf import settings
from openai.lib._pydantic import to_strict_json_schema
from pydantic import BaseModel, ValidationError

from . import services
from .client import OFFLINE_MODEL, active_provider, openai_client
from .exceptions import AIError, AIRequestRejected, AIResponseError, AITransientError
from .models import CallKind, CallStatus, Provider
from .offline import hashed_embedding

log = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)

# Status codes worth another try; everything else 4xx is our fault and will fail the same way again.
RETRYABLE_STATUS = {408, 409, 429}


@dataclass(frozen=True)
class Provenance:
    provider: str
    model: str
    prompt_version: str
    task: str
    created_at: datetime
    call_id: int
    attempts: int = 1
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cost_usd: str = "0"

    def as_dict(self) -> dict:
        return {
            "provider": self.provider,
            "model": self.model,
            "prompt_version": self.prompt_version,
            "task": self.task,
            "created_at": self.created_at.isoformat(),
            "call_id": self.call_id,
            "attempts": self.attempts,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cost_usd": self.cost_usd,
        }


@dataclass(frozen=True)
class AIResult(Generic[T]):
    value: T
    provenance: Provenance


@dataclass(frozen=True)
class EmbeddingResult:
    vectors: list[list[float]]
    provenance: Provenance


def _retry_after_seconds(error: openai.APIStatusError) -> float | None:
    headers = error.response.headers
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        raw = headers.get(name)
        if raw:
            try:
                value = float(raw) / divisor
            except ValueError:
                continue
            if math.isfinite(value) and value >= 0:
                return value
    raw = headers.get("retry-after")
    if raw:
        parsed = email.utils.parsedate_tz(raw)
        if parsed is not None:
            return max(0.0, email.utils.mktime_tz(parsed) - time.time())
    return None


def _backoff(attempt: int) -> float:
    """Exponential backoff with jitter: base·2^(n-1), scaled by 0.5–1.0, capped."""
    delay = settings.AI_RETRY_BASE_DELAY * (2 ** (attempt - 1))
    return min(settings.AI_RETRY_MAX_DELAY, delay * random.uniform(0.5, 1.0))


class _Attempts:
    """Counts tries so the provenance record says how many the call took."""

    def __init__(self):
        self.count = 0


def _with_retries(send: Callable, attempts: _Attempts, retries: int | None = None, timeout: float | None = None):
    """Run `send`, retrying 429/408/409/5xx, timeouts and connection errors up to `retries` times
    (AI_MAX_RETRIES when None). `timeout`: the client's, for the message (AI_TIMEOUT_SECONDS when None)."""
    limit = settings.AI_MAX_RETRIES if retries is None else retries
    seconds = settings.AI_TIMEOUT_SECONDS if timeout is None else timeout
    while True:
        attempts.count += 1
        retry_after = None
        try:
            return send()
        except openai.APIStatusError as error:
            status = error.status_code
            if status not in RETRYABLE_STATUS and status < 500:
                message = f"The AI provider rejected the request (HTTP {status}): {error.message}"
                raise AIRequestRejected(message) from error
            retry_after = _retry_after_seconds(error)
            failure = AITransientError(f"The AI provider is unavailable (HTTP {status}).", retry_after=retry_after)
            cause = error
        except openai.APITimeoutError as error:
            failure = AITransientError(f"The AI provider did not answer within {seconds:g} s.")
            cause = error
        except openai.APIConnectionError as error:
            failure = AITransientError(f"Could not reach the AI provider: {error}")
            cause = error
        if attempts.count > limit:
            raise failure from cause
        if retry_after is not None and retry_after > settings.AI_RETRY_MAX_DELAY:
            # The server asks for a longer pause than a worker should sleep: hand it to the task's retry.
            raise failure from cause
        delay = retry_after if retry_after is not None else _backoff(attempts.count)
        log.info("AI call failed (%s); retry %d of %d in %.2f s", failure, attempts.count, limit, delay)
        time.sleep(delay)


def _response_format(schema: type[BaseModel]) -> dict:
    return {
        "type": "json_schema",
        "json_schema": {"name": schema.__name__, "schema": to_strict_json_schema(schema), "strict": True},
    }


def _parse_completion(completion, schema: type[T]) -> T:
    # The SDK does not validate responses strictly; a server may send any shape.
    choices = getattr(completion, "choices", None)
    if not isinstance(choices, list) or not choices or getattr(choices[0], "message", None) is None:
        raise AIResponseError("The AI reply had no usable choices.")
    choice = choices[0]
    if choice.finish_reason == "length":
        raise AIResponseError("The AI reply was cut off (token limit); nothing was used.")
    message = choice.message
    if getattr(message, "refusal", None):
        raise AIResponseError(f"The model refused: {message.refusal}")
    if not message.content:
        raise AIResponseError("The AI reply was empty.")
    try:
        return schema.model_validate_json(message.content)
    except ValidationError as error:
        # Malformed JSON and schema violations alike: an invalid reply is never partly used.
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in error.errors()[:5])
        raise AIResponseError(f"The AI reply failed validation: {problems}") from error


def _usage(response) -> tuple[int | None, int | None]:
    usage = getattr(response, "usage", None)
    if usage is None:
        return None, None
    return getattr(usage, "prompt_tokens", None), getattr(usage, "completion_tokens", None)


def _record(
    *,
    task,
    kind,
    provider,
    model,
    prompt_version,
    supplier_id,
    subject,
    started,
    attempts,
    error=None,
    prompt_tokens=None,
    completion_tokens=None,
) -> Provenance:
    call = services.ai_call_record(
        task=task,
        kind=kind,
        provider=provider,
        model=model,
        prompt_version=prompt_version,
        supplier_id=supplier_id,
        subject=subject,
        status=CallStatus.FAILED if error else CallStatus.OK,
        error=str(error or ""),
        attempts=attempts,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    return Provenance(
        provider=provider,
        model=model,
        prompt_version=prompt_version,
        task=task,
        created_at=call.created_at,
        call_id=call.pk,
        attempts=attempts,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        cost_usd=str(call.cost_usd),
    )


def _user_content(text: str, images: Sequence[str]) -> str | list[dict]:
    """Plain text, or text plus image parts (the chat completions format every OpenAI-compatible server takes)."""
    if not images:
        return text
    return [{"type": "text", "text": text}, *[{"type": "image_url", "image_url": {"url": url}} for url in images]]


def structured_output(
    *,
    task: str,
    prompt_version: str,
    schema: type[T],
    system: str,
    user: str,
    offline: Callable[[], T],
    supplier_id: int | None = None,
    subject: str = "",
    temperature: float = 0.2,
    retries: int | None = None,
    timeout: float | None = None,
    images: Sequence[str] = (),
) -> AIResult[T]:
    """Ask for a reply in `schema` and validate it; `offline` computes the same result without a model.

    `images`: data URLs (or https URLs) sent with the user message as image parts, for a vision-capable model;
    the offline rules never see them (the caller says so to the person).

    `retries`: transient failures retried inside this call (AI_MAX_RETRIES when None). A caller that retries
    itself, like a Celery task with a retry policy, passes 0 so there is one retry layer, not two.

    `timeout`: seconds the server has to answer each try (AI_TIMEOUT_SECONDS when None). A call made while a person
    waits for a page passes AI_REQUEST_TIMEOUT_SECONDS and retries=0, and falls back to `offline` on any AIError.

    Raises AITransientError (retry later), AIResponseError / AIRequestRejected (permanent), AIQuotaExceeded.
    """
    started = time.monotonic()
    provider = active_provider()
    common = {
        "task": task,
        "kind": CallKind.STRUCTURED,
        "provider": provider,
        "prompt_version": prompt_version,
        "supplier_id": supplier_id,
        "subject": subject,
        "started": started,
    }
    if provider == Provider.OFFLINE:
        try:
            # Offline results pass the same validation as a model's, so both providers honour one contract.
            value = schema.model_validate(offline().model_dump())
        except ValidationError as error:
            _record(model=OFFLINE_MODEL, attempts=1, error=error, **common)
            raise AIResponseError(f"The offline rules produced an invalid result: {error}") from error
        return AIResult(value=value, provenance=_record(model=OFFLINE_MODEL, attempts=1, **common))

    model = settings.AI_MODEL
    services.ai_quota_reserve(supplier_id=supplier_id)
    client, attempts = openai_client(timeout), _Attempts()
    try:
        completion = _with_retries(
            lambda: client.chat.completions.create(
                model=model,
                messages=[
                    {"role": "system", "content": system},
                    {"role": "user", "content": _user_content(user, images)},
                ],
                response_format=_response_format(schema),
                temperature=temperature,
            ),
            attempts,
            retries,
            timeout,
        )
    except AIError as error:
        _record(model=model, attempts=attempts.count, error=error, **common)
        raise
    except (openai.APIResponseValidationError, ValueError) as error:
        # The HTTP body itself was not the JSON the SDK expects (a broken proxy or server).
        _record(model=model, attempts=attempts.count, error=error, **common)
        raise AIResponseError(f"The AI provider sent an unreadable reply: {error}") from error
    prompt_tokens, completion_tokens = _usage(completion)
    try:
        value = _parse_completion(completion, schema)
    except AIResponseError as error:
        _record(
            model=model,
            attempts=attempts.count,
            error=error,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            **common,
        )
        raise
    provenance = _record(
        model=getattr(completion, "model", None) or model,
        attempts=attempts.count,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        **common,
    )
    return AIResult(value=value, provenance=provenance)


def embed(
    *, texts: list[str], task: str = "embed", supplier_id: int | None = None, subject: str = ""
) -> EmbeddingResult:
    """One vector per text, in order. Offline: hashed word/trigram features with AI_EMBEDDING_DIMENSIONS."""
    started = time.monotonic()
    provider = active_provider()
    common = {
        "task": task,
        "kind": CallKind.EMBEDDING,
        "provider": provider,
        "prompt_version": "",
        "supplier_id": supplier_id,
        "subject": subject,
        "started": started,
    }
    if not texts:
        raise ValueError("embed() needs at least one text.")
    if provider == Provider.OFFLINE:
        vectors = [hashed_embedding(text, settings.AI_EMBEDDING_DIMENSIONS) for text in texts]
        return EmbeddingResult(vectors=vectors, provenance=_record(model="hashing-trigram", attempts=1, **common))

    model = settings.AI_EMBEDDING_MODEL
    services.ai_quota_reserve(supplier_id=supplier_id)
    client, attempts = openai_client(), _Attempts()
    extra = {"dimensions": settings.AI_EMBEDDING_DIMENSIONS} if model.startswith("text-embedding-3") else {}
    try:
        response = _with_retries(lambda: client.embeddings.create(model=model, input=texts, **extra), attempts)
        vectors = _validated_vectors(response, len(texts))
    except AIError as error:
        _record(model=model, attempts=attempts.count, error=error, **common)
        raise
    except (openai.APIResponseValidationError, ValueError, TypeError) as error:
        _record(model=model, attempts=attempts.count, error=error, **common)
        raise AIResponseError(f"The AI provider sent an unreadable embeddings reply: {error}") from error
    prompt_tokens, _ = _usage(response)
    provenance = _record(model=model, attempts=attempts.count, prompt_tokens=prompt_tokens, **common)
    return EmbeddingResult(vectors=vectors, provenance=provenance)


def _validated_vectors(response, expected: int) -> list[list[float]]:
    data = sorted(getattr(response, "data", None) or [], key=lambda item: item.index)
    if len(data) != expected:
        raise AIResponseError(f"Expected {expected} embeddings, got {len(data)}.")
    vectors = [list(item.embedding) for item in data]
    width = len(vectors[0])
    if width == 0 or any(len(v) != width for v in vectors):
        raise AIResponseError("Embeddings had inconsistent or zero dimensions.")
    if not all(isinstance(x, float | int) and math.isfinite(x) for v in vectors for x in v):
        raise AIResponseError("Embeddings contained non-numeric values.")
    return [[float(x) for x in v] for v in vectors]
