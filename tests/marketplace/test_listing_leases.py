# ruff: noqa: F811 - pytest fixtures imported from tests.ai.fake_openai are requested by parameter name
"""Issue #18: a worker killed mid-optimization. "Running" is a lease (started_at + services.suggestion_lease()):
a redelivered or re-requested task takes over an expired one and leaves a live one alone; the lease sweeper sends
again exactly the expired suggestions and the runs whose poll was lost; "Optimize with AI" restarts a stuck one."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from marketplace.listings import services
from marketplace.listings.models import BatchKind, ListingOptimizationBatch, ListingSuggestion, SuggestionStatus
from marketplace.listings.tasks import listing_batch_dispatch_task, listing_lease_sweep_task, listing_optimize_task
from tests.ai.fake_openai import use_offline  # noqa: F401
from tests.factories import CategoryFactory, ProductFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("use_offline")]

DESCRIPTION = "Brushless cordless drill, voltage 18V, max torque 60 N.m. Working temperature -10 to 40 °C."


@pytest.fixture
def products(supplier_a):
    category = CategoryFactory(slug="power-tools", name="Power Tools")
    return [
        ProductFactory(supplier=supplier_a, category=category, title=f"cordless drill {n}", description=DESCRIPTION)
        for n in range(4)
    ]


def running(product, *, started_ago: timedelta, batch=None, attempts=1) -> ListingSuggestion:
    """A suggestion a worker took `started_ago` (and then, if that is past the lease, was killed)."""
    suggestion = services.listing_suggestion_request(product=product, batch=batch, dispatch=False)
    sent = timezone.now() - started_ago
    ListingSuggestion.objects.filter(pk=suggestion.pk).update(
        status=SuggestionStatus.RUNNING, started_at=sent, dispatched_at=sent, attempts=attempts
    )
    suggestion.refresh_from_db()
    return suggestion


def expired():
    return services.suggestion_lease() + timedelta(minutes=1)


def live():
    return timedelta(minutes=1)


@pytest.fixture
def sent(monkeypatch):
    """The ids the sweeper sends (the tasks are not run, so the sweep's own effect is what is asserted)."""
    calls = {"optimize": [], "dispatch": []}
    monkeypatch.setattr(listing_optimize_task, "delay", lambda pk: calls["optimize"].append(pk))
    monkeypatch.setattr(listing_batch_dispatch_task, "delay", lambda pk: calls["dispatch"].append(pk))
    return calls


def test_the_lease_is_a_little_above_the_hard_time_limit():
    assert services.suggestion_lease() == timedelta(seconds=2 * django_settings.CELERY_TASK_TIME_LIMIT)


def test_a_redelivered_task_takes_over_an_expired_lease(products):
    stuck = running(products[0], started_ago=expired())

    listing_optimize_task.delay(stuck.pk)  # the broker redelivers the killed worker's message

    stuck.refresh_from_db()
    assert stuck.status == SuggestionStatus.PENDING and stuck.attempts == 2 and stuck.payload


def test_a_redelivered_task_leaves_a_live_lease_alone(products):
    held = running(products[0], started_ago=live())
    started_at = held.started_at

    listing_optimize_task.delay(held.pk)

    held.refresh_from_db()
    assert (held.status, held.attempts, held.started_at) == (SuggestionStatus.RUNNING, 1, started_at)


def test_requesting_again_restarts_an_expired_suggestion_and_reuses_a_live_one(
    products, django_capture_on_commit_callbacks
):
    stuck = running(products[0], started_ago=expired())
    held = running(products[1], started_ago=live())

    with django_capture_on_commit_callbacks(execute=True):
        again = services.listing_suggestion_request(product=products[0])
        same = services.listing_suggestion_request(product=products[1])

    assert again.pk == stuck.pk and same.pk == held.pk
    stuck.refresh_from_db()
    held.refresh_from_db()
    assert stuck.status == SuggestionStatus.PENDING and stuck.attempts == 2
    assert held.status == SuggestionStatus.RUNNING and held.attempts == 1


def test_optimize_with_ai_on_an_expired_running_suggestion_restarts_it(
    seller_a_client, products, django_capture_on_commit_callbacks
):
    stuck = running(products[0], started_ago=expired())

    with django_capture_on_commit_callbacks(execute=True):
        response = seller_a_client.post(
            reverse("seller:marketplace_product_changelist"),
            {"action": "optimize_with_ai", "_selected_action": [products[0].pk]},
        )

    assert response.status_code == 302
    batch = ListingOptimizationBatch.objects.get()
    stuck.refresh_from_db()
    assert stuck.batch_id == batch.pk and stuck.status == SuggestionStatus.PENDING and stuck.attempts == 2
    assert ListingSuggestion.objects.filter(product=products[0]).count() == 1
    batch.refresh_from_db()
    assert batch.finished_at is not None


def test_a_runs_dispatcher_sends_again_a_suggestion_whose_lease_expired(supplier_a, products):
    batch = ListingOptimizationBatch.objects.create(supplier=supplier_a, kind=BatchKind.CATALOG, total=2)
    stuck = running(products[0], started_ago=expired(), batch=batch)
    held = running(products[1], started_ago=live(), batch=batch)

    progress = listing_batch_dispatch_task.delay(batch.pk).get()

    stuck.refresh_from_db()
    held.refresh_from_db()
    assert stuck.status == SuggestionStatus.PENDING and held.status == SuggestionStatus.RUNNING
    assert (progress["done"], progress["in_flight"]) == (1, 1)


def test_the_sweeper_sends_again_exactly_the_expired_ones(supplier_a, products, sent):
    stuck = running(products[0], started_ago=expired())
    held = running(products[1], started_ago=live())
    worn_out = running(products[2], started_ago=expired(), attempts=django_settings.AI_TASK_MAX_RETRIES + 1)
    lost_message = services.listing_suggestion_request(product=products[3], dispatch=False)
    ListingSuggestion.objects.filter(pk=lost_message.pk).update(created_at=timezone.now() - expired())
    # Runs: one whose poll was lost, one polled a moment ago, one finished.
    lost_poll = ListingOptimizationBatch.objects.create(supplier=supplier_a, kind=BatchKind.CATALOG)
    polled = ListingOptimizationBatch.objects.create(supplier=supplier_a, kind=BatchKind.CATALOG)
    finished = ListingOptimizationBatch.objects.create(supplier=supplier_a, kind=BatchKind.CATALOG)
    long_ago = timezone.now() - expired()
    ListingOptimizationBatch.objects.filter(pk=lost_poll.pk).update(created_at=long_ago, polled_at=long_ago)
    ListingOptimizationBatch.objects.filter(pk=polled.pk).update(created_at=long_ago, polled_at=timezone.now())
    ListingOptimizationBatch.objects.filter(pk=finished.pk).update(created_at=long_ago, finished_at=long_ago)

    result = listing_lease_sweep_task.delay().get()

    assert result == {"resent": [stuck.pk, lost_message.pk], "failed": [worn_out.pk], "polls": [lost_poll.pk]}
    assert sent == {"optimize": [stuck.pk, lost_message.pk], "dispatch": [lost_poll.pk]}
    worn_out.refresh_from_db()
    held.refresh_from_db()
    assert worn_out.status == SuggestionStatus.FAILED and "stopped responding" in worn_out.error
    assert held.status == SuggestionStatus.RUNNING
    # Sent again just now (dispatched_at), so a second sweep finds nothing more; the batches are untouched.
    assert services.listing_lease_sweep() == {"resent": [], "failed": [], "polls": [lost_poll.pk]}


def test_duplicate_poll_chains_collapse_to_one(supplier_a, products):
    batch = ListingOptimizationBatch.objects.create(supplier=supplier_a, kind=BatchKind.CATALOG, total=1)
    running(products[0], started_ago=live(), batch=batch)

    first = services.listing_batch_dispatch(batch_id=batch.pk, poll_every=10)
    second = services.listing_batch_dispatch(batch_id=batch.pk, poll_every=10)  # the sweeper's poll, just after

    assert first["polling"] and not second["polling"]
    ListingOptimizationBatch.objects.filter(pk=batch.pk).update(polled_at=timezone.now() - timedelta(seconds=10))
    assert services.listing_batch_dispatch(batch_id=batch.pk, poll_every=10)["polling"]
