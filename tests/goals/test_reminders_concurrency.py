"""Two sweeps at once, forced to overlap: the unique constraint, not luck, keeps one reminder.

Both sweeps read which reminders exist before either has inserted any, then both insert the
same rows. On PostgreSQL the second waits on the first's uncommitted rows, then meets the
unique constraint and skips them. SQLite runs one writing transaction at a time, so there
the sweeps cannot overlap and the test would prove nothing: it runs on PostgreSQL (CI).
"""

import datetime
import threading

import pytest
from django.db import connection

from goals.models import Goal, ReviewReminder
from goals.reminders import sweep as sweep_module
from goals.tasks import send_review_reminders
from tests.goals.factories import ActiveGoalFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
    ),
]

NOW = datetime.datetime(2026, 11, 25, 9, tzinfo=datetime.UTC)


def test_two_sweeps_at_once_create_each_reminder_once(alliance, monkeypatch):
    queued = []
    monkeypatch.setattr(send_review_reminders, "delay", lambda *args: queued.append(args))
    goals = [ActiveGoalFactory(alliance=alliance) for _ in range(3)]
    Goal.objects.filter(pk__in=[g.pk for g in goals]).update(
        next_review_on=datetime.date(2026, 11, 26)
    )

    # Each sweep stops before its first insert until the other has got there too.
    both_read = threading.Barrier(2, timeout=10)
    create = sweep_module._create
    waited = threading.local()

    def create_together(**kwargs):
        if not getattr(waited, "done", False):
            waited.done = True
            both_read.wait()
        return create(**kwargs)

    monkeypatch.setattr(sweep_module, "_create", create_together)
    results, errors = [], []

    def run():
        try:
            results.append(sweep_module.sweep(now=NOW).created)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(results) == [0, 6]
    assert ReviewReminder.objects.count() == 6
    # The sweep that created nothing queued nothing.
    assert sorted(queued) == sorted(
        [(alliance.therapist_id, "2026-11-25"), (alliance.patient.portal_user_id, "2026-11-25")]
    )
