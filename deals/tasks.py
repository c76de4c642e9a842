"""Thin Celery tasks over deals.services: take ids, call one service, safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from ai.exceptions import AIError
from ai.retry import TRANSIENT_AI_ERRORS, AITask

from .services import contracts, notifications, orders


def _contract_draft_failed(task, exc, task_id, args, kwargs, einfo):
    """The final failure of a draft: recorded on the contract (the parties see why and can try again)."""
    contract_id = args[0] if args else kwargs["contract_id"]
    if isinstance(exc, AIError) and exc.transient:
        reason = f"Gave up after {task.request.retries + 1} attempts: {exc}"
    else:
        reason = f"The draft stopped with an internal error ({type(exc).__name__}); nothing was written."
    contracts.contract_draft_fail(contract_id=contract_id, error=reason)


# The one retry layer for a draft: the AI call itself does not retry (retries=0). Backoff 30 s, 60 s, ... up to
# 10 min with jitter, at least what Retry-After asks; permanent AI errors are recorded by the service.
@shared_task(
    bind=True,
    base=AITask,
    queue="ai",
    acks_late=True,
    autoretry_for=(*TRANSIENT_AI_ERRORS, OperationalError),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=settings.AI_TASK_MAX_RETRIES,
    on_failure=_contract_draft_failed,
)
def contract_draft_task(self, contract_id: int) -> dict | None:
    contract = contracts.contract_draft(contract_id=contract_id, retries=0)
    if contract is None:
        return None  # deleted meanwhile
    return {"contract_id": contract.pk, "status": contract.status}


@shared_task(autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def order_notify_task(order_id: int, what: str) -> int:
    return notifications.order_notify(order_id=order_id, what=what)


@shared_task(autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def dispute_notify_overdue_task(dispute_id: int) -> int:
    return notifications.dispute_notify_overdue(dispute_id=dispute_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def deals_sweep_task() -> dict:
    """Beat, hourly: deliveries nobody confirmed, evidence nobody reviewed, disputes nobody answered."""
    return orders.deals_sweep()
