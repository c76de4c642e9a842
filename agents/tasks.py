"""Thin Celery tasks for agents' OAuth housekeeping."""

from celery import shared_task
from oauth2_provider.models import clear_expired


@shared_task(queue="default")
def clear_expired_tokens_task() -> None:
    """Expired tokens and grants give no access but pile up; django-oauth-toolkit removes them in batches."""
    clear_expired()
