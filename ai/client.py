"""The one place an OpenAI SDK client is built, and the switch between it and the offline rules."""

import logging
from functools import lru_cache

import openai
from django.conf import settings

from .exceptions import AIConfigurationError
from .models import Provider

logger = logging.getLogger(__name__)

OFFLINE_MODEL = "silkway-rules-1"


def active_provider() -> str:
    """ "offline" or "openai", from AI_PROVIDER ("auto" picks openai only when a key is configured)."""
    choice = (settings.AI_PROVIDER or "auto").lower()
    if choice == Provider.OFFLINE:
        return Provider.OFFLINE
    if choice == Provider.OPENAI:
        if not settings.OPENAI_API_KEY:
            raise AIConfigurationError("AI_PROVIDER=openai needs OPENAI_API_KEY (any value for keyless local servers).")
        return Provider.OPENAI
    if choice == "auto":
        return Provider.OPENAI if settings.OPENAI_API_KEY else Provider.OFFLINE
    raise AIConfigurationError(f"Unknown AI_PROVIDER {choice!r}; use auto, offline or openai.")


def model_configured(caller: str) -> bool:
    """Whether a model answers (the openai provider), for features that only add to what the offline rules do. A
    misconfiguration (AI_PROVIDER=openai without a key, an unknown provider) is logged for `caller` and answered
    offline rather than failing the request."""
    try:
        return active_provider() == Provider.OPENAI
    except AIConfigurationError as error:
        logger.warning("%s: %s; using the offline rules", caller, error)
        return False


def active_model() -> str:
    return settings.AI_MODEL if active_provider() == Provider.OPENAI else OFFLINE_MODEL


@lru_cache(maxsize=8)
def _client(api_key: str, base_url: str, timeout: float) -> openai.OpenAI:
    # max_retries=0: retries happen in ai.calls, where backoff and the Retry-After cap come from settings.
    return openai.OpenAI(api_key=api_key, base_url=base_url or None, timeout=timeout, max_retries=0)


def openai_client(timeout: float | None = None) -> openai.OpenAI:
    """A client for the configured server; cached per (key, base URL, timeout) so connections are reused.
    `timeout`: seconds per request, AI_TIMEOUT_SECONDS when None (a request path passes its shorter one)."""
    if not settings.OPENAI_API_KEY:
        raise AIConfigurationError("OPENAI_API_KEY is not set.")
    seconds = settings.AI_TIMEOUT_SECONDS if timeout is None else timeout
    return _client(settings.OPENAI_API_KEY, settings.OPENAI_BASE_URL, float(seconds))
