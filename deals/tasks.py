"""Thin Celery tasks over deals.services: take ids, call one service, safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from .services import notifications, orders


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
