"""Sending digests in batches: one task, many recipients, each sent once, each retried alone.

alice (therapist) and patricia (her patient) share `alliance`; bob and peter share
`other_alliance` (tests/conftest.py). The task runs eagerly (`apply`), so its retries run at
once, in turn. Mail goes to Django's locmem outbox, behind a server that can be made to fail
for one address.
"""

import datetime
import logging
import smtplib

import psycopg2
import pytest
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import task_prerun
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from goals.models import Goal, ReviewReminder
from goals.reminders import sending
from goals.reminders.selectors import failed_reminders_for
from goals.tasks import send_review_reminder_batch
from tests.goals.factories import ActiveGoalFactory

DAY = datetime.date(2026, 11, 25)


class PickyBackend(EmailBackend):
    """The locmem outbox behind a server that fails `failures` times for one address.

    Connects as Django's SMTP backend does: open() connects unless connected already, and
    send_messages() closes only a connection it opened itself.
    """

    address = ""
    failures = 0
    error: type[Exception] = smtplib.SMTPServerDisconnected
    tries: list[str] = []
    connections = 0

    def open(self):
        if getattr(self, "connected", False):
            return False
        self.connected = True
        PickyBackend.connections += 1
        return True

    def close(self):
        self.connected = False

    def send_messages(self, messages):
        opened = self.open()
        try:
            for message in messages:
                PickyBackend.tries.append(message.to[0])
                if message.to == [PickyBackend.address] and PickyBackend.failures > 0:
                    PickyBackend.failures -= 1
                    raise PickyBackend.error("Connection unexpectedly closed")
            return super().send_messages(messages)
        finally:
            if opened:
                self.close()


@pytest.fixture
def server(settings):
    settings.EMAIL_BACKEND = "tests.goals.test_reminders_batches.PickyBackend"
    PickyBackend.address, PickyBackend.failures = "", 0
    PickyBackend.error = smtplib.SMTPServerDisconnected
    PickyBackend.tries, PickyBackend.connections = [], 0
    return PickyBackend


@pytest.fixture
def reminders(alliance, other_alliance):
    """One pending reminder of a review in two days for each of the four people."""
    made = []
    for pair in (alliance, other_alliance):
        goal = ActiveGoalFactory(alliance=pair)
        Goal.objects.filter(pk=goal.pk).update(next_review_on=DAY + datetime.timedelta(days=2))
        for user, audience in (
            (pair.therapist, "therapist"),
            (pair.patient.portal_user, "patient"),
        ):
            made.append(
                ReviewReminder.objects.create(
                    goal=goal,
                    due_on=DAY + datetime.timedelta(days=2),
                    recipient=user,
                    audience=audience,
                    remind_on=DAY,
                )
            )
    return made


def batch_of(reminders) -> list[list]:
    return [[r.recipient_id, DAY.isoformat()] for r in reminders]


def state() -> dict[str, tuple]:
    return {
        r.recipient.email: (r.status, r.attempts)
        for r in ReviewReminder.objects.select_related("recipient")
    }


def outbox() -> list[str]:
    return sorted(message.to[0] for message in mail.outbox)


EVERYONE = ["alice@example.org", "bob@example.org", "patricia@example.org", "peter@example.org"]


def test_one_task_sends_each_recipient_their_email(reminders, server):
    send_review_reminder_batch.apply(args=[batch_of(reminders)])
    assert outbox() == EVERYONE
    assert set(state().values()) == {("sent", 1)}


def test_the_batch_shares_one_mail_connection(reminders, server):
    send_review_reminder_batch.apply(args=[batch_of(reminders)])
    assert server.connections == 1


def test_a_batch_delivered_twice_sends_each_email_once(reminders, server):
    send_review_reminder_batch.apply(args=[batch_of(reminders)])
    send_review_reminder_batch.apply(args=[batch_of(reminders)])
    assert outbox() == EVERYONE


def test_one_recipient_failing_is_retried_alone(reminders, server, monkeypatch):
    server.address, server.failures = "patricia@example.org", 2
    digests = []
    send_digest = sending.send_digest

    def counted(**kwargs):
        digests.append(kwargs["recipient_id"])
        return send_digest(**kwargs)

    monkeypatch.setattr(sending, "send_digest", counted)
    send_review_reminder_batch.apply(args=[batch_of(reminders)])
    # Everyone has one email; only patricia's was tried again (twice), the others never.
    assert outbox() == EVERYONE
    assert sorted(server.tries) == sorted([*EVERYONE, *["patricia@example.org"] * 2])
    patricia = reminders[1].recipient_id
    assert digests == [r.recipient_id for r in reminders] + [patricia, patricia]
    assert state() == {
        "alice@example.org": ("sent", 1),
        "bob@example.org": ("sent", 1),
        "patricia@example.org": ("sent", 3),
        "peter@example.org": ("sent", 1),
    }
    assert ReviewReminder.objects.get(recipient__email="patricia@example.org").last_error == (
        "SMTPServerDisconnected"
    )


def test_one_recipient_failing_every_try_does_not_hold_back_the_others(
    reminders, server, settings, therapist
):
    settings.REMINDER_MAX_ATTEMPTS = 3
    server.address, server.failures = "alice@example.org", 100
    send_review_reminder_batch.apply(args=[batch_of(reminders)])
    assert outbox() == ["bob@example.org", "patricia@example.org", "peter@example.org"]
    assert state()["alice@example.org"] == ("failed", 3)
    assert server.tries.count("alice@example.org") == 3
    assert server.tries.count("bob@example.org") == 1
    # Shown on her home, as a single digest's failure is.
    assert [r.recipient for r in failed_reminders_for(therapist=therapist)] == [therapist]


def test_an_unexpected_error_for_one_recipient_still_sends_the_others(reminders, server):
    server.address, server.failures, server.error = "bob@example.org", 1, ValueError
    result = send_review_reminder_batch.apply(args=[batch_of(reminders)])
    assert result.failed()  # the task says so; the sweep will queue bob's again later
    assert outbox() == ["alice@example.org", "patricia@example.org", "peter@example.org"]
    assert state()["bob@example.org"] == ("pending", 0)


def test_a_batch_out_of_time_sends_the_rest_in_its_retry(reminders, server):
    # The time limit strikes while the second email is being sent.
    server.address, server.failures = "patricia@example.org", 1
    server.error = SoftTimeLimitExceeded
    batch = batch_of(reminders)
    assert batch[1][0] == reminders[1].recipient_id  # patricia's is the second
    send_review_reminder_batch.apply(args=[batch])
    assert outbox() == EVERYONE
    assert server.tries.count("alice@example.org") == 1
    assert set(state().values()) == {("sent", 1)}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="cuts a PostgreSQL connection")
def test_after_its_database_connection_was_cut_a_worker_still_sends(reminders, server):
    # The worker keeps its connection between tasks; the database restarts meanwhile.
    settings = connection.settings_dict
    with (
        psycopg2.connect(
            dbname=settings["NAME"],
            user=settings["USER"],
            password=settings["PASSWORD"],
            host=settings["HOST"],
            port=settings["PORT"],
        ) as admin,
        admin.cursor() as cursor,
    ):
        cursor.execute("SELECT pg_terminate_backend(%s)", [connection.connection.get_backend_pid()])
    # As a worker runs a task: the signal before it (alliance.celery), then the task itself
    # (not eagerly, so not inside the caller's transaction).
    task = send_review_reminder_batch
    task_prerun.send(sender=task, task_id="after-restart", task=task, args=(), kwargs={})
    task(batch_of(reminders))
    assert outbox() == EVERYONE


class DownBackend(PickyBackend):
    """A mail server that refuses every connection."""

    def open(self):
        raise smtplib.SMTPConnectError(421, b"down")


def test_a_moot_reminder_is_cancelled_even_while_the_mail_server_is_down(
    reminders, alliance, settings
):
    settings.EMAIL_BACKEND = "tests.goals.test_reminders_batches.DownBackend"
    patricia = alliance.patient.portal_user
    type(alliance.patient).objects.filter(pk=alliance.patient_id).update(review_reminders=False)
    send_review_reminder_batch.apply(args=[[[patricia.pk, DAY.isoformat()]]])
    assert state()["patricia@example.org"] == ("cancelled", 0)


def test_an_unexpected_error_is_reported_by_its_kind_only(reminders, server, caplog):
    server.address, server.failures = "bob@example.org", 1
    server.error = lambda text: ValueError('Invalid address "bob@example.org"')
    with caplog.at_level(logging.DEBUG):
        result = send_review_reminder_batch.apply(args=[batch_of(reminders)])
    assert result.failed()
    assert "ValueError" in str(result.result)
    assert "bob@example.org" not in str(result.result) + result.traceback + caplog.text


def test_a_single_digest_retry_carries_no_address(reminders, server):
    from goals.tasks import send_review_reminders

    server.address, server.failures = "bob@example.org", 1
    server.error = lambda text: smtplib.SMTPRecipientsRefused({"bob@example.org": (550, b"no")})
    bob = next(r.recipient_id for r in reminders if r.recipient.email == "bob@example.org")
    # Called directly, the task raises the reason its retry would carry to the worker's log.
    with pytest.raises(sending.SendFailed) as retried:
        send_review_reminders(bob, DAY.isoformat())
    assert str(retried.value) == "SMTPRecipientsRefused"
    assert retried.value.__context__ is None and retried.value.__cause__ is None
    assert state()["bob@example.org"] == ("pending", 1)
