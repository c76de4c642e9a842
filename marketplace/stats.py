"""Product page views, counted per product and day (ProductViewDay) for the seller's figures.

A view costs the product page no database statement: each process counts views in memory (core.counters) and hands
a batch to `product_views_flush_task` every PRODUCT_VIEW_FLUSH_SECONDS, which adds them to the day's rows. A product
page stays a read (the replica router keeps a visitor who wrote on the primary for a while), and a popular product's
row is updated once a batch, not once a visit. Link prefetches and obvious robots are not counted.
"""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core.counters import BufferedCounter

from .models import Product, ProductViewDay

# Crawlers and link previewers announce themselves in the user agent; buyers' browsers do not use these words.
ROBOT_AGENT = re.compile(r"bot|crawl|spider|slurp|preview|headless|facebookexternalhit|curl|wget|python-", re.I)


def _send(rows: list) -> None:
    from .tasks import product_views_flush_task

    product_views_flush_task.delay(rows=rows)


counter = BufferedCounter(
    "product views",
    send=_send,
    size=lambda: settings.PRODUCT_VIEW_FLUSH_SIZE,
    seconds=lambda: settings.PRODUCT_VIEW_FLUSH_SECONDS,
)


def is_countable_view(request) -> bool:
    """A page view by a person: a GET that is not a speculative prefetch and not from a crawler."""
    if request.method != "GET":
        return False
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    if "prefetch" in purpose.lower() or "prerender" in purpose.lower():
        return False
    return not ROBOT_AGENT.search(request.headers.get("User-Agent", ""))


def product_view_record(*, product_id: int, request=None) -> None:
    """Count one view of the product today (UTC). With `request`, only a person's GET counts (is_countable_view)."""
    if request is not None and not is_countable_view(request):
        return
    counter.add([(product_id, timezone.now().date().isoformat())])


def product_views_flush() -> int:
    """Send what this process counted to the flush task now; returns the number of rows sent."""
    return counter.flush()


def product_views_add(*, rows: list) -> int:
    """rows: [product id, ISO day, count]: add each count to the day's row (INSERT … ON CONFLICT DO UPDATE, the same
    SQL on SQLite and PostgreSQL). Products deleted since are skipped. Returns the number of rows written."""
    table = connection.ops.quote_name(ProductViewDay._meta.db_table)
    product_table = connection.ops.quote_name(Product._meta.db_table)
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        # In one order everywhere: two processes flushing the same rows wait for each other instead of deadlocking.
        for product_id, day, count in sorted(rows, key=lambda row: (row[0], row[1])):
            if int(count) <= 0:
                continue
            cursor.execute(
                f"INSERT INTO {table} (product_id, day, views) "  # noqa: S608 - our table names
                f"SELECT id, %s, %s FROM {product_table} WHERE id = %s "
                f"ON CONFLICT (product_id, day) DO UPDATE SET views = {table}.views + excluded.views",
                [date.fromisoformat(day), int(count), product_id],
            )
            written += cursor.rowcount
    return written
