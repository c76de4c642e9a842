"""Issue #18: a real Celery worker killed with SIGKILL mid-task loses nothing and duplicates nothing.

Real worker processes (`celery -A config worker`, prefork, as in production) run against Redis and against this
test's PostgreSQL database; the task is a listing optimization whose model call (the fake OpenAI server, over real
HTTP) is slow, so the worker can be killed while it holds the suggestion's lease. Nothing is mocked: the worker
reads a short task time limit (the lease is twice it, marketplace.listings.services.suggestion_lease) and a short
broker visibility timeout from the environment (CELERY_TASK_TIME_LIMIT, CELERY_BROKER_VISIBILITY_TIMEOUT), as a
deployment would.

- the whole worker is killed (parent and pool child, as when its container or node dies): the unacknowledged message
  stays in Redis, a worker started later gets it back once the visibility timeout has passed, and takes the expired
  lease over; one suggestion, one successful model call, nothing queued afterwards;
- only the pool child is killed (what the kernel's OOM killer picks): the parent acknowledges the message and
  records WorkerLostError, the suggestion stays running (not failed), and the lease sweeper, sent as beat sends it,
  starts it again once the lease has expired;
- a second delivery while the lease is live (a duplicate message, a seller asking again) does not run it twice.

PostgreSQL only: the worker subprocess must see the rows this test commits, and SQLite's test database is in memory.
Redis: a database of its own (`CELERY_KILL_TEST_BROKER_URL`, default db 14 of the test broker's server), emptied
before and after each test under a lock, because the workers listen on the real queue names and restore every
unacknowledged message of their database.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection

from ai.models import AICall, CallStatus
from marketplace.listings import services
from marketplace.listings.models import ListingSuggestion, SuggestionStatus
from tests.ai.fake_openai import FakeOpenAIServer, Reply, json_reply
from tests.factories import CategoryFactory, ProductFactory
from tests.marketplace.test_listing_tasks import DESCRIPTION, REPLY  # the same drill and valid suggestion

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]

pytestmark = [
    pytest.mark.skipif(
        not POSTGRES,
        reason="needs PostgreSQL: the worker subprocess shares the test database, and SQLite's is in this process's "
        "memory",
    ),
    pytest.mark.django_db(transaction=True),
]


def _kill_test_broker_url() -> str:
    explicit = os.environ.get("CELERY_KILL_TEST_BROKER_URL")
    if explicit:
        return explicit
    base = os.environ.get("CELERY_TEST_BROKER_URL") or "redis://127.0.0.1:6379/15"
    return urlunsplit(urlsplit(base)._replace(path="/14"))


BROKER_URL = _kill_test_broker_url()
# Seconds. The lease of a running suggestion is twice the hard time limit (16 s); the broker gives an unacknowledged
# message back a little after the lease has expired, so the redelivery takes the suggestion over.
# A fresh pool process takes a few seconds from taking the lease to calling the model (it imports the SDK): the
# soft limit (a second less) must not fire before the test kills it.
TIME_LIMIT = 8
LEASE = 2 * TIME_LIMIT
VISIBILITY_TIMEOUT = LEASE + 2
SLOW_REPLY = 60  # the first model call: far longer than any wait here (the worker is killed during it)
BOUND = 60  # the most any step may take on a loaded 2-core CI runner
QUEUES = "default,metrics,ai,batch"
OPTIMIZE = "marketplace.listings.tasks.listing_optimize_task"
LEASE_SWEEP = "marketplace.listings.tasks.listing_lease_sweep_task"
LOCK = "silkway-test-worker-kill-lock"


# --- the broker, the model, the workers ----------------------------------------------------------------------------


def _empty(client) -> None:
    for key in client.scan_iter():
        if key != LOCK.encode():
            client.delete(key)


@pytest.fixture
def broker():
    """The Redis database of these tests, empty, held by this test alone (xdist workers, other runs)."""
    client = redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis at {BROKER_URL} is required for this test: {error}")
    lock = client.lock(LOCK, timeout=600, blocking_timeout=900)
    assert lock.acquire(), "another run of the worker-kill tests held the broker database for 15 minutes"
    _empty(client)
    yield client
    _empty(client)
    lock.release()


@pytest.fixture
def sender(broker):
    """Publishes as the site and beat do (JSON, acks late), to this broker database."""
    app = Celery("silkway-kill-test")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    # broker_write_url too: Celery prefers a CELERY_BROKER_URL environment variable (CI sets one) to broker_url.
    app.conf.update(
        broker_url=BROKER_URL,
        broker_write_url=BROKER_URL,
        broker_read_url=BROKER_URL,
        result_backend=BROKER_URL,
        task_always_eager=False,
    )
    yield app
    app.close()
    from config.celery import app as project_app

    project_app.set_current()


@pytest.fixture
def model():
    """The OpenAI-compatible server: the first chat call is slow (scripted), later ones answer at once."""
    server = FakeOpenAIServer().start()
    server.chat_responder = lambda body: json_reply(REPLY)
    yield server
    server.stop()


def _database_url() -> str:
    """The test database (test_<name>, per xdist worker), for the worker subprocess."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or ''}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in {"Z", "X"}
    except OSError:
        return True


class Workers:
    """`celery -A config worker` processes started by this test, with the environment a deployment would give
    them; whatever is still alive at the end is stopped (SIGQUIT, then SIGKILL), by process id."""

    def __init__(self, tmp_path: Path, model: FakeOpenAIServer):
        self.tmp_path = tmp_path
        self.model = model
        self.started: list[subprocess.Popen] = []
        self.pool_pids: set[int] = set()
        self.run = uuid.uuid4().hex[:12]  # in every node name: a process is ours if its command line has it

    def env(self, time_limit: int) -> dict:
        keep = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("CELERY_", "DATABASE_", "AI_", "OPENAI_", "REDIS_", "DJANGO_"))
        }
        return {
            **keep,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_LOG_FORMAT": "text",
            "DATABASE_URL": _database_url(),
            "DATABASE_CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": BROKER_URL,
            "CELERY_RESULT_BACKEND": BROKER_URL,
            "CELERY_TASK_TIME_LIMIT": str(time_limit),
            "CELERY_TASK_SOFT_TIME_LIMIT": str(time_limit - 1),
            "CELERY_BROKER_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "AI_PROVIDER": "openai",
            "OPENAI_API_KEY": "sk-test-local",
            "OPENAI_BASE_URL": self.model.base_url,
            "AI_MODEL": "fake-model",
            "AI_TIMEOUT_SECONDS": str(SLOW_REPLY * 2),
        }

    def start(self, name: str, *, concurrency: int = 1, time_limit: int = TIME_LIMIT) -> subprocess.Popen:
        log = (self.tmp_path / f"{name}.log").open("wb")
        node = f"{name}-{self.run}@%h"
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", QUEUES, "-n", node]
        command += ["--pool", "prefork", "-c", str(concurrency), "-l", "info"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        environment = self.env(time_limit)
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self.started.append(process)
        return process

    def pool(self, process: subprocess.Popen, count: int) -> list[int]:
        pids = wait_for(lambda: len(_children(process.pid)) >= count and _children(process.pid), self, "pool processes")
        assert all(self.ours(pid) for pid in pids)
        self.pool_pids.update(pids)
        return pids

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n" + path.read_text(errors="replace")[-4000:] for path in self.tmp_path.glob("*.log")
        )

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                self.pool_pids.update(_children(process.pid))
                process.send_signal(signal.SIGQUIT)  # cold shutdown: nothing of the test's is running any more
        for process in self.started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        for pid in self.pool_pids:
            if not _gone(pid) and self.ours(pid):
                os.kill(pid, signal.SIGKILL)

    def ours(self, pid: int) -> bool:
        try:
            return self.run.encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False


@pytest.fixture
def workers(tmp_path, model, broker):
    started = Workers(tmp_path, model)
    yield started
    started.stop_all()


def wait_for(condition, workers: Workers, what: str, bound: float = BOUND):
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"{what}: not within {bound} s\n{workers.logs()}")


# --- the listing ---------------------------------------------------------------------------------------------------


@pytest.fixture
def suggestion(supplier_a):
    """A seller asked for an optimization: the queued suggestion, whose message the test then sends."""
    category = CategoryFactory(slug="power-tools", name="Power Tools")
    product = ProductFactory(supplier=supplier_a, category=category, title="cordless drill", description=DESCRIPTION)
    return services.listing_suggestion_request(product=product, dispatch=False)


def state(suggestion) -> ListingSuggestion:
    return ListingSuggestion.objects.get(pk=suggestion.pk)


def chat_calls(model) -> int:
    return len(model.requests_to("/chat/completions"))


def running_in_the_model(suggestion, model, workers):
    """Until the worker holds the lease and waits on the (slow) model."""
    wait_for(
        lambda: state(suggestion).status == SuggestionStatus.RUNNING and chat_calls(model) >= 1,
        workers,
        "the worker taking the suggestion and calling the model",
    )


def assert_made_once(suggestion, *, attempts: int, chat: int, model) -> None:
    rows = list(ListingSuggestion.objects.filter(product_id=suggestion.product_id))
    assert [(row.pk, row.status) for row in rows] == [(suggestion.pk, SuggestionStatus.PENDING)]
    made = rows[0]
    assert made.attempts == attempts
    assert made.payload["title"] == REPLY["title"] and made.score_after is not None and made.finished_at
    # One model call answered and recorded (a killed one records nothing), and it is the one the suggestion cites.
    calls = list(AICall.objects.filter(subject=f"marketplace.product:{suggestion.product_id}"))
    assert [(call.status, call.pk) for call in calls] == [(CallStatus.OK, made.ai_call_id)]
    assert chat_calls(model) == chat


def assert_nothing_left(broker, model, *, chat: int) -> None:
    """No message waits or is held anywhere, so nothing will run the optimization again."""
    time.sleep(1.5)
    assert broker.llen("ai") == 0 and broker.llen("batch") == 0
    assert broker.hlen("unacked") == 0
    assert chat_calls(model) == chat


# --- the tests -----------------------------------------------------------------------------------------------------


def test_worker_killed_mid_task_is_finished_once_by_the_next_worker(suggestion, model, workers, sender, broker):
    model.chat(Reply(delay=SLOW_REPLY, body=json_reply(REPLY).body))
    first = workers.start("first")
    sender.send_task(OPTIMIZE, args=[suggestion.pk], queue="ai")
    running_in_the_model(suggestion, model, workers)
    pool = workers.pool(first, 1)

    # kill -9 the whole worker: the parent first (it must not acknowledge), then its pool process mid-call.
    started = time.monotonic()
    os.kill(first.pid, signal.SIGKILL)
    for pid in pool:
        os.kill(pid, signal.SIGKILL)
    first.wait(timeout=10)
    wait_for(lambda: all(_gone(pid) for pid in pool), workers, "the pool process dying")

    # Nothing is lost: the suggestion is still running under its lease, the message is still held by the broker.
    assert state(suggestion).status == SuggestionStatus.RUNNING and state(suggestion).attempts == 1
    held = broker.zrange("unacked_index", 0, -1, withscores=True)
    assert len(held) == 1 and broker.llen("ai") == 0
    # Asking again while the lease is live hands back the running suggestion: no second one, nothing sent.
    again = services.listing_suggestion_request(product=suggestion.product)
    assert again.pk == suggestion.pk and state(suggestion).status == SuggestionStatus.RUNNING
    assert broker.llen("ai") == 0

    # A worker started once the visibility timeout has passed gets the message back (kombu restores unacknowledged
    # messages older than it when a worker starts, and every ~100 s after) and takes the expired lease over.
    delivered_at = held[0][1]
    time.sleep(max(0.0, delivered_at + VISIBILITY_TIMEOUT + 0.5 - time.time()))
    workers.start("second")
    wait_for(lambda: state(suggestion).status == SuggestionStatus.PENDING, workers, "the next worker finishing it")
    elapsed = time.monotonic() - started
    assert_made_once(suggestion, attempts=2, chat=2, model=model)
    assert_nothing_left(broker, model, chat=2)
    assert elapsed < VISIBILITY_TIMEOUT + BOUND, f"took {elapsed:.1f} s after the kill"
    print(f"finished {elapsed:.1f} s after the kill")


def test_pool_process_killed_mid_task_is_restarted_by_the_lease_sweeper(suggestion, model, workers, sender, broker):
    model.chat(Reply(delay=SLOW_REPLY, body=json_reply(REPLY).body))
    worker = workers.start("survivor")
    sent = sender.send_task(OPTIMIZE, args=[suggestion.pk], queue="ai")
    running_in_the_model(suggestion, model, workers)
    [child] = workers.pool(worker, 1)

    os.kill(child, signal.SIGKILL)
    # The parent notices (its pool check runs every 5 s), records WorkerLostError and acknowledges the message; on a
    # runner slow enough for the task's hard time limit to come first, it records TimeLimitExceeded instead, with
    # the same outcome. The task's on_failure hook runs in the child only, so the suggestion is not failed: it
    # stays running under its lease.
    wait_for(lambda: sent.state == "FAILURE", workers, "the parent recording the lost child")
    assert type(sent.result).__name__ in {"WorkerLostError", "TimeLimitExceeded"}, repr(sent.result)
    assert worker.poll() is None and state(suggestion).status == SuggestionStatus.RUNNING
    # Gone from the broker (acknowledged just after the result is stored): only the lease is left.
    wait_for(lambda: broker.hlen("unacked") == 0, workers, "the parent acknowledging the message")
    assert broker.llen("ai") == 0

    # A sweep inside the lease sends nothing; once the lease has expired, beat's lease sweep sends it again.
    early = sender.send_task(LEASE_SWEEP, queue="batch").get(timeout=BOUND)
    assert early == {"resent": [], "failed": [], "polls": []}
    expiry = state(suggestion).started_at.timestamp() + LEASE + 0.5
    time.sleep(max(0.0, expiry - time.time()))
    swept = sender.send_task(LEASE_SWEEP, queue="batch").get(timeout=BOUND)
    assert swept["resent"] == [suggestion.pk]
    wait_for(lambda: state(suggestion).status == SuggestionStatus.PENDING, workers, "the resent task finishing it")
    assert_made_once(suggestion, attempts=2, chat=2, model=model)
    assert_nothing_left(broker, model, chat=2)


def test_second_delivery_while_the_lease_is_live_does_not_run_twice(suggestion, model, workers, sender, broker):
    # Slow enough for the duplicate to arrive while the first runs, within a longer time limit.
    model.chat(Reply(delay=5, body=json_reply(REPLY).body))
    worker = workers.start("busy", concurrency=2, time_limit=30)
    workers.pool(worker, 2)
    first = sender.send_task(OPTIMIZE, args=[suggestion.pk], queue="ai")
    running_in_the_model(suggestion, model, workers)

    # A duplicate message (a redelivery, the dispatcher or a sweep sending again) meets the live lease on the other
    # pool process and leaves it alone; a seller asking again gets the running suggestion back.
    duplicate = sender.send_task(OPTIMIZE, args=[suggestion.pk], queue="ai").get(timeout=BOUND)
    assert duplicate == {"suggestion_id": suggestion.pk, "status": SuggestionStatus.RUNNING, "score_after": None}
    again = services.listing_suggestion_request(product=suggestion.product)
    assert again.pk == suggestion.pk and state(suggestion).status == SuggestionStatus.RUNNING

    assert first.get(timeout=BOUND)["status"] == SuggestionStatus.PENDING
    assert_made_once(suggestion, attempts=1, chat=1, model=model)
    assert_nothing_left(broker, model, chat=1)
