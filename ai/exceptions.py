"""What can go wrong with an AI call, split by whether trying again later can help."""


class AIError(Exception):
    """Base class. `transient` tells tasks whether a later retry may succeed."""

    transient = False

    def __init__(self, message, *, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after


class AITransientError(AIError):
    """Rate limits, 5xx, timeouts, dropped connections: the provider may answer later."""

    transient = True


class AIResponseError(AIError):
    """The provider answered, but not with something usable: refused, truncated, malformed or off-schema."""


class AIRequestRejected(AIError):
    """The provider refused the request itself (4xx other than 429): wrong key, model or payload."""


class AIQuotaExceeded(AIError):
    """This supplier's daily AI budget is used up; it resets at midnight (TIME_ZONE)."""


class AIConfigurationError(AIError):
    """AI_PROVIDER=openai without OPENAI_API_KEY, or an unknown provider name."""
