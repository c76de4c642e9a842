"""Structured logs, request ids carried into Celery tasks, and task outcome counts for operators (issue #18)."""

import json
import logging
import os
import re
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import redis
from celery import Celery, current_app, shared_task
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory

from core import observability
from core.middleware import RequestIdMiddleware
from tests.factories import UserFactory

BROKER_URL = (
    os.environ.get("CELERY_TEST_BROKER_URL") or os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/15"
)
HEX32 = re.compile(r"^[0-9a-f]{32}$")
task_logger = logging.getLogger("tests.config.test_logging.task")


@shared_task(name="tests.logging_probe_task")
def logging_probe_task(fail=False):
    task_logger.info("inside the task")
    if fail:
        raise RuntimeError("probe failed")
    return observability.request_id_var.get()


@pytest.fixture(autouse=True)
def _clean_counts():
    cache.clear()
    yield
    cache.clear()


# JSON lines and the request id filter.


def _record(message="hello", exc_info=None):
    record = logging.LogRecord("silkway.test", logging.ERROR, __file__, 1, message, None, exc_info)
    observability.RequestIdFilter().filter(record)
    return record


def test_json_formatter_writes_one_object_with_the_request_id_and_exception():
    token = observability.request_id_var.set("req-42")
    try:
        try:
            raise ValueError("boom")
        except ValueError:
            record = _record("hello\nworld", sys.exc_info())
    finally:
        observability.request_id_var.reset(token)
    line = observability.JsonFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["level"] == "ERROR"
    assert data["logger"] == "silkway.test"
    assert data["message"] == "hello\nworld"
    assert data["request_id"] == "req-42"
    assert datetime.fromisoformat(data["time"]).tzinfo is not None
    assert "ValueError: boom" in data["exc_info"]


def test_json_formatter_without_a_request_gives_null_request_id():
    data = json.loads(observability.JsonFormatter().format(_record()))
    assert data["request_id"] is None and data["message"] == "hello"


@pytest.mark.parametrize(
    ("env", "expected"),
    [({"DJANGO_DEBUG": "true"}, "text"), ({"DJANGO_DEBUG": "false"}, "json"), ({"DJANGO_LOG_FORMAT": "json"}, "json")],
)
def test_log_format_defaults_follow_debug(env, expected):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env = {**base, "DJANGO_SECRET_KEY": "x" * 50, **env}
    code = "import config.settings as s; print(s.LOGGING['handlers']['console']['formatter'])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == expected


# The request id middleware.


@pytest.mark.parametrize(
    ("sent", "kept"), [("abc-123.X_y", True), ("bad id", False), ("x" * 65, False), ("a\nb", False), (None, False)]
)
def test_request_id_is_kept_only_when_safe_and_returned(client, sent, kept):
    headers = {"X-Request-ID": sent} if sent is not None else {}
    response = client.get("/healthz", headers=headers)
    returned = response.headers["X-Request-ID"]
    assert returned == sent if kept else HEX32.match(returned)
    assert observability.request_id_var.get() is None  # not left behind after the request


def test_task_queued_inside_a_request_logs_with_that_requests_id(caplog):
    caplog.handler.addFilter(observability.RequestIdFilter())
    results = []

    def view(request):
        task_logger.info("in the view")
        results.append(logging_probe_task.delay().get())
        return HttpResponse("ok")

    request = RequestFactory().get("/", headers={"X-Request-ID": "req-from-proxy"})
    with caplog.at_level(logging.INFO, logger="tests.config.test_logging.task"):
        response = RequestIdMiddleware(view)(request)
    assert response.headers["X-Request-ID"] == "req-from-proxy"
    assert results == ["req-from-proxy"]
    lines = [(r.getMessage(), r.request_id) for r in caplog.records if r.name == task_logger.name]
    assert lines == [("in the view", "req-from-proxy"), ("inside the task", "req-from-proxy")]
    assert observability.request_id_var.get() is None


def test_publish_puts_the_request_id_in_the_headers_and_prerun_sets_it_from_them():
    headers = {}
    token = observability.request_id_var.set("req-7")
    try:
        observability.task_publish_add_request_id(headers=headers)
    finally:
        observability.request_id_var.reset(token)
    assert headers == {"request_id": "req-7"}
    # What the worker sees: Celery copies custom message headers onto task.request.
    result = logging_probe_task.apply(headers=headers)
    assert result.get() == "req-7"
    assert observability.request_id_var.get() is None  # cleared by task_postrun


@pytest.fixture
def redis_app():
    try:
        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2).ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis at {BROKER_URL} is required for this test: {error}")
    app = Celery("silkway-logging-test")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=BROKER_URL,
        result_backend=BROKER_URL,
        task_always_eager=False,
        task_default_queue="silkway-logging-test",
        task_routes={},
        worker_hijack_root_logger=False,
    )

    @app.task(name="tests.logging_probe_worker_task")
    def probe():
        return observability.request_id_var.get()

    app.set_current()
    yield app, probe
    from config.celery import app as project_app

    project_app.set_current()


def test_request_id_round_trips_through_a_real_broker_and_worker(redis_app):
    app, probe = redis_app
    with start_worker(app, perform_ping_check=False, queues=["silkway-logging-test"], pool="solo"):
        token = observability.request_id_var.set("req-through-redis")
        try:
            result = probe.delay()
        finally:
            observability.request_id_var.reset(token)
        # The worker runs in another thread, where the contextvar starts empty: the id came in the headers.
        assert result.get(timeout=20) == "req-through-redis"
        assert probe.delay().get(timeout=20) is None


# Outcome counts and the operators' page.


def test_success_and_failure_signals_count_per_task():
    logging_probe_task.delay()
    logging_probe_task.delay()
    # As in a worker: eager runs that propagate the exception to the caller (the embedded default) are not traced
    # as failures by Celery.
    assert logging_probe_task.apply(kwargs={"fail": True}, throw=False).failed()
    [row] = observability.task_stats(["tests.logging_probe_task"])
    assert row == {"task": "tests.logging_probe_task", "success": 2, "failure": 1}


def test_counts_cover_the_last_24_hourly_buckets_only():
    now = datetime(2026, 5, 1, 12, 30, tzinfo=UTC)
    for hours_ago, outcome in [(0, "success"), (23, "failure"), (24, "failure"), (30, "success")]:
        observability.record_task_outcome("t", outcome, now=now - timedelta(hours=hours_ago))
    assert observability.task_stats(["t", "never-ran"], now=now) == [
        {"task": "never-ran", "success": 0, "failure": 0},
        {"task": "t", "success": 1, "failure": 1},
    ]


def test_queue_depths_are_unknown_without_a_redis_broker():
    assert observability.queue_depths("", ["default"]) == {"default": "unknown"}
    assert observability.queue_depths("amqp://guest@localhost//", ["a", "b"]) == {"a": "unknown", "b": "unknown"}


def test_queue_depths_read_llen_from_redis():
    client = redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2)
    queue = f"silkway-depth-{uuid.uuid4().hex}"
    client.rpush(queue, "m1", "m2", "m3")
    try:
        assert observability.queue_depths(BROKER_URL, [queue, queue + "-empty"]) == {queue: 3, queue + "-empty": 0}
    finally:
        client.delete(queue)
    assert observability.queue_depths("redis://127.0.0.1:1/0", ["default"]) == {"default": "unknown"}


def test_known_queues_come_from_the_routes_and_schedule():
    assert {"default", "metrics", "ai", "batch"} <= set(observability.known_queues())


@pytest.mark.django_db
def test_ops_page_shows_counts_to_staff_only(client, settings):
    settings.CELERY_BROKER_URL = ""
    observability.record_task_outcome("conversations.tasks.supplier_metrics_recompute_task", "failure")
    response = client.get("/admin/ops/tasks/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(UserFactory())
    assert client.get("/admin/ops/tasks/").status_code == 302
    client.force_login(UserFactory(is_staff=True))
    response = client.get("/admin/ops/tasks/")
    assert response.status_code == 200
    rows = {row["task"]: row for row in response.context["tasks"]}
    assert rows["conversations.tasks.supplier_metrics_recompute_task"] == {
        "task": "conversations.tasks.supplier_metrics_recompute_task",
        "success": 0,
        "failure": 1,
    }
    assert "deals.tasks.deals_sweep_task" in rows  # every project task is listed, run or not
    assert response.context["queues"]["default"] == "unknown"
    assert b"supplier_metrics_recompute_task" in response.content


def test_task_stats_command(settings):
    settings.CELERY_BROKER_URL = ""
    observability.record_task_outcome("deals.tasks.deals_sweep_task", "success")
    from io import StringIO

    out = StringIO()
    call_command("task_stats", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert {"task": "deals.tasks.deals_sweep_task", "success": 1, "failure": 0} in report["tasks"]
    assert report["queues"]["default"] == "unknown"
    assert current_app.main == "silkway"
    out = StringIO()
    call_command("task_stats", stdout=out)
    assert re.search(r"deals\.tasks\.deals_sweep_task\s+1\s+0", out.getvalue())
    assert "queue default: unknown" in out.getvalue()
