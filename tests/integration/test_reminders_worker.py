"""Reminders through a real worker, Redis and PostgreSQL: exactly one email, whatever happens.

alice (therapist) and patricia (her patient, with a portal account) share `alliance`; bob and
peter share `other_alliance` (tests/conftest.py). Their clinic's reminder hour is set to
midnight so that a sweep creates reminders whenever the tests run. The sweeps run as
`manage.py sweep_reminders` processes; see conftest.py for the harness.

What is guaranteed, and asserted here: a worker killed before the mail server has accepted the
message sends it once when the task comes back. The window between the server accepting a
message and the commit cannot be closed (goals/reminders/sending.py); it is not tested.
"""

import datetime
import os
import signal
import time

import pytest

from alliance.models import Clinic
from goals.models import Goal, ReviewReminder
from tests.goals.factories import ActiveGoalFactory
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def due_goals(alliance, other_alliance):
    """Three goals of alice's and one of bob's, due tomorrow: a digest each for four people."""
    Clinic.objects.filter(pk=alliance.clinic_id).update(reminder_hour=0)
    goals = [ActiveGoalFactory(alliance=alliance) for _ in range(3)]
    goals.append(ActiveGoalFactory(alliance=other_alliance))
    tomorrow = alliance.clinic.today() + datetime.timedelta(days=1)
    Goal.objects.filter(pk__in=[g.pk for g in goals]).update(next_review_on=tomorrow)
    return goals


@pytest.fixture
def one_reminder(alliance):
    """A single reminder, to alice: patricia has turned reminders off."""
    Clinic.objects.filter(pk=alliance.clinic_id).update(reminder_hour=0)
    alliance.patient.review_reminders = False
    alliance.patient.save()
    goal = ActiveGoalFactory(alliance=alliance)
    tomorrow = alliance.clinic.today() + datetime.timedelta(days=1)
    Goal.objects.filter(pk=goal.pk).update(next_review_on=tomorrow)
    return goal


def all_sent() -> bool:
    return not ReviewReminder.objects.exclude(status="sent").exists()


def settle(harness, expected: int) -> None:
    """Wait for `expected` emails, then a little longer for any that should not come."""
    wait_for(
        lambda: len(harness.emails()) >= expected and all_sent(),
        what=f"{expected} emails\n{harness.logs()}",
    )
    time.sleep(1.5)


EVERYONE = ["alice@example.org", "bob@example.org", "patricia@example.org", "peter@example.org"]


def test_each_recipient_gets_exactly_one_email(harness, due_goals):
    assert harness.run_sweep() == "8 reminders created"
    assert harness.run_sweep() == "0 reminders created"
    harness.start_worker()
    settle(harness, 4)
    assert harness.recipients() == EVERYONE
    assert ReviewReminder.objects.filter(status="sent", attempts=1).count() == 8
    alice = next(m for m in harness.emails() if m["To"] == "alice@example.org")
    assert alice["Subject"] == "3 goal reviews coming up"
    assert alice.is_multipart()


@pytest.mark.parametrize("killed", ["the whole worker", "its pool process"])
def test_a_worker_killed_while_sending_still_sends_exactly_once(
    harness, one_reminder, killed, tmp_path
):
    marker = tmp_path / "sending"
    stall = {
        "EMAIL_BACKEND": "tests.integration.mail_backends.StallOnceBackend",
        "TEST_MAIL_STALL_MARKER": str(marker),
    }
    assert harness.run_sweep() == "1 reminders created"
    worker = harness.start_worker(**stall)
    wait_for(marker.exists, what=f"the worker to start sending\n{harness.logs()}")
    time.sleep(0.3)  # inside send_messages, the rows locked

    if killed == "the whole worker":
        harness.kill(worker)
        assert harness.emails() == []
        assert ReviewReminder.objects.get().status == "pending"
        # The message was never acknowledged: Redis hands it to the next worker.
        harness.start_worker(**stall)
    else:
        # The worker sees its pool process die and puts the message back (reject on lost).
        pool_pid = int(marker.read_text())
        assert pool_pid != worker.pid
        os.kill(pool_pid, signal.SIGKILL)

    settle(harness, 1)
    assert harness.recipients() == ["alice@example.org"]
    reminder = ReviewReminder.objects.get()
    assert (reminder.status, reminder.attempts) == ("sent", 1)


def test_two_sweeps_at_once_create_no_duplicates(harness, due_goals):
    harness.start_worker()
    first, second = harness.sweep(), harness.sweep()
    lines = [harness.finish(first), harness.finish(second)]
    created = sorted(int(line.split()[0]) for line in lines)
    assert sum(created) == 8, lines
    assert ReviewReminder.objects.count() == 8
    settle(harness, 4)
    assert harness.recipients() == EVERYONE


def test_smtp_failing_twice_then_recovering_sends_once(harness, one_reminder, tmp_path):
    state = tmp_path / "smtp"
    state.mkdir()
    harness.start_worker(
        EMAIL_BACKEND="tests.integration.mail_backends.FlakyBackend",
        TEST_MAIL_FAILURES="2",
        TEST_MAIL_STATE=str(state),
    )
    assert harness.run_sweep() == "1 reminders created"
    settle(harness, 1)
    assert harness.recipients() == ["alice@example.org"]
    reminder = ReviewReminder.objects.get()
    assert (reminder.status, reminder.attempts) == ("sent", 3)
    assert reminder.last_error == "SMTPServerDisconnected"
