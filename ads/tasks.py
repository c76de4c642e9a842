"""Thin Celery tasks over ads.services: take ids, call one service, safe to run twice."""

from datetime import date

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from . import services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, soft_time_limit=300, time_limit=360)
def ads_campaign_tune_task(campaign_id: int, day: str | None = None) -> dict | None:
    """Smart keyword tuning for one campaign and day (ISO date; default today). A run already done that day is
    returned as it is; a failed run leaves the campaign as it was and records why."""
    run = services.campaign_tune(campaign_id=campaign_id, day=date.fromisoformat(day) if day else None)
    if run is None:
        return None  # the campaign was deleted meanwhile
    return {"run_id": run.pk, "state": run.state, "recommendations": run.recommendations.count()}


@shared_task
def ads_tune_all_task(day: str | None = None) -> int:
    """Nightly fan-out: one task per active campaign, so one failure never blocks the rest."""
    day = day or timezone.localdate().isoformat()
    campaign_ids = services.campaigns_to_tune(day=date.fromisoformat(day))
    for campaign_id in campaign_ids:
        ads_campaign_tune_task.delay(campaign_id, day)
    return len(campaign_ids)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def ads_impressions_flush_task(rows: list) -> int:
    """A web process's batch of impression counts (ads.impressions) into the daily figures."""
    return services.impressions_flush(rows=rows)
