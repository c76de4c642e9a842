"""Thin Celery tasks over accounts.services: take ids, call one service, return quietly when the user is gone.

Mail servers fail transiently (OSError covers refused connections and timeouts, smtplib's errors included): retried
with backoff. A retry after a send that did go out sends it twice, which is better than a buyer never getting it.
"""

from celery import shared_task
from django.db import OperationalError

from . import services

RETRY = {"autoretry_for": (OSError, OperationalError), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def email_verification_send_task(user_id: int) -> int:
    return services.email_verification_send(user_id=user_id)


@shared_task(**RETRY)
def buyer_welcome_send_task(user_id: int) -> int:
    return services.buyer_welcome_send(user_id=user_id)


@shared_task(**RETRY)
def password_reset_send_task(user_id: int) -> int:
    return services.password_reset_send(user_id=user_id)
