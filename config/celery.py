"""The Celery app. Configuration comes from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("silkway")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Autodiscovery finds `<app>.tasks` only; listing optimization's tasks live one package down in the marketplace app.
app.autodiscover_tasks(["marketplace.listings"])
