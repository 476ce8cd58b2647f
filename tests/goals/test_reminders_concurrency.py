"""Two sweeps at once, forced to overlap: the unique constraint, not luck, keeps one reminder.

Both sweeps start their INSERT ... SELECT together, and the first to insert holds its rows
uncommitted a while longer: neither statement can see the other's rows, so both try the same
inserts. On PostgreSQL the second waits on the first's uncommitted rows, then meets the
unique constraint and skips them. SQLite runs one writing transaction at a time, so there
the sweeps cannot overlap and the test would prove nothing: it runs on PostgreSQL (CI).
"""

import datetime
import threading
import time

import pytest
from django.db import connection

from goals.models import Goal, ReviewReminder
from goals.reminders import sweep as sweep_module
from goals.tasks import send_review_reminder_batch
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
    monkeypatch.setattr(
        send_review_reminder_batch, "delay", lambda digests: queued.extend(map(tuple, digests))
    )
    goals = [ActiveGoalFactory(alliance=alliance) for _ in range(3)]
    Goal.objects.filter(pk__in=[g.pk for g in goals]).update(
        next_review_on=datetime.date(2026, 11, 26)
    )

    # Each sweep's statement starts once both have got there; the rows it made stay
    # uncommitted for a moment after it ends, while the other's statement is running.
    both_ready = threading.Barrier(2, timeout=10)
    make = sweep_module.make_reminders

    def make_together(**kwargs):
        both_ready.wait()
        made = make(**kwargs)
        time.sleep(0.5)
        return made

    monkeypatch.setattr(sweep_module, "make_reminders", make_together)
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
