"""The retry policy of Celery tasks that call the AI layer: which errors a later try can fix, and a task base
that waits as long as the provider asks and retries in eager mode the way a worker would.

Use it as the one retry layer: call the AI with `retries=0` from the task, so a failure is not retried
inside the call and again by the task.
"""

from celery import Task

from .exceptions import AITransientError

# ai.calls turns rate limits, 5xx, timeouts and dropped connections into AITransientError; every other AIError
# (refused, off-schema, rejected request, quota, configuration) fails the same way on a second try.
TRANSIENT_AI_ERRORS = (AITransientError,)


class AITask(Task):
    """Base for tasks with `autoretry_for=TRANSIENT_AI_ERRORS` and an `on_failure` hook."""

    def retry(
        self, args=None, kwargs=None, exc=None, throw=True, eta=None, countdown=None, max_retries=None, **options
    ):
        wait = getattr(exc, "retry_after", None)
        if wait is not None and eta is None and (countdown is None or countdown < wait):
            countdown = wait  # the provider said when to come back (Retry-After); the jittered backoff may be sooner
        return super().retry(
            args=args,
            kwargs=kwargs,
            exc=exc,
            throw=throw,
            eta=eta,
            countdown=countdown,
            max_retries=max_retries,
            **options,
        )

    def apply(self, args=None, kwargs=None, *positional, throw=None, **options):
        # Eager mode (embedded default, tests): Celery re-applies a retried task in-process, but with
        # task_eager_propagates the Retry would surface in the caller instead. Run as a worker does: the retries
        # happen (without the countdown), the final failure goes to on_failure, and the caller gets a failed
        # EagerResult (its .get() raises) rather than an exception out of .delay().
        return super().apply(args, kwargs, *positional, throw=False if throw is None else throw, **options)
