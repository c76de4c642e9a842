"""Thin Celery tasks: take ids, call one service, safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from suppliers.models import Supplier

from . import metrics, services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def message_translate_for_counterpart_task(message_id: int) -> str | None:
    """A new message in its next reader's language. A model that fails falls back to the offline rules inside
    conversations.ai (the translation says what it is); the original is always shown."""
    translation = services.message_translate_for_counterpart(message_id=message_id)
    return translation.status if translation is not None else None


@shared_task(autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def message_reply_notify_task(message_id: int) -> int:
    """The buyer's e-mail about a supplier's answer; mail server hiccups (OSError) are retried."""
    return services.message_reply_notify(message_id=message_id)


@shared_task
def unanswered_notify_task() -> int:
    return services.unanswered_notify()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def supplier_metrics_recompute_task(supplier_id: int) -> dict | None:
    supplier = metrics.supplier_metrics_recompute(supplier_id=supplier_id)
    if supplier is None:
        return None  # Deleted meanwhile: nothing to do.
    return {
        "supplier_id": supplier.pk,
        "response_rate": float(supplier.response_rate) if supplier.response_rate is not None else None,
        "median_response_minutes": supplier.median_response_minutes,
        "response_sample_size": supplier.response_sample_size,
        "commitment_kept": supplier.commitment_kept,
    }


def recompute_on_commitment_change(sender, *, supplier_id: int, **kwargs) -> None:
    """suppliers.signals.response_commitment_changed (sent after the commit): measure the new commitment now
    rather than at night. Connected in apps.py."""
    supplier_metrics_recompute_task.delay(supplier_id)


@shared_task
def supplier_metrics_recompute_all_task() -> int:
    """Nightly fan-out: one task per supplier, so one failure never blocks the rest."""
    supplier_ids = list(Supplier.objects.values_list("pk", flat=True))
    for supplier_id in supplier_ids:
        supplier_metrics_recompute_task.delay(supplier_id)
    return len(supplier_ids)
