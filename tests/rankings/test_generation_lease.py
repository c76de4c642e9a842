"""Issue #18: a worker killed mid-generation. A run's "running" is a lease (lease_until, GENERATION_RUN_LEASE): the
next run of its period takes an expired one over and publishes only what is missing; a live one is left alone;
the sweeper sends again exactly the expired periods. And the broker's visibility timeout covers every task."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from rankings import services, tasks
from rankings.models import BoardKind, GenerationRun, Snapshot

from .conftest import NOW, PERIOD, build_market

pytestmark = pytest.mark.django_db

FIRST_BOARD = BoardKind.values[0]


@pytest.fixture
def market(categories):
    return build_market(categories, 12)


def killed_run(period=PERIOD, *, expired=True, attempts=1, publish_first_board=True):
    """What a worker killed by SIGKILL leaves: a running row, and the boards it had published before dying."""
    if publish_first_board:
        services.methodology_sync_builtin()
        services.leaderboard_generate(board=FIRST_BOARD, period=period, now=NOW)
    shift = -datetime.timedelta(minutes=1) if expired else services.GENERATION_RUN_LEASE
    return GenerationRun.objects.create(
        period=period, trigger="beat", started_at=NOW, lease_until=timezone.now() + shift, attempts=attempts
    )


def snapshot_keys(period=PERIOD):
    return list(
        Snapshot.objects.filter(period=period).order_by("pk").values_list("leaderboard__board", "leaderboard_id")
    )


def test_an_expired_run_is_taken_over_and_publishes_only_what_is_missing(market, categories):
    stuck = killed_run()
    before = snapshot_keys()
    assert len(before) == len(categories)

    run = services.leaderboard_generate_all(now=NOW, trigger="beat")

    assert run.pk == stuck.pk and GenerationRun.objects.filter(period=PERIOD).count() == 1
    assert (run.status, run.attempts, run.lease_until) == (GenerationRun.Status.SUCCEEDED, 2, None)
    assert run.boards_skipped == len(categories)
    assert run.snapshots_created == (len(BoardKind.values) - 1) * len(categories)
    keys = snapshot_keys()
    assert keys[: len(before)] == before and len(keys) == len(set(keys)) == len(BoardKind.values) * len(categories)


def test_a_live_run_is_left_alone(market):
    held = killed_run(expired=False, publish_first_board=False)

    result = tasks.leaderboard_generate_all_task.delay(PERIOD.isoformat(), "beat").get()

    assert result["run_id"] == held.pk and result["status"] == GenerationRun.Status.RUNNING
    held.refresh_from_db()
    assert held.attempts == 1 and held.status == GenerationRun.Status.RUNNING
    assert not Snapshot.objects.exists()


def test_older_stuck_runs_of_the_period_are_closed_by_the_takeover(market):
    older = killed_run(publish_first_board=False)
    newer = killed_run(publish_first_board=False)

    run = services.leaderboard_generate_all(now=NOW)

    older.refresh_from_db()
    assert run.pk == newer.pk and run.status == GenerationRun.Status.SUCCEEDED
    assert older.status == GenerationRun.Status.FAILED and f"run {newer.pk}" in older.error


def test_the_sweeper_sends_again_exactly_the_expired_periods(rulesets, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.leaderboard_generate_all_task, "delay", lambda *args: sent.append(args))
    week = datetime.timedelta(days=7)
    expired = killed_run(PERIOD, publish_first_board=False)
    killed_run(PERIOD - week, expired=False, publish_first_board=False)  # live
    worn_out = killed_run(PERIOD - 2 * week, attempts=services.GENERATION_RUN_MAX_ATTEMPTS, publish_first_board=False)
    GenerationRun.objects.create(period=PERIOD - 3 * week, status=GenerationRun.Status.SUCCEEDED, started_at=NOW)
    # An expired run next to a live one of the same period: the live worker finishes that period.
    killed_run(PERIOD - week, publish_first_board=False)

    result = tasks.leaderboard_run_sweep_task.delay().get()

    assert result == {"periods": [PERIOD.isoformat()], "failed": [worn_out.pk]}
    assert sent == [(PERIOD.isoformat(), "sweep")]
    worn_out.refresh_from_db()
    expired.refresh_from_db()
    assert worn_out.status == GenerationRun.Status.FAILED and expired.status == GenerationRun.Status.RUNNING


def test_the_swept_task_finishes_the_killed_run_without_duplicating_snapshots(market, categories):
    stuck = killed_run()
    before = snapshot_keys()

    assert services.leaderboard_run_sweep() == {"periods": [PERIOD.isoformat()], "failed": []}  # eager: runs now

    stuck.refresh_from_db()
    assert stuck.status == GenerationRun.Status.SUCCEEDED and stuck.trigger == "beat" and stuck.attempts == 2
    keys = snapshot_keys()
    assert keys[: len(before)] == before and len(keys) == len(set(keys)) == len(BoardKind.values) * len(categories)
    assert services.leaderboard_run_sweep() == {"periods": [], "failed": []}


def test_the_visibility_timeout_covers_every_task_and_every_retry_wait():
    """Redis redelivers an unacknowledged message after the visibility timeout: it must exceed the longest hard
    time limit (or a live task runs twice) and the longest countdown (or a waiting retry is delivered twice)."""
    from config.celery import app

    app.loader.import_default_modules()
    import marketplace.listings.tasks  # noqa: F401 - registered by config/celery.py, imported here for the check

    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    ours = [task for name, task in app.tasks.items() if not name.startswith("celery.")]
    assert len(ours) > 10
    longest = max((task.time_limit or settings.CELERY_TASK_TIME_LIMIT) for task in ours)
    assert longest == 2100 and longest < timeout <= longest + 600
    assert max(getattr(task, "retry_backoff_max", 0) or 0 for task in ours) < timeout
    # A run's lease is renewed by a heartbeat, not sized to the time limit: a killed run is swept within minutes.
    sweep = settings.CELERY_BEAT_SCHEDULE["leaderboard-run-sweep"]["schedule"]
    assert services.GENERATION_RUN_HEARTBEAT * 2 < services.GENERATION_RUN_LEASE
    assert (
        services.GENERATION_RUN_LEASE.total_seconds() + sweep
        <= 10 * 60
        < tasks.leaderboard_generate_all_task.time_limit
    )


@pytest.mark.django_db(transaction=True)
def test_a_live_run_keeps_renewing_its_lease_and_a_killed_one_stops(market, monkeypatch):
    """The heartbeat thread renews the lease while the run goes on, however long a board takes; when the process
    stops beating (here: the block ends without finishing the run, as a killed worker would leave it), the lease
    runs out and the sweeper sends the run again."""
    import time

    monkeypatch.setattr(services, "GENERATION_RUN_HEARTBEAT", datetime.timedelta(seconds=0.05))
    monkeypatch.setattr(services, "GENERATION_RUN_LEASE", datetime.timedelta(seconds=0.5))
    run = GenerationRun.objects.create(
        period=PERIOD, trigger="beat", started_at=NOW, lease_until=timezone.now() + services.GENERATION_RUN_LEASE
    )
    with services._lease_heartbeat(run):
        time.sleep(1.2)  # longer than the lease: only the heartbeat keeps it live
        run.refresh_from_db()
        assert run.lease_until > timezone.now()
    time.sleep(0.6)
    run.refresh_from_db()
    assert run.status == GenerationRun.Status.RUNNING and run.lease_until < timezone.now()
    monkeypatch.setattr(tasks.leaderboard_generate_all_task, "delay", lambda *args: None)  # only what is sent
    assert services.leaderboard_run_sweep()["periods"] == [PERIOD.isoformat()]
