"""The Celery app of the benchmark's worker: the app's own, plus a task that does nothing and
a record of when each task ran (for rates measured inside the worker, start-up excluded).

    celery -A bench.worker worker -Q alliance-bench ...
"""

import os
import time

from celery.signals import task_postrun, task_prerun

from alliance.celery import app

TIMINGS_KEY = os.environ.get("BENCH_TIMINGS_KEY", "alliance-bench:timings")
_started: dict[str, float] = {}
_redis = None


@app.task(name="bench.noop")
def noop(recipient_id: int, day: str) -> None:
    """Takes what the reminder task takes, and does nothing with it."""


def _client():
    global _redis
    if _redis is None:
        import redis

        _redis = redis.Redis.from_url(app.conf.broker_url)
    return _redis


@task_prerun.connect
def _task_started(task_id=None, **kwargs) -> None:
    _started[task_id] = time.time()


@task_postrun.connect
def _task_finished(task_id=None, task=None, state=None, args=None, **kwargs) -> None:
    started = _started.pop(task_id, None)
    if started is not None:
        # A batch of digests counts as many as it carries; any other task as one.
        units = len(args[0]) if args and isinstance(args[0], list) else 1
        # And which pool process ran it (bench.reminders.segments counts time per process).
        ended = time.time()
        line = f"{task.name} {started:.6f} {ended:.6f} {state} {units} {os.getpid()}"
        _client().rpush(TIMINGS_KEY, line)
