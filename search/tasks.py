"""Thin Celery tasks over search.services: the beat-scheduled safety nets under the signals. Idempotent (each
recomputes documents from the catalog), so a retry or a second run does no harm."""

from datetime import date

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, soft_time_limit=1800, time_limit=2100
)
def search_documents_refresh_derived_task(today: str | None = None) -> dict:
    """Nightly: reindex products whose certificates started or lapsed since they were indexed, and copy every
    supplier's current signals onto its documents. `today`: an ISO date (default: the local date)."""
    return services.search_documents_refresh_derived(today=date.fromisoformat(today) if today else None)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, soft_time_limit=600, time_limit=720)
def search_index_catch_up_task() -> int:
    """Hourly: reindex what the signals may have missed (saved after indexing, no document, unpublished)."""
    return services.search_index_catch_up()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, soft_time_limit=900, time_limit=1080)
def synonym_candidates_mine_task() -> dict:
    """Daily: propose synonym candidates from the recent result clicks (idempotent: evidence is recomputed)."""
    return services.synonym_candidates_mine()
