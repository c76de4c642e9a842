# ruff: noqa: F811 - pytest fixtures imported from tests.ai.fake_openai are requested by parameter name
"""The listing tasks' one retry policy (transient AI errors retried by the task, never inside the call; the final
failure recorded by on_failure; permanent failures not retried), the sweeper that finishes runs whose poll was
lost, and the tasks' registration with the worker. Real Celery in eager mode, the model over real HTTP."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from celery.signals import task_retry
from django.conf import settings as django_settings
from django.utils import timezone

from ai.exceptions import AITransientError
from ai.models import AICall
from marketplace.listings import selectors, services
from marketplace.listings.models import BatchKind, ListingOptimizationBatch, ListingSuggestion, SuggestionStatus
from marketplace.listings.tasks import listing_batch_sweep_task, listing_optimize_task
from marketplace.models import Product
from tests.ai.fake_openai import error_reply, json_reply, openai_server, use_offline, use_openai  # noqa: F401
from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

DESCRIPTION = "Brushless cordless drill, voltage 18V, max torque 60 N.m. Working temperature -10 to 40 °C."
REPLY = {
    "title": "18V Brushless Cordless Drill, 60 N·m",
    "description": {
        "overview": "Brushless cordless drill.",
        "selling_points": [],
        "customization": [],
        "packaging_and_shipping": [],
    },
    "attributes": [],
    "keywords": ["cordless drill"],
    "translations": [],
    "flags": [],
}


@pytest.fixture
def product(supplier_a):
    category = CategoryFactory(slug="power-tools", name="Power Tools")
    return ProductFactory(supplier=supplier_a, category=category, title="cordless drill", description=DESCRIPTION)


def listing_state(product):
    """Everything a suggestion could change on the product, including when it was last saved."""
    row = Product.objects.prefetch_related("attributes", "translations").get(pk=product.pk)
    return selectors.listing_snapshot(product=row), row.updated_at, row.quality_score


def queued(product, batch=None):
    return services.listing_suggestion_request(product=product, batch=batch, dispatch=False)


@pytest.fixture
def retries_seen():
    """The countdown of every retry the task schedules (Celery's task_retry signal)."""
    seen = []

    def receiver(sender=None, request=None, reason=None, **kwargs):
        seen.append(reason.when)

    task_retry.connect(receiver, weak=False)
    yield seen
    task_retry.disconnect(receiver)


# --- the retry policy --------------------------------------------------------------------------------------------


def test_transient_failure_is_retried_by_the_task_then_recorded_with_the_listing_untouched(
    product, use_openai, retries_seen
):
    budget = django_settings.AI_TASK_MAX_RETRIES
    assert listing_optimize_task.max_retries == budget and budget >= 1
    use_openai.chat(*[error_reply(503)] * (budget + 1))
    before = listing_state(product)
    suggestion = queued(product)

    result = listing_optimize_task.delay(suggestion.pk)

    # Eager mode runs like a worker: the caller gets a failed result, not an exception out of delay().
    assert result.state == "FAILURE"
    with pytest.raises(AITransientError):
        result.get()
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.FAILED
    assert f"Gave up after {budget + 1} attempts" in suggestion.error and "HTTP 503" in suggestion.error
    assert suggestion.attempts == budget + 1 and suggestion.finished_at is not None
    assert len(retries_seen) == budget and all(0 <= when <= 600 for when in retries_seen)
    # One retry layer: each task attempt made exactly one request, and each was recorded as one attempt.
    assert len(use_openai.requests_to("/chat/completions")) == budget + 1
    assert list(AICall.objects.values_list("status", "attempts")) == [("failed", 1)] * (budget + 1)
    assert suggestion.payload == {} and listing_state(product) == before


def test_a_retry_waits_at_least_what_retry_after_asks(product, use_openai, retries_seen):
    use_openai.chat(error_reply(429, headers={"Retry-After": "700"}), json_reply(REPLY))
    suggestion = queued(product)
    assert listing_optimize_task.delay(suggestion.pk).get()["status"] == SuggestionStatus.PENDING
    assert retries_seen == [700]  # above the backoff cap (600 s): the provider's wait wins
    assert len(use_openai.requests_to("/chat/completions")) == 2


@pytest.mark.parametrize(
    "reply, reason",
    [
        (error_reply(400, "bad model"), "rejected the request (HTTP 400)"),
        (json_reply({"title": "only a title"}), "failed validation"),
    ],
)
def test_a_permanent_failure_is_not_retried(product, use_openai, retries_seen, reply, reason):
    use_openai.chat(reply, json_reply(REPLY))  # a second request would succeed: it must never be made
    before = listing_state(product)
    suggestion = queued(product)
    result = listing_optimize_task.delay(suggestion.pk)
    assert result.state == "SUCCESS" and result.get()["status"] == SuggestionStatus.FAILED
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.FAILED and reason in suggestion.error
    assert suggestion.attempts == 1 and retries_seen == []
    assert len(use_openai.requests_to("/chat/completions")) == 1
    assert listing_state(product) == before


def test_a_run_carries_on_past_a_product_whose_retries_ran_out(
    supplier_a, product, use_openai, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(listing_optimize_task, "max_retries", 1)
    other = ProductFactory(
        supplier=supplier_a, category=product.category, title="impact driver", description=DESCRIPTION
    )
    # The first product's two attempts fail; the second product's first attempt succeeds.
    use_openai.chat(error_reply(500), error_reply(502), json_reply(REPLY))
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.listing_batch_create(supplier=supplier_a, products=[product, other], kind=BatchKind.SELECTION)
    batch.refresh_from_db()
    statuses = dict(batch.suggestions.values_list("product_id", "status"))
    assert statuses == {product.pk: SuggestionStatus.FAILED, other.pk: SuggestionStatus.PENDING}
    assert batch.finished_at is not None
    assert selectors.listing_batch_progress(batch=batch)["percent"] == 100


# --- the sweeper -------------------------------------------------------------------------------------------------


def age(queryset, seconds, *fields):
    """Move timestamps into the past, as if the run had been idle for `seconds`."""
    queryset.update(**{field: timezone.now() - timedelta(seconds=seconds) for field in fields})


def test_the_sweeper_finishes_a_run_whose_poll_was_lost(supplier_a, product, use_offline):
    idle = django_settings.AI_BATCH_IDLE_SECONDS + 60
    done, running, waiting = (
        product,
        *(
            ProductFactory(
                supplier=supplier_a, category=product.category, title=f"cordless drill {n}", description=DESCRIPTION
            )
            for n in range(2)
        ),
    )
    batch = ListingOptimizationBatch.objects.create(supplier=supplier_a, kind=BatchKind.CATALOG, total=3)
    made = queued(done, batch)
    services.listing_optimize(suggestion_id=made.pk)  # finished before the poll was lost
    lost_running = queued(running, batch)
    ListingSuggestion.objects.filter(pk=lost_running.pk).update(status=SuggestionStatus.RUNNING, attempts=1)
    lost_running.refresh_from_db()
    never_sent = queued(waiting, batch)
    age(ListingOptimizationBatch.objects.filter(pk=batch.pk), idle, "created_at")
    age(ListingSuggestion.objects.filter(pk=made.pk), idle, "dispatched_at", "started_at", "finished_at")
    age(ListingSuggestion.objects.filter(pk=lost_running.pk), idle, "dispatched_at", "started_at")
    before = {p.pk: listing_state(p) for p in (done, running, waiting)}

    result = listing_batch_sweep_task.delay().get()

    assert result == {"batches": [{"batch_id": batch.pk, "failed": 2}], "lone_failed": 0}
    batch.refresh_from_db()
    assert batch.finished_at is not None
    statuses = dict(batch.suggestions.values_list("pk", "status"))
    assert statuses == {
        made.pk: SuggestionStatus.PENDING,
        lost_running.pk: SuggestionStatus.FAILED,
        never_sent.pk: SuggestionStatus.FAILED,
    }
    for lost in (lost_running, never_sent):
        lost.refresh_from_db()
        assert "stopped responding" in lost.error and lost.finished_at is not None
    progress = selectors.listing_batch_progress(batch=batch)
    assert (progress["done"], progress["failed"], progress["waiting"], progress["in_flight"]) == (3, 2, 0, 0)
    assert {p.pk: listing_state(p) for p in (done, running, waiting)} == before
    # A late delivery of a lost item's task changes nothing, and a second sweep finds nothing to do.
    listing_optimize_task.delay(never_sent.pk)
    never_sent.refresh_from_db()
    assert never_sent.status == SuggestionStatus.FAILED and never_sent.attempts == 0
    assert listing_batch_sweep_task.delay().get() == {"batches": [], "lone_failed": 0}


def test_the_sweeper_leaves_live_and_finished_runs_alone(supplier_a, product, use_offline):
    idle = django_settings.AI_BATCH_IDLE_SECONDS + 60
    # Created long ago, but an item was sent a moment ago (a retry waiting its turn): alive.
    live = ListingOptimizationBatch.objects.create(supplier=supplier_a, kind=BatchKind.CATALOG, total=1)
    in_retry = queued(product, live)
    age(ListingOptimizationBatch.objects.filter(pk=live.pk), idle, "created_at")
    ListingSuggestion.objects.filter(pk=in_retry.pk).update(dispatched_at=timezone.now())
    # Idle for as long, but finished: nothing to sweep.
    finished = ListingOptimizationBatch.objects.create(
        supplier=supplier_a, kind=BatchKind.CATALOG, total=0, finished_at=timezone.now() - timedelta(seconds=idle)
    )
    age(ListingOptimizationBatch.objects.filter(pk=finished.pk), idle, "created_at")
    # Young and not yet started: alive.
    young = ListingOptimizationBatch.objects.create(supplier=supplier_a, kind=BatchKind.SELECTION, total=0)

    assert services.listing_batch_sweep() == {"batches": [], "lone_failed": 0}
    for batch in (live, young):
        batch.refresh_from_db()
        assert batch.finished_at is None
    in_retry.refresh_from_db()
    assert in_retry.status == SuggestionStatus.QUEUED
    # With a shorter idle limit the same live run counts as lost.
    age(ListingSuggestion.objects.filter(pk=in_retry.pk), 120, "dispatched_at")
    assert services.listing_batch_sweep(idle_seconds=60) == {
        "batches": [{"batch_id": live.pk, "failed": 1}],
        "lone_failed": 0,
    }


def test_a_lost_single_suggestion_is_failed_so_the_product_can_be_optimized_again(
    product, use_offline, django_capture_on_commit_callbacks
):
    idle = django_settings.AI_BATCH_IDLE_SECONDS + 60
    lost = queued(product)  # its task never arrived (the broker lost it), and nobody asked again
    age(ListingSuggestion.objects.filter(pk=lost.pk), idle, "created_at")
    before = listing_state(product)

    assert listing_batch_sweep_task.delay().get() == {"batches": [], "lone_failed": 1}

    lost.refresh_from_db()
    assert lost.status == SuggestionStatus.FAILED and "stopped responding" in lost.error
    assert listing_state(product) == before
    with django_capture_on_commit_callbacks(execute=True):
        fresh = services.listing_suggestion_request(product=product)
    fresh.refresh_from_db()
    assert fresh != lost and fresh.status == SuggestionStatus.PENDING


# --- registration ------------------------------------------------------------------------------------------------


def test_the_worker_registers_the_listing_tasks_that_beat_and_routes_name():
    """A fresh process, as a worker starts: autodiscovery must find marketplace.listings.tasks."""
    code = (
        "import json, sys, django; django.setup()\n"
        "from config.celery import app\n"
        "assert 'marketplace.listings.tasks' not in sys.modules\n"
        "app.loader.import_default_modules()\n"
        "print(json.dumps(sorted(app.tasks)))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    root = Path(__file__).resolve().parents[2]
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=120, check=True
    ).stdout
    registered = set(json.loads(output.splitlines()[-1]))
    listing_tasks = {
        "marketplace.listings.tasks.listing_optimize_task",
        "marketplace.listings.tasks.listing_batch_dispatch_task",
        "marketplace.listings.tasks.listing_rescore_nightly_task",
        "marketplace.listings.tasks.listing_batch_sweep_task",
        "marketplace.listings.tasks.listing_lease_sweep_task",
    }
    assert listing_tasks <= registered
    scheduled = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled <= registered
    assert {
        "marketplace.listings.tasks.listing_rescore_nightly_task",
        "marketplace.listings.tasks.listing_batch_sweep_task",
        "marketplace.listings.tasks.listing_lease_sweep_task",
    } <= scheduled
