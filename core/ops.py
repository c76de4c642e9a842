"""Operators' view of the Celery tasks: outcomes per task name over the last 24 hours and the broker's queue depths.

Served at /admin/ops/tasks/ (staff only, through the admin site) and printed by `manage.py task_stats`.
"""

from celery import current_app
from django.contrib import admin
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache

from core import observability


def task_report() -> dict:
    # The project's app (config.celery, loaded by Django); autodiscovery imports the tasks modules on first use.
    current_app.loader.import_default_modules()
    return {
        "hours": observability.STATS_HOURS,
        "tasks": observability.task_stats(observability.project_task_names(current_app)),
        "queues": observability.queue_depths(),
    }


@never_cache
def task_stats_view(request):
    context = {**admin.site.each_context(request), "title": "Celery tasks", **task_report()}
    return TemplateResponse(request, "core/ops_tasks.html", context)
