"""Thin Celery tasks over rankings.services; safe to run twice (published periods are skipped)."""

from datetime import date

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, soft_time_limit=1800, time_limit=2100
)
def leaderboard_generate_all_task(period: str | None = None, trigger: str = "beat") -> dict:
    """Publish every board for the period (ISO date, default: this week). Retries only on database hiccups."""
    run = services.leaderboard_generate_all(period=date.fromisoformat(period) if period else None, trigger=trigger)
    return {
        "run_id": run.pk,
        "period": run.period.isoformat(),
        "status": run.status,
        "snapshots_created": run.snapshots_created,
        "boards_skipped": run.boards_skipped,
    }


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def supplier_order_metrics_recompute_all_task() -> int:
    """Nightly: delivery, dispute and rating figures age out of their 12-month window even when nothing happens."""
    return services.supplier_order_metrics_recompute_all()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def leaderboard_run_sweep_task() -> dict:
    """Beat: leaderboard runs whose worker died are taken over (published boards are skipped)."""
    return services.leaderboard_run_sweep()
