"""Impressions are counted without a database write per result (core.counters): each process adds them up in memory
and hands a batch to `ads_impressions_flush_task` every ADS_IMPRESSION_FLUSH_SECONDS (or ADS_IMPRESSION_FLUSH_SIZE
distinct rows). Impressions cost advertisers nothing, so a process that dies loses at most one batch of statistics."""

from django.conf import settings

from core.counters import BufferedCounter


def _send(rows: list) -> None:
    from .tasks import ads_impressions_flush_task

    ads_impressions_flush_task.delay(rows=rows)


counter = BufferedCounter(
    "ads impressions",
    send=_send,
    size=lambda: settings.ADS_IMPRESSION_FLUSH_SIZE,
    seconds=lambda: settings.ADS_IMPRESSION_FLUSH_SECONDS,
)


def impressions_record(rows) -> None:
    """rows: (campaign_id, keyword_id, day ISO date, search term, language) — one per sponsored result shown."""
    counter.add(rows)


def impressions_flush() -> int:
    """Send what this process counted to the flush task; returns the number of rows sent."""
    return counter.flush()
