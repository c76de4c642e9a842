"""Response figures and response commitments from real conversations (conversations/metrics.py): the 30-day
window, the sample, the median and rate, the working-hours clock, and kept / broken / too few to tell."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from conversations.metrics import (
    WorkingHours,
    answered_in_time,
    commitment_deadline,
    commitment_verdict,
    supplier_metrics_recompute,
)
from conversations.models import Conversation
from tests.factories import BuyerFactory, SupplierFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")  # UTC+8, no daylight saving
BERLIN = ZoneInfo("Europe/Berlin")  # daylight saving: last Sunday of March and of October
NINE_TO_SIX = WorkingHours(SHANGHAI, time(9), time(18))


def at(zone, *args):
    return datetime(*args, tzinfo=zone)


# --- the working-hours clock (pure) ---------------------------------------------------------------------------


def test_inside_hours_the_commitment_is_plain_minutes():
    # Wednesday 2025-03-05, 10:00 China time.
    assert commitment_deadline(at(SHANGHAI, 2025, 3, 5, 10), 120, NINE_TO_SIX) == at(SHANGHAI, 2025, 3, 5, 12)


def test_overnight_the_clock_stops_at_closing_and_resumes_at_opening():
    # 17:50 with 2 h: 10 minutes today, 110 tomorrow from 9:00 -> 10:50.
    deadline = commitment_deadline(at(SHANGHAI, 2025, 3, 5, 17, 50), 120, NINE_TO_SIX)
    assert deadline == at(SHANGHAI, 2025, 3, 6, 10, 50)
    assert deadline.tzinfo == UTC


def test_before_hours_the_clock_starts_at_opening():
    assert commitment_deadline(at(SHANGHAI, 2025, 3, 5, 6, 30), 30, NINE_TO_SIX) == at(SHANGHAI, 2025, 3, 5, 9, 30)


def test_after_hours_and_at_the_weekend_the_clock_waits_for_monday():
    friday_evening = at(SHANGHAI, 2025, 3, 7, 17, 50)  # 2025-03-07 is a Friday
    assert commitment_deadline(friday_evening, 120, NINE_TO_SIX) == at(SHANGHAI, 2025, 3, 10, 10, 50)
    saturday = at(SHANGHAI, 2025, 3, 8, 11)
    assert commitment_deadline(saturday, 60, NINE_TO_SIX) == at(SHANGHAI, 2025, 3, 10, 10)
    friday_night = at(SHANGHAI, 2025, 3, 7, 22)
    assert commitment_deadline(friday_night, 60, NINE_TO_SIX) == at(SHANGHAI, 2025, 3, 10, 10)


def test_a_long_commitment_spans_several_working_days():
    # 24 working hours at 9 a day: Monday 9:00 + 9 h + 9 h (Tue) + 6 h (Wed) -> Wednesday 15:00.
    assert commitment_deadline(at(SHANGHAI, 2025, 3, 3, 9), 1440, NINE_TO_SIX) == at(SHANGHAI, 2025, 3, 5, 15)


def test_a_message_given_in_another_zone_is_read_in_the_suppliers_zone():
    # 09:50 UTC is 17:50 in Shanghai.
    assert commitment_deadline(datetime(2025, 3, 5, 9, 50, tzinfo=UTC), 120, NINE_TO_SIX) == at(
        SHANGHAI, 2025, 3, 6, 10, 50
    )


def test_without_hours_the_clock_runs_around_the_clock_every_day():
    always = WorkingHours(SHANGHAI)
    assert commitment_deadline(at(SHANGHAI, 2025, 3, 8, 23, 30), 60, always) == at(SHANGHAI, 2025, 3, 9, 0, 30)


def test_daylight_saving_changes_neither_add_nor_lose_working_time():
    hours = WorkingHours(BERLIN, time(9), time(18))
    # Friday 2025-03-28 17:00 CET; Monday 31st is CEST: one hour Friday, one Monday -> Monday 10:00 CEST.
    deadline = commitment_deadline(at(BERLIN, 2025, 3, 28, 17), 120, hours)
    assert deadline == at(BERLIN, 2025, 3, 31, 10)
    assert deadline == datetime(2025, 3, 31, 8, tzinfo=UTC)  # CEST is UTC+2
    # And back in autumn: Friday 2025-10-24 17:30 CEST, 90 min: 30 on Friday, 60 on Monday 27th -> 10:00 CET (UTC+1).
    deadline = commitment_deadline(at(BERLIN, 2025, 10, 24, 17, 30), 90, hours)
    assert deadline == datetime(2025, 10, 27, 9, tzinfo=UTC)


def test_answered_in_time_waits_while_the_deadline_is_ahead():
    received = at(SHANGHAI, 2025, 3, 5, 17, 50)
    on_time, late = at(SHANGHAI, 2025, 3, 6, 10, 50), at(SHANGHAI, 2025, 3, 6, 10, 51)
    now = at(SHANGHAI, 2025, 3, 20)
    assert answered_in_time(received, on_time, 120, NINE_TO_SIX, now=now) is True
    assert answered_in_time(received, late, 120, NINE_TO_SIX, now=now) is False
    assert answered_in_time(received, None, 120, NINE_TO_SIX, now=now) is False
    assert answered_in_time(received, None, 120, NINE_TO_SIX, now=at(SHANGHAI, 2025, 3, 6, 9)) is None
    # An answer recorded after `now` is not known yet.
    assert answered_in_time(received, on_time, 120, NINE_TO_SIX, now=at(SHANGHAI, 2025, 3, 6, 9)) is None


def test_verdict_kept_at_90_percent_of_at_least_5():
    assert commitment_verdict(0, 0) == (None, None)
    assert commitment_verdict(4, 4) == (Decimal("100.00"), None)  # too few to tell
    assert commitment_verdict(9, 10) == (Decimal("90.00"), True)
    assert commitment_verdict(8, 10) == (Decimal("80.00"), False)
    assert commitment_verdict(36, 37)[1] is True


# --- the recompute (database) ---------------------------------------------------------------------------------

NOW = at(SHANGHAI, 2025, 3, 21, 12)  # a Friday noon


def talk(supplier, buyer, created, answer_minutes=None):
    answered = created + timedelta(minutes=answer_minutes) if answer_minutes is not None else None
    return Conversation(
        buyer=buyer,
        supplier=supplier,
        subject="Quote please",
        created_at=created,
        first_response_at=answered,
        last_message_at=answered or created,
        status="answered" if answered else "open",
    )


@pytest.mark.django_db
def test_recompute_window_sample_median_rate_and_a_kept_commitment():
    supplier = SupplierFactory(
        response_commitment_minutes=120, response_hours_start=time(9), response_hours_end=time(18)
    )
    buyer = BuyerFactory()
    weekday_10am = [at(SHANGHAI, 2025, 3, d, 10) for d in (3, 4, 5, 6, 7, 10, 11, 12)]
    rows = [talk(supplier, buyer, created, 30) for created in weekday_10am[:6]]  # six in 30 min
    rows.append(talk(supplier, buyer, weekday_10am[6], 100))  # in time (2 h)
    rows.append(talk(supplier, buyer, weekday_10am[7], 26 * 60))  # a day late, outside 24 h too
    rows.append(talk(supplier, buyer, NOW - timedelta(days=31), 5))  # outside the 30 days
    rows.append(talk(supplier, buyer, NOW - timedelta(minutes=30)))  # unanswered, still within the commitment
    Conversation.objects.bulk_create(rows)

    supplier = supplier_metrics_recompute(supplier_id=supplier.pk, now=NOW)
    assert supplier.response_sample_size == 8  # the 31-day-old and the 30-minute-old ones are not in it
    assert supplier.response_rate == Decimal("87.50")  # 7 of 8 within 24 h
    assert supplier.median_response_minutes == 30
    assert supplier.commitment_sample_size == 8  # the pending one cannot have failed yet
    assert supplier.commitment_kept_rate == Decimal("87.50")
    assert supplier.commitment_kept is False

    # The late answer was an unanswered question instead, now answered in time: 8 of 9 decided -> not kept...
    Conversation.objects.filter(supplier=supplier, first_response_at__isnull=True).update(
        first_response_at=NOW - timedelta(minutes=10), status="answered"
    )
    Conversation.objects.filter(supplier=supplier, created_at=weekday_10am[7]).delete()
    supplier = supplier_metrics_recompute(supplier_id=supplier.pk, now=NOW)
    assert (supplier.commitment_sample_size, supplier.commitment_kept_rate, supplier.commitment_kept) == (
        8,
        Decimal("100.00"),
        True,
    )


@pytest.mark.django_db
def test_too_few_conversations_to_tell_and_no_commitment():
    supplier = SupplierFactory(response_commitment_minutes=60)
    plain = SupplierFactory()
    buyer = BuyerFactory()
    Conversation.objects.bulk_create(
        [talk(s, buyer, NOW - timedelta(days=d), 10) for s in (supplier, plain) for d in (2, 3, 4)]
    )
    supplier = supplier_metrics_recompute(supplier_id=supplier.pk, now=NOW)
    assert (supplier.commitment_sample_size, supplier.commitment_kept) == (3, None)
    assert supplier.commitment_kept_rate == Decimal("100.00")
    plain = supplier_metrics_recompute(supplier_id=plain.pk, now=NOW)
    assert plain.response_sample_size == 3
    assert (plain.commitment_sample_size, plain.commitment_kept_rate, plain.commitment_kept) == (0, None, None)
    assert supplier_metrics_recompute(supplier_id=10**9) is None


@pytest.mark.django_db
def test_no_conversations_leaves_no_figures():
    supplier = supplier_metrics_recompute(supplier_id=SupplierFactory().pk, now=NOW)
    assert (supplier.response_rate, supplier.median_response_minutes, supplier.response_sample_size) == (None, None, 0)
