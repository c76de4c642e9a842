"""Thin Celery tasks for the marketplace (AI listing optimization has its own: marketplace/listings/tasks.py)."""

from celery import shared_task
from django.db import OperationalError

from . import stats


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def product_views_flush_task(rows: list) -> int:
    """A web process's batch of product page views (marketplace.stats) into the daily counts."""
    return stats.product_views_add(rows=rows)
