"""Thin Celery tasks over marketplace.listings.services: take ids, call one service, safe to run twice.

Registered by config/celery.py (autodiscovery finds `<app>.tasks` only, and this is `marketplace.listings.tasks`).
"""

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from ai.exceptions import AIError
from ai.retry import TRANSIENT_AI_ERRORS, AITask

from . import services

BATCH_POLL_SECONDS = 10


def _listing_optimize_failed(task, exc, task_id, args, kwargs, einfo):
    """The final failure of listing_optimize_task: recorded on the suggestion; the listing is left as it was."""
    suggestion_id = args[0] if args else kwargs["suggestion_id"]
    if isinstance(exc, AIError) and exc.transient:
        reason = f"Gave up after {task.request.retries + 1} attempts: {exc}"
    else:
        # Not the seller's concern in detail (the traceback is in the worker log); say what happened to the listing.
        reason = f"The optimization stopped with an internal error ({type(exc).__name__}); nothing was changed."
    services.listing_suggestion_fail(suggestion_id=suggestion_id, error=reason)


# The one retry layer for an optimization: the AI call itself does not retry (services.listing_optimize passes
# retries=0). Backoff 30 s, 60 s, 120 s ... up to 10 min, with full jitter; at least what Retry-After asks.
@shared_task(
    bind=True,
    base=AITask,
    queue="ai",
    acks_late=True,
    autoretry_for=TRANSIENT_AI_ERRORS,
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=settings.AI_TASK_MAX_RETRIES,
    on_failure=_listing_optimize_failed,
)
def listing_optimize_task(self, suggestion_id: int) -> dict | None:
    """Optimize one listing. Transient AI errors are retried by the policy above; permanent ones are recorded on
    the suggestion by the service, and the final failure of any kind by `_listing_optimize_failed`."""
    suggestion = services.listing_optimize(suggestion_id=suggestion_id)
    if suggestion is None:
        return None  # deleted meanwhile
    return {"suggestion_id": suggestion.pk, "status": suggestion.status, "score_after": suggestion.score_after}


@shared_task(bind=True, queue="batch", autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def listing_batch_dispatch_task(self, batch_id: int) -> dict | None:
    """Fan a run out with at most AI_BATCH_CONCURRENCY products in flight, checking back until all are sent.

    If this poll is lost (worker killed, broker flushed), listing_lease_sweep_task sends a new one; a poll that
    finds another chain polled just now stops, so there is one chain per run."""
    progress = services.listing_batch_dispatch(
        batch_id=batch_id, poll_every=None if self.request.is_eager else BATCH_POLL_SECONDS
    )
    if self.request.is_eager:
        # Embedded default and tests: each dispatched task has already run, so keep sending in this call
        # (no self-scheduling, which would recurse) until nothing more can be sent.
        while progress and progress["waiting"] and progress["sent"]:
            progress = services.listing_batch_dispatch(batch_id=batch_id)
    elif progress and progress["polling"] and (progress["waiting"] or progress["in_flight"]):
        listing_batch_dispatch_task.apply_async((batch_id,), countdown=BATCH_POLL_SECONDS)
    return progress


@shared_task(queue="batch", autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def listing_rescore_nightly_task() -> dict:
    """Re-score every listing, then queue the weakest ones for optimization (one run per supplier)."""
    return services.listing_rescore_nightly()


@shared_task(queue="batch", autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def listing_batch_sweep_task() -> dict:
    """Beat: finish the runs whose poll was lost, failing their lost suggestions."""
    return services.listing_batch_sweep()


@shared_task(queue="batch", autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def listing_lease_sweep_task() -> dict:
    """Beat: suggestions and runs whose lease expired (worker killed, message lost) are sent again."""
    return services.listing_lease_sweep()
