"""Thin Celery tasks: take ids, call one service, safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from suppliers.models import Supplier

from . import services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def supplier_metrics_recompute_task(supplier_id: int) -> dict | None:
    supplier = services.supplier_metrics_recompute(supplier_id=supplier_id)
    if supplier is None:
        return None  # Deleted meanwhile: nothing to do.
    return {
        "supplier_id": supplier.pk,
        "response_rate": float(supplier.response_rate) if supplier.response_rate is not None else None,
        "median_response_minutes": supplier.median_response_minutes,
    }


@shared_task
def supplier_metrics_recompute_all_task() -> int:
    """Nightly fan-out: one task per supplier, so one failure never blocks the rest."""
    supplier_ids = list(Supplier.objects.values_list("pk", flat=True))
    for supplier_id in supplier_ids:
        supplier_metrics_recompute_task.delay(supplier_id)
    return len(supplier_ids)


# --- AI listing optimization (marketplace.listing_optimization) ------------------------------------------------

BATCH_POLL_SECONDS = 10


@shared_task(bind=True, queue="ai", acks_late=True)
def listing_optimize_task(self, suggestion_id: int) -> dict | None:
    """Optimize one listing. Retries only transient AI errors (rate limits, 5xx, timeouts), with backoff;
    anything else is recorded on the suggestion as the reason it failed, and the listing is left untouched."""
    from django.conf import settings

    from ai.exceptions import AITransientError

    from . import listing_optimization

    attempt = self.request.retries
    while True:
        try:
            suggestion = listing_optimization.listing_optimize(suggestion_id=suggestion_id)
            break
        except AITransientError as error:
            if attempt >= settings.AI_TASK_MAX_RETRIES:
                suggestion = listing_optimization.listing_suggestion_fail(
                    suggestion_id=suggestion_id, error=f"Gave up after {attempt + 1} attempts: {error}"
                )
                break
            if self.request.is_eager:
                # No broker to schedule a later retry (embedded default, tests); the AI client has backed off already.
                attempt += 1
                continue
            countdown = error.retry_after or min(600, 30 * 2**attempt)
            raise self.retry(exc=error, countdown=countdown, max_retries=settings.AI_TASK_MAX_RETRIES) from error
    if suggestion is None:
        return None  # deleted meanwhile
    return {"suggestion_id": suggestion.pk, "status": suggestion.status, "score_after": suggestion.score_after}


@shared_task(bind=True, queue="batch")
def listing_optimize_batch_task(self, batch_id: int) -> dict | None:
    """Fan a run out with at most AI_BATCH_CONCURRENCY products in flight, checking back until all are sent."""
    from . import listing_optimization

    progress = listing_optimization.listing_batch_dispatch(batch_id=batch_id)
    if self.request.is_eager:
        # Embedded default and tests: each dispatched task has already run, so keep sending in this call
        # (no self-scheduling, which would recurse) until nothing more can be sent.
        while progress and progress["waiting"] and progress["sent"]:
            progress = listing_optimization.listing_batch_dispatch(batch_id=batch_id)
    elif progress and (progress["waiting"] or progress["in_flight"]):
        listing_optimize_batch_task.apply_async((batch_id,), countdown=BATCH_POLL_SECONDS)
    return progress


@shared_task(queue="batch")
def listing_rescore_nightly_task() -> dict:
    """Re-score every listing, then queue the weakest ones for optimization (one run per supplier)."""
    from . import listing_optimization

    changed = listing_optimization.listing_rescore_all()
    batch_ids = listing_optimization.listing_queue_weakest()
    return {"rescored": changed, "batches": batch_ids}
