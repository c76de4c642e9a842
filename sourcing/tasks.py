"""Thin Celery tasks over sourcing.services: take ids, call one service, safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from . import services


def _plan_failed(task, exc, task_id, args, kwargs, einfo):
    """The final failure of a plan: recorded on it (the buyer sees why and can try again); nothing half-written."""
    plan_id = args[0] if args else kwargs["plan_id"]
    services.sourcing_plan_fail(plan_id=plan_id, error=f"The plan could not be computed ({type(exc).__name__}).")


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, on_failure=_plan_failed)
def sourcing_plan_compute_task(self, plan_id: int) -> dict | None:
    plan = services.sourcing_plan_compute(plan_id=plan_id)
    if plan is None:
        return None  # deleted meanwhile
    return {"plan_id": plan.pk, "status": plan.status}


@shared_task(autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def rfq_notify_recipients_task(rfq_id: int) -> int:
    return services.rfq_notify_recipients(rfq_id=rfq_id)


@shared_task(autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def quote_notify_buyer_task(quote_id: int) -> int:
    return services.quote_notify_buyer(quote_id=quote_id)


@shared_task(autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def quote_notify_accepted_task(quote_id: int) -> int:
    return services.quote_notify_accepted(quote_id=quote_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def sourcing_plan_sweep_task() -> int:
    """Beat: plans whose worker died are computed again."""
    return services.sourcing_plan_sweep()
