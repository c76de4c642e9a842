"""Thin Celery tasks: take ids, call one service, safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from ai.exceptions import AIError

from . import services


@shared_task(autoretry_for=(OperationalError, AIError), retry_backoff=True, max_retries=3)
def message_translate_for_counterpart_task(message_id: int) -> str | None:
    """A new message in its next reader's language; a model that fails is retried, then the page's Translate
    button remains (the original is always shown)."""
    translation = services.message_translate_for_counterpart(message_id=message_id)
    return translation.status if translation is not None else None


@shared_task(autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def message_reply_notify_task(message_id: int) -> int:
    """The buyer's e-mail about a supplier's answer; mail server hiccups (OSError) are retried."""
    return services.message_reply_notify(message_id=message_id)


@shared_task
def unanswered_notify_task() -> int:
    return services.unanswered_notify()
