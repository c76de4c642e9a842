"""How fast and how reliably a supplier answers buyers, from real conversations: the figures buyers see on
storefronts, cards, search results and plans, recomputed by tasks and never typed by sellers.

The response commitment ("answers within 2 h, 9:00–18:00 China time") is measured on the same conversations. Its
clock runs only inside the supplier's working hours, in the supplier's time zone, and the rule is deliberately
simple so a buyer and a seller can check it by hand:

- With working hours, working days are Monday to Friday (the usual commitment; public holidays are not known to
  the platform and count as working days). A message that arrives before the hours waits for them, one after the
  hours or at the weekend waits for the next working day's start. So with a 2-hour commitment and hours 9:00–18:00,
  a message at 17:50 on a Friday is on time if answered by 10:50 on Monday.
- Without working hours, the clock runs around the clock, every day: a 2-hour commitment means 2 hours.
- Hours are wall-clock hours of the supplier's zone; the arithmetic is done in UTC, so a daylight-saving change
  neither adds nor loses time inside a working window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from statistics import median
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from suppliers.models import COMMITMENT_KEPT_PERCENT, COMMITMENT_MIN_SAMPLE, RESPONSE_WINDOW, Supplier

from .models import Conversation

METRICS_LOOKBACK = timedelta(days=30)
WORKING_DAYS = frozenset(range(5))  # Monday (0) to Friday (4)


@dataclass(frozen=True)
class WorkingHours:
    """When a commitment's clock runs: `start`–`end` on working days in `zone`; no hours means always."""

    zone: ZoneInfo
    start: time | None = None
    end: time | None = None

    @classmethod
    def of(cls, supplier) -> WorkingHours:
        return cls(ZoneInfo(supplier.response_timezone), supplier.response_hours_start, supplier.response_hours_end)

    @property
    def around_the_clock(self) -> bool:
        return self.start is None or self.end is None

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The day's working window in UTC, or None on a day off."""
        if day.weekday() not in WORKING_DAYS:
            return None
        start = datetime.combine(day, self.start, tzinfo=self.zone).astimezone(UTC)
        end = datetime.combine(day, self.end, tzinfo=self.zone).astimezone(UTC)
        return start, end


def commitment_deadline(received_at: datetime, minutes: int, hours: WorkingHours) -> datetime:
    """The latest first answer that keeps a commitment of `minutes` working minutes for a message received at
    `received_at` (aware). In UTC."""
    received = received_at.astimezone(UTC)
    if hours.around_the_clock:
        return received + timedelta(minutes=minutes)
    remaining = timedelta(minutes=minutes)
    day = received.astimezone(hours.zone).date()
    # Windows are at least an hour long (Supplier.clean), so a 24-hour commitment needs at most 24 working days;
    # the bound only guards against a window the database was given by hand.
    for _ in range(366 * 5):
        window = hours.window(day)
        if window is not None:
            start, end = max(window[0], received), window[1]
            if start < end:
                if remaining <= end - start:
                    return start + remaining
                remaining -= end - start
        day += timedelta(days=1)
    raise ValueError("working hours leave no time to answer in")


def answered_in_time(
    received_at: datetime, answered_at: datetime | None, minutes: int, hours: WorkingHours, *, now: datetime
) -> bool | None:
    """True or False once it is decided; None while an unanswered message is still within the commitment."""
    deadline = commitment_deadline(received_at, minutes, hours)
    if answered_at is not None and answered_at <= now:
        return answered_at <= deadline
    return False if deadline < now else None


def commitment_verdict(kept: int, sample: int) -> tuple[Decimal | None, bool | None]:
    """(share kept in %, kept?) for `kept` of `sample` conversations: kept at COMMITMENT_KEPT_PERCENT or more of at
    least COMMITMENT_MIN_SAMPLE; None when there are fewer ("too few conversations to tell")."""
    if not sample:
        return None, None
    rate = (Decimal(100) * kept / sample).quantize(Decimal("0.01"))
    if sample < COMMITMENT_MIN_SAMPLE:
        return rate, None
    return rate, rate >= COMMITMENT_KEPT_PERCENT


def supplier_metrics_recompute(*, supplier_id: int, now: datetime | None = None) -> Supplier | None:
    """Response rate, median first-response time and how well the response commitment is kept, from the last 30
    days of conversations buyers started.

    Response rate and median: conversations younger than the response window are left out (they cannot have failed
    yet); `response_sample_size` is how many they rest on. Commitment: every conversation of the 30 days that is
    answered or whose deadline has passed (`commitment_sample_size`). An answer recorded after `now` counts as none.
    Delivery, dispute and rating figures come from completed orders: rankings.services.supplier_order_metrics_recompute.
    """
    with transaction.atomic():
        # Locked, so a seller's change of commitment meanwhile waits and is measured by its own recompute.
        supplier = Supplier.objects.select_for_update().filter(pk=supplier_id).first()
        if supplier is None:
            return None
        return _recompute(supplier, now or timezone.now())


def _recompute(supplier: Supplier, now: datetime) -> Supplier:
    supplier_id = supplier.pk
    recent = list(
        Conversation.objects.filter(
            supplier_id=supplier_id, created_at__gte=now - METRICS_LOOKBACK, created_at__lte=now
        ).values_list("created_at", "first_response_at")
    )
    recent = [(created, answered if answered is not None and answered <= now else None) for created, answered in recent]
    started = [(created, answered) for created, answered in recent if created <= now - RESPONSE_WINDOW]
    response_minutes = [
        (answered - created).total_seconds() / 60 for created, answered in started if answered is not None
    ]
    on_time = [m for m in response_minutes if m <= RESPONSE_WINDOW.total_seconds() / 60]
    repeat = (
        Conversation.objects.filter(supplier_id=supplier_id)
        .values("buyer")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    buyers = Conversation.objects.filter(supplier_id=supplier_id).values("buyer").distinct().count()
    supplier.response_rate = round(100 * len(on_time) / len(started), 2) if started else None
    supplier.median_response_minutes = round(median(response_minutes)) if response_minutes else None
    supplier.response_sample_size = len(started)
    supplier.repeat_buyer_rate = round(100 * repeat / buyers, 2) if buyers else None

    supplier.commitment_kept_rate, supplier.commitment_kept, supplier.commitment_sample_size = None, None, 0
    if supplier.response_commitment_minutes:
        hours = WorkingHours.of(supplier)
        verdicts = [
            answered_in_time(created, answered, supplier.response_commitment_minutes, hours, now=now)
            for created, answered in recent
        ]
        decided = [v for v in verdicts if v is not None]
        supplier.commitment_sample_size = len(decided)
        supplier.commitment_kept_rate, supplier.commitment_kept = commitment_verdict(sum(decided), len(decided))

    supplier.metrics_updated_at = now
    supplier.save(
        update_fields=[
            "response_rate",
            "median_response_minutes",
            "response_sample_size",
            "repeat_buyer_rate",
            "commitment_kept_rate",
            "commitment_kept",
            "commitment_sample_size",
            "metrics_updated_at",
        ]
    )
    return supplier
