"""Impressions are counted without a database write per result: each process adds them up in memory and hands a
batch to `ads_impressions_flush_task` every ADS_IMPRESSION_FLUSH_SECONDS (or ADS_IMPRESSION_FLUSH_SIZE distinct
rows). Impressions cost advertisers nothing, so a process that dies loses at most one batch of statistics."""

import atexit
import logging
import threading
import time
from collections import Counter

from django.conf import settings

logger = logging.getLogger(__name__)
_buffer: Counter = Counter()
_lock = threading.Lock()
_last_flush = time.monotonic()


def impressions_record(rows) -> None:
    """rows: (campaign_id, keyword_id, day ISO date, search term, language) — one per sponsored result shown."""
    global _last_flush
    with _lock:
        _buffer.update(rows)
        due = (
            len(_buffer) >= settings.ADS_IMPRESSION_FLUSH_SIZE
            or time.monotonic() - _last_flush >= settings.ADS_IMPRESSION_FLUSH_SECONDS
        )
    if due:
        impressions_flush()


def impressions_flush() -> int:
    """Send what this process counted to the flush task; returns the number of rows sent."""
    global _last_flush
    from .tasks import ads_impressions_flush_task

    with _lock:
        batch = [[*key, count] for key, count in _buffer.items()]
        _buffer.clear()
        _last_flush = time.monotonic()
    if batch:
        ads_impressions_flush_task.delay(rows=batch)
    return len(batch)


@atexit.register
def _flush_at_exit() -> None:
    """A web process that stops (a deploy, a scale-down) hands over what it counted since its last batch."""
    pending = len(_buffer)
    if pending:
        try:
            impressions_flush()
        except Exception:  # the broker or database may already be gone at interpreter exit
            logger.warning("ads: %d impression rows lost at exit", pending, exc_info=True)
