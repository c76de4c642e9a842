"""Writes of the AI layer: the daily-budget reservation and the provenance/cost record of each call."""

from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .exceptions import AIQuotaExceeded
from .models import AICall, AIUsageDay

MILLION = Decimal(1_000_000)


def ai_cost(*, prompt_tokens: int | None, completion_tokens: int | None) -> Decimal:
    """USD for one call at the configured per-million-token prices (0 when prices are not configured)."""
    cost = (
        Decimal(prompt_tokens or 0) * Decimal(str(settings.AI_PRICE_INPUT_PER_MTOK))
        + Decimal(completion_tokens or 0) * Decimal(str(settings.AI_PRICE_OUTPUT_PER_MTOK))
    ) / MILLION
    return cost.quantize(Decimal("0.000001"))


def _usage_row(supplier_id: int, day):
    try:
        with transaction.atomic():
            AIUsageDay.objects.get_or_create(supplier_id=supplier_id, day=day)
    except IntegrityError:
        pass  # Another worker created it between our read and insert; the row exists either way.


def ai_quota_reserve(*, supplier_id: int | None) -> None:
    """Count one paid request against the supplier's day, or raise AIQuotaExceeded.

    A single conditional UPDATE, so concurrent workers cannot both take the last request of the day.
    """
    if supplier_id is None:
        return
    request_limit, token_limit = settings.AI_SUPPLIER_DAILY_REQUESTS, settings.AI_SUPPLIER_DAILY_TOKENS
    day = timezone.localdate()
    _usage_row(supplier_id, day)
    rows = AIUsageDay.objects.filter(supplier_id=supplier_id, day=day)
    if request_limit > 0:
        rows = rows.filter(requests__lt=request_limit)
    if token_limit > 0:
        rows = rows.filter(tokens__lt=token_limit)
    if not rows.update(requests=F("requests") + 1):
        raise AIQuotaExceeded(
            f"Daily AI limit reached for this supplier ({request_limit} requests / {token_limit} tokens a day); "
            "it resets at midnight."
        )


def ai_call_record(
    *,
    task,
    kind,
    provider,
    model,
    prompt_version="",
    supplier_id=None,
    subject="",
    status,
    error="",
    attempts=1,
    prompt_tokens=None,
    completion_tokens=None,
    duration_ms=0,
) -> AICall:
    """Store one call's provenance and cost; paid usage is added to the supplier's day."""
    cost = ai_cost(prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)
    call = AICall.objects.create(
        task=task,
        kind=kind,
        provider=provider,
        model=model[:100],
        prompt_version=prompt_version,
        supplier_id=supplier_id,
        subject=subject[:100],
        status=status,
        error=error[:4000],
        attempts=attempts,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        cost_usd=cost,
        duration_ms=duration_ms,
    )
    tokens = (prompt_tokens or 0) + (completion_tokens or 0)
    if supplier_id is not None and (tokens or cost):
        AIUsageDay.objects.filter(supplier_id=supplier_id, day=timezone.localdate(call.created_at)).update(
            tokens=F("tokens") + tokens, cost_usd=F("cost_usd") + cost
        )
    return call
