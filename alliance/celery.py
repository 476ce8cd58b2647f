"""The Celery app, configured from Django settings (CELERY_ prefix); beat's schedule is here.

Delivery rules the tasks rely on, checked when the app is configured:
- JSON only, in and out: a task gets ids and dates, never a pickled object.
- acks_late with reject_on_worker_lost: a message is acknowledged after its task has run, so
  a worker that dies mid-task leaves the message to be delivered again (tasks are written to
  be run twice safely).
- Redis hands an unacknowledged message to another worker after the visibility timeout. A
  task running longer than that, or a countdown/ETA reaching past it, would be delivered
  twice while the first copy is still waiting; so the hard time limit must be shorter, and a
  publish with an ETA beyond it is refused.
"""

import datetime
import os

from celery import Celery
from celery.signals import before_task_publish, task_prerun
from django.core.exceptions import ImproperlyConfigured

from alliance.env import env_int

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")

# Kombu's own default for Redis and SQS; stated so that every check below uses one number.
DEFAULT_VISIBILITY_TIMEOUT = 3600

app = Celery("alliance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# How often beat runs the goal-review reminder sweep. Each clinic sends at its own local
# reminder hour; the sweep only has to run often enough to notice that hour has come.
REMINDER_SWEEP_MINUTES = env_int("REMINDER_SWEEP_MINUTES", 15)
if not 1 <= REMINDER_SWEEP_MINUTES <= 60:
    raise ImproperlyConfigured("REMINDER_SWEEP_MINUTES must be between 1 and 60.")

app.conf.beat_schedule = {
    "sweep-review-reminders": {
        "task": "goals.tasks.sweep_review_reminders",
        "schedule": datetime.timedelta(minutes=REMINDER_SWEEP_MINUTES),
        # A sweep still queued when the next one is due adds nothing: let it expire.
        "options": {"expires": REMINDER_SWEEP_MINUTES * 60},
    },
}


def visibility_timeout() -> int:
    """Seconds before the broker gives an unacknowledged message to another worker."""
    return int(
        app.conf.broker_transport_options.get("visibility_timeout", DEFAULT_VISIBILITY_TIMEOUT)
    )


def longest_countdown() -> int:
    """The longest countdown a task may ask for: well inside the visibility timeout."""
    return max(1, visibility_timeout() // 2)


@app.on_after_configure.connect
def _check_delivery_settings(sender, **kwargs) -> None:
    conf = sender.conf
    options = dict(conf.broker_transport_options or {})
    options.setdefault("visibility_timeout", DEFAULT_VISIBILITY_TIMEOUT)
    conf.broker_transport_options = options
    timeout = options["visibility_timeout"]

    if conf.task_serializer != "json" or set(conf.accept_content) != {"json"}:
        raise ImproperlyConfigured("Celery must serialise and accept JSON only.")
    if not (conf.task_acks_late and conf.task_reject_on_worker_lost):
        raise ImproperlyConfigured(
            "Celery needs CELERY_TASK_ACKS_LATE and CELERY_TASK_REJECT_ON_WORKER_LOST."
        )
    if not conf.task_time_limit or conf.task_time_limit >= timeout:
        raise ImproperlyConfigured(
            f"CELERY_TASK_TIME_LIMIT ({conf.task_time_limit}) must be set and shorter than the "
            f"broker's visibility timeout ({timeout} s)."
        )


@before_task_publish.connect
def _refuse_eta_past_visibility_timeout(headers=None, **kwargs) -> None:
    """A message held for longer than the visibility timeout would be delivered twice."""
    eta = (headers or {}).get("eta")
    if not eta:
        return
    when = datetime.datetime.fromisoformat(eta)
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    wait = (when - datetime.datetime.now(datetime.UTC)).total_seconds()
    if wait > visibility_timeout():
        raise ValueError(
            f"Task {headers.get('task')} asks to wait {wait:.0f} s, longer than the broker's "
            f"visibility timeout ({visibility_timeout()} s): it would be delivered twice."
        )


@task_prerun.connect
def _fresh_database(task=None, **kwargs) -> None:
    """Before every task in a worker, what Django does at each request for its connection.

    The worker keeps its database connection from task to task (CELERY_DB_REUSE_MAX), and
    Celery checks it only when it recycles it, every hundred tasks or so. So, as at a request,
    drop it once older than CONN_MAX_AGE, and have it checked once before use (CONN_HEALTH_
    CHECKS): after a database restart the next task reconnects instead of failing. Not when run
    eagerly (tests, `apply`): that would close the caller's connection, inside its transaction.
    """
    if task is not None and not task.request.is_eager:
        from django.db import close_old_connections

        close_old_connections()
