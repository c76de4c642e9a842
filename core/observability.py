"""Request ids in log lines and Celery tasks, JSON log lines, and Celery task outcome counts for operators.

The request id lives in a contextvar: RequestIdMiddleware (core/middleware.py) sets it per request, the Celery hooks
in config/celery.py carry it in the task headers and set it again around the task, and RequestIdFilter copies it onto
every log record. Task outcomes are counted per task name in hourly cache buckets (the default cache: shared Redis in
production) and shown on /admin/ops/tasks/ and by `manage.py task_stats`, with the broker's queue depths.
"""

import contextvars
import logging
import re
import uuid
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
TASK_HEADER = "request_id"
# A client's id is kept only if it is a short token: nothing that could forge log lines or fill the logs.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def clean_request_id(value) -> str | None:
    return value if isinstance(value, str) and _SAFE_REQUEST_ID.fullmatch(value) else None


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (the current request's or task's, else None) to every record."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(_JsonFormatter):
    """One JSON object per line: time, level, logger, message, request_id, and exc_info when there is one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s")
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", False)
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def formatTime(self, record, datefmt=None):  # noqa: N802 (logging's name)
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


# Celery hooks, connected in config/celery.py.


def task_publish_add_request_id(headers=None, **kwargs):
    request_id = request_id_var.get()
    if request_id and headers is not None and TASK_HEADER not in headers:
        headers[TASK_HEADER] = request_id


def _task_request_id(task) -> str | None:
    request = getattr(task, "request", None)
    if request is None:
        return None
    value = getattr(request, TASK_HEADER, None)
    if value is None:
        value = (getattr(request, "headers", None) or {}).get(TASK_HEADER)
    return clean_request_id(value)


_task_tokens: dict[str, list[contextvars.Token]] = {}


def task_prerun_set_request_id(task_id=None, task=None, **kwargs):
    request_id = _task_request_id(task) or request_id_var.get()
    _task_tokens.setdefault(task_id, []).append(request_id_var.set(request_id))


def task_postrun_clear_request_id(task_id=None, **kwargs):
    tokens = _task_tokens.get(task_id)
    if not tokens:
        return
    token = tokens.pop()
    if not tokens:
        _task_tokens.pop(task_id, None)
    try:
        request_id_var.reset(token)
    except ValueError:  # set in another context: nothing of ours to restore
        request_id_var.set(None)


# Outcome counts: one cache key per (outcome, task name, hour), kept a little over a day.

OUTCOMES = ("success", "failure")
STATS_HOURS = 24
_BUCKET_TIMEOUT = (STATS_HOURS + 2) * 3600


def _hour(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y%m%d%H")


def _key(outcome: str, task_name: str, hour: str) -> str:
    return f"ops:tasks:{outcome}:{hour}:{task_name}"


def record_task_outcome(task_name: str, outcome: str, now: datetime | None = None) -> None:
    key = _key(outcome, task_name, _hour(now))
    try:
        cache.add(key, 0, timeout=_BUCKET_TIMEOUT)
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=_BUCKET_TIMEOUT)
    except Exception:  # counting must never fail a task
        logging.getLogger(__name__).warning("could not count task %s %s", task_name, outcome, exc_info=True)


def task_success_count(sender=None, **kwargs):
    if sender is not None:
        record_task_outcome(sender.name, "success")


def task_failure_count(sender=None, **kwargs):
    if sender is not None:
        record_task_outcome(sender.name, "failure")


def task_stats(task_names, now: datetime | None = None, hours: int = STATS_HOURS) -> list[dict]:
    """Per task name: successes and failures in the last `hours` hourly buckets (this one included)."""
    now = now or datetime.now(UTC)
    buckets = [_hour(now - timedelta(hours=h)) for h in range(hours)]
    names = sorted(set(task_names))
    keys = [_key(o, n, b) for n in names for o in OUTCOMES for b in buckets]
    counts = cache.get_many(keys)
    rows = []
    for name in names:
        row = {"task": name}
        for outcome in OUTCOMES:
            row[outcome] = sum(int(counts.get(_key(outcome, name, b)) or 0) for b in buckets)
        rows.append(row)
    return rows


def project_task_names(app) -> list[str]:
    return sorted(name for name in app.tasks if not name.startswith("celery."))


def known_queues() -> list[str]:
    queues = {getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")}
    for route in (getattr(settings, "CELERY_TASK_ROUTES", None) or {}).values():
        if isinstance(route, dict) and route.get("queue"):
            queues.add(route["queue"])
    for entry in (getattr(settings, "CELERY_BEAT_SCHEDULE", None) or {}).values():
        queue = (entry.get("options") or {}).get("queue")
        if queue:
            queues.add(queue)
    return sorted(queues)


def queue_depths(broker_url: str | None = None, queues=None) -> dict[str, int | str]:
    """Messages waiting per queue (LLEN) when the broker is Redis; "unknown" for other brokers or on errors."""
    broker_url = settings.CELERY_BROKER_URL if broker_url is None else broker_url
    queues = known_queues() if queues is None else list(queues)
    if not broker_url.startswith(("redis://", "rediss://", "unix://")):
        return dict.fromkeys(queues, "unknown")
    try:
        import redis

        client = redis.Redis.from_url(broker_url, socket_timeout=2, socket_connect_timeout=2)
        try:
            return {queue: int(client.llen(queue)) for queue in queues}
        finally:
            client.close()
    except Exception:
        logging.getLogger(__name__).warning("could not read the broker's queue depths", exc_info=True)
        return dict.fromkeys(queues, "unknown")
