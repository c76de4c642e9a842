"""Celery round-trip through a real Redis broker and a real worker (in a thread of this process)."""

import os

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker

from marketplace.services import inquiry_create
from tests.factories import ProductFactory

BROKER_URL = (
    os.environ.get("CELERY_TEST_BROKER_URL") or os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/15"
)


@pytest.fixture
def redis_celery_app():
    try:
        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2).ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis at {BROKER_URL} is required for this test: {error}")
    # A fresh app configured like production (from Django settings), pointed at Redis and not eager.
    app = Celery("silkway-test")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=BROKER_URL,
        result_backend=BROKER_URL,
        task_always_eager=False,
        task_default_queue="silkway-test",
        task_routes={},
        worker_hijack_root_logger=False,
    )
    app.autodiscover_tasks(["marketplace"], force=True)
    app.set_current()
    yield app
    from config.celery import app as project_app

    project_app.set_current()


@pytest.mark.django_db(transaction=True)
def test_metrics_task_round_trips_through_redis(redis_celery_app, buyer, supplier_a):
    from conversations.tasks import supplier_metrics_recompute_task

    product = ProductFactory(supplier=supplier_a)
    inquiry_create(buyer=buyer, product=product, body="hello")
    with start_worker(redis_celery_app, perform_ping_check=False, queues=["silkway-test"], pool="solo"):
        result = redis_celery_app.send_task(supplier_metrics_recompute_task.name, args=[supplier_a.pk])
        payload = result.get(timeout=30)
    assert payload["supplier_id"] == supplier_a.pk
    supplier_a.refresh_from_db()
    assert supplier_a.metrics_updated_at is not None


def test_project_celery_settings_are_json_with_time_limits():
    from config.celery import app

    assert app.conf.task_serializer == "json" and app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit > app.conf.task_soft_time_limit > 0
    assert app.conf.task_routes["conversations.tasks.supplier_metrics_*"] == {"queue": "metrics"}
