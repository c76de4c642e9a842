"""The Celery app. Configuration comes from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("silkway")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Autodiscovery finds `<app>.tasks` only; listing optimization's tasks live one package down in the marketplace app.
app.autodiscover_tasks(["marketplace.listings"])

# Observability (core/observability.py): the request id travels in the task headers and is set again around the task,
# so a task's log lines carry the id of the request that queued it; outcomes are counted for /admin/ops/tasks/.
from celery import signals  # noqa: E402

from core import observability  # noqa: E402

signals.before_task_publish.connect(observability.task_publish_add_request_id, weak=False)
signals.task_prerun.connect(observability.task_prerun_set_request_id, weak=False)
signals.task_postrun.connect(observability.task_postrun_clear_request_id, weak=False)
signals.task_success.connect(observability.task_success_count, weak=False)
signals.task_failure.connect(observability.task_failure_count, weak=False)

# The read replica's "this request wrote, stay on the primary" mark (core/db.py) lives in a context variable, which a
# worker thread keeps from one task to the next: each task starts with nothing written.
from core import db as core_db  # noqa: E402

signals.task_prerun.connect(core_db.forget_writes_at_task_start, weak=False)


@signals.setup_logging.connect(weak=False)
def _use_django_logging(**kwargs):
    """Workers log through settings.LOGGING (JSON lines in production) instead of Celery's own format."""
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
