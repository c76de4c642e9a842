"""Thin Celery tasks: call one service, safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def reminders_send_task() -> int:
    """Every 5 minutes (CELERY_BEAT_SCHEDULE): reminders for sessions starting soon, and fresh badges for
    sessions that started or ended since the last run."""
    services.live_status_refresh()
    return services.reminders_send()
