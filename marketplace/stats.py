"""Product page views, counted per product and day (ProductViewDay) for the seller's figures.

Counting costs the product page one statement, whatever the page cache holds: an INSERT that adds one to the day's
row when it exists (ON CONFLICT … DO UPDATE, the same SQL on SQLite and PostgreSQL). Link prefetches and obvious
robots are not counted; a view that fails to count never fails the page.
"""

from __future__ import annotations

import logging
import re

from django.db import DatabaseError, connection
from django.utils import timezone

from .models import ProductViewDay

logger = logging.getLogger(__name__)

# Crawlers and link previewers announce themselves in the user agent; buyers' browsers do not use these words.
ROBOT_AGENT = re.compile(r"bot|crawl|spider|slurp|preview|headless|facebookexternalhit|curl|wget|python-", re.I)


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
    table = connection.ops.quote_name(ProductViewDay._meta.db_table)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (product_id, day, views) VALUES (%s, %s, 1) "  # noqa: S608 - our table name
                f"ON CONFLICT (product_id, day) DO UPDATE SET views = {table}.views + 1",
                [product_id, timezone.now().date()],
            )
    except DatabaseError:
        # A locked SQLite file or a lost connection: one view less is better than a failed product page.
        logger.warning("Could not count a view of product %s", product_id, exc_info=True)
