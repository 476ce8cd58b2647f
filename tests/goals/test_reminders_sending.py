"""Sending reminders: one digest per recipient and day, nothing clinical, exactly once, retried.

alice (therapist) and patricia (patient_user) share `alliance`; see tests/conftest.py. Mail
goes to Django's locmem outbox (`mailoutbox`), or to FlakyBackend to make the server fail.
"""

import datetime
import email
import re
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from alliance.celery import _refuse_eta_past_visibility_timeout, app, longest_countdown
from goals.models import Goal, ReviewReminder
from goals.reminders import sending
from goals.reminders.digest_mime import WrittenMessage
from goals.reminders.selectors import failed_reminders_for
from goals.reminders.sending import Outcome, send_digest
from goals.tasks import send_review_reminders
from tests.goals.factories import ActiveGoalFactory

DAY = datetime.date(2026, 11, 25)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def remind(goal: Goal, user, *, due_on=None, remind_on=DAY, **fields) -> ReviewReminder:
    """A pending reminder as the sweep makes it, about the goal's next review."""
    due_on = due_on or DAY + days(2)
    Goal.objects.filter(pk=goal.pk).update(next_review_on=due_on)
    audience = "patient" if user.is_patient else "therapist"
    return ReviewReminder.objects.create(
        goal=goal, due_on=due_on, recipient=user, audience=audience, remind_on=remind_on, **fields
    )


def reload(reminder: ReviewReminder) -> ReviewReminder:
    return ReviewReminder.objects.get(pk=reminder.pk)


class FlakyBackend(EmailBackend):
    """The locmem outbox behind a mail server that drops the first `failures` sends."""

    failures = 0
    tries = 0

    def send_messages(self, messages):
        FlakyBackend.tries += 1
        if FlakyBackend.tries <= FlakyBackend.failures:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.goals.test_reminders_sending.FlakyBackend"
    FlakyBackend.tries = 0

    def fail(times: int):
        FlakyBackend.failures = times

    return fail


@pytest.fixture
def goals(alliance):
    return [ActiveGoalFactory(alliance=alliance) for _ in range(3)]


# One email per recipient and day.


def test_a_therapist_gets_one_email_for_all_their_reviews_of_the_day(goals, therapist, mailoutbox):
    reminders = [remind(goal, therapist, due_on=DAY + days(n)) for n, goal in enumerate(goals)]
    assert send_digest(recipient_id=therapist.pk, day=DAY) == Outcome.SENT
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["alice@example.org"]
    assert mailoutbox[0].subject == "3 goal reviews coming up"
    assert {reload(r).status for r in reminders} == {"sent"}


def test_the_digest_gives_a_count_a_date_and_a_link(goals, therapist, mailoutbox, settings):
    settings.SITE_URL = "https://alliance.example.org"
    remind(goals[0], therapist, due_on=DAY + days(1))
    remind(goals[1], therapist, due_on=DAY - days(2))
    send_digest(recipient_id=therapist.pk, day=DAY)
    text = mailoutbox[0].body
    assert "You have 2 goal reviews coming up, 1 of them overdue." in text
    assert "The first was due on Monday 23 November 2026." in text
    assert "https://alliance.example.org/" in text


def test_the_email_has_plain_text_and_html(active_goal, therapist, mailoutbox):
    remind(active_goal, therapist)
    send_digest(recipient_id=therapist.pk, day=DAY)
    message = mailoutbox[0]
    [(html, kind)] = message.alternatives
    assert kind == "text/html"
    assert "<strong>1 goal review</strong>" in html
    assert 'href="http://127.0.0.1:8000/"' in html


def test_the_sent_bytes_part_into_the_text_and_the_html_by_a_boundary_of_each_email(
    goals, therapist, patient_user, mailoutbox
):
    remind(goals[0], therapist)
    remind(goals[1], patient_user)
    send_digest(recipient_id=therapist.pk, day=DAY)
    send_digest(recipient_id=patient_user.pk, day=DAY)
    boundaries = set()
    for sent in mailoutbox:
        mime = sent.message()
        # A digest is plain: made and written by digest_mime, not by the email package.
        assert isinstance(mime, WrittenMessage)
        # The boundary is the email's own, set before the library would draw one.
        assert re.fullmatch(r"==[0-9a-f]{32}==", mime.get_boundary())
        # What a mail client reads: the bytes the SMTP backend sends, parsed again.
        parsed = email.message_from_bytes(mime.as_bytes(linesep="\r\n"))
        assert parsed.get_content_type() == "multipart/alternative"
        text, html = parsed.get_payload()
        assert text.get_content_type() == "text/plain"
        assert html.get_content_type() == "text/html"
        crlf = "\r\n"
        assert text.get_payload(decode=True).decode() == sent.body.replace("\n", crlf)
        html_sent = sent.alternatives[0][0]
        assert html.get_payload(decode=True).decode() == html_sent.replace("\n", crlf)
        assert parsed.get_boundary() == mime.get_boundary()
        boundaries.add(parsed.get_boundary())
    assert len(boundaries) == 2


def test_emails_carry_no_clinical_detail(active_goal, therapist, patient_user, mailoutbox):
    remind(active_goal, therapist)
    remind(active_goal, patient_user)
    send_digest(recipient_id=therapist.pk, day=DAY)
    send_digest(recipient_id=patient_user.pk, day=DAY)
    assert len(mailoutbox) == 2
    goal = active_goal
    wording = [goal.description, goal.measure, goal.steps, goal.relevance, goal.barriers]
    wording += ["corner shop", "panic", "Trips"]
    for message in mailoutbox:
        whole = message.subject + message.body + message.alternatives[0][0]
        for secret in wording:
            assert secret not in whole
    # The therapist's email does not even say whose reviews they are.
    therapist_mail = next(m for m in mailoutbox if m.to == ["alice@example.org"])
    assert "Patricia" not in therapist_mail.body + therapist_mail.alternatives[0][0]
    assert "Quill" not in therapist_mail.message().as_string()


def test_the_patient_is_asked_to_record_progress_before_the_review(
    active_goal, patient_user, mailoutbox
):
    patient = active_goal.alliance.patient
    patient.preferred_name = "Pat"
    patient.save()
    remind(active_goal, patient_user, due_on=DAY + days(2))
    send_digest(recipient_id=patient_user.pk, day=DAY)
    [message] = mailoutbox
    assert message.to == ["patricia@example.org"]
    assert message.body.startswith("Hello Pat,")
    assert "Your next goal review with your therapist is on Friday 27 November." in message.body
    assert "please record how you have been getting on with 1 goal:" in message.body
    assert "http://127.0.0.1:8000/portal/" in message.body
    assert "http://127.0.0.1:8000/portal/settings/" in message.body


def test_each_recipient_gets_their_own_email(goals, therapist, patient_user, mailoutbox):
    for goal in goals:
        remind(goal, therapist)
        remind(goal, patient_user)
    send_digest(recipient_id=therapist.pk, day=DAY)
    send_digest(recipient_id=patient_user.pk, day=DAY)
    assert sorted(m.to[0] for m in mailoutbox) == ["alice@example.org", "patricia@example.org"]


def test_other_days_reminders_wait_for_their_day(goals, therapist, mailoutbox):
    later = remind(goals[0], therapist, remind_on=DAY + days(1))
    send_digest(recipient_id=therapist.pk, day=DAY)
    assert mailoutbox == []
    assert reload(later).status == "pending"


def test_earlier_days_reminders_still_pending_join_the_day_s_email(goals, therapist, mailoutbox):
    old = remind(goals[0], therapist, remind_on=DAY - days(1))
    new = remind(goals[1], therapist)
    send_digest(recipient_id=therapist.pk, day=DAY)
    assert len(mailoutbox) == 1
    assert "You have 2 goal reviews" in mailoutbox[0].body
    assert {(reload(r).status, reload(r).remind_on) for r in (old, new)} == {("sent", DAY)}


def test_a_reminder_made_after_the_day_s_email_goes_with_the_next_day_s(
    goals, therapist, mailoutbox
):
    remind(goals[0], therapist)
    send_digest(recipient_id=therapist.pk, day=DAY)
    late = remind(goals[1], therapist)
    assert send_digest(recipient_id=therapist.pk, day=DAY) == Outcome.DEFERRED
    assert len(mailoutbox) == 1
    assert reload(late).remind_on == DAY + days(1)
    assert send_digest(recipient_id=therapist.pk, day=DAY + days(1)) == Outcome.SENT
    assert len(mailoutbox) == 2


# Exactly once.


def test_sending_again_sends_nothing(active_goal, therapist, mailoutbox):
    reminder = remind(active_goal, therapist)
    assert send_digest(recipient_id=therapist.pk, day=DAY) == Outcome.SENT
    sent_at = reload(reminder).sent_at
    assert send_digest(recipient_id=therapist.pk, day=DAY) == Outcome.NOTHING
    assert len(mailoutbox) == 1
    assert reload(reminder).sent_at == sent_at
    assert reload(reminder).attempts == 1


def test_the_task_run_twice_sends_once(active_goal, therapist, mailoutbox):
    remind(active_goal, therapist)
    send_review_reminders.apply(args=[therapist.pk, DAY.isoformat()])
    send_review_reminders.apply(args=[therapist.pk, DAY.isoformat()])
    assert len(mailoutbox) == 1


def test_a_reminder_whose_review_moved_is_not_sent(active_goal, therapist, mailoutbox):
    reminder = remind(active_goal, therapist)
    Goal.objects.filter(pk=active_goal.pk).update(next_review_on=DAY + days(28))
    assert send_digest(recipient_id=therapist.pk, day=DAY) == Outcome.NOTHING
    assert mailoutbox == []
    assert reload(reminder).status == "cancelled"


def test_a_reminder_of_an_ended_goal_is_not_sent(active_goal, therapist, mailoutbox):
    reminder = remind(active_goal, therapist)
    Goal.objects.filter(pk=active_goal.pk).update(lifecycle_status="completed")
    send_digest(recipient_id=therapist.pk, day=DAY)
    assert mailoutbox == []
    assert reload(reminder).status == "cancelled"


def test_a_patient_who_turned_reminders_off_meanwhile_is_not_emailed(
    active_goal, patient_user, mailoutbox
):
    reminder = remind(active_goal, patient_user)
    patient = active_goal.alliance.patient
    patient.review_reminders = False
    patient.save()
    send_digest(recipient_id=patient_user.pk, day=DAY)
    assert mailoutbox == []
    assert reload(reminder).status == "cancelled"


def test_every_try_at_one_email_has_the_same_message_id(active_goal, therapist):
    reminder = remind(active_goal, therapist)
    first = sending.digest_message(reminders=[reminder], day=DAY)
    again = sending.digest_message(reminders=[reload(reminder)], day=DAY)
    assert first.extra_headers["Message-ID"] == again.extra_headers["Message-ID"]
    assert first.extra_headers["Message-ID"].endswith("@localhost>")


# Retries and failure.


def test_smtp_failing_twice_then_recovering_sends_once(active_goal, therapist, flaky):
    flaky(2)
    reminder = remind(active_goal, therapist)
    # Eager: each retry runs at once, in turn.
    send_review_reminders.apply(args=[therapist.pk, DAY.isoformat()])
    assert len(mail.outbox) == 1
    reminder = reload(reminder)
    assert (reminder.status, reminder.attempts) == ("sent", 3)
    assert reminder.last_error == "SMTPServerDisconnected"


def test_a_failed_try_is_counted_and_the_reminder_stays_pending(active_goal, therapist, flaky):
    flaky(1)
    reminder = remind(active_goal, therapist)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send_digest(recipient_id=therapist.pk, day=DAY)
    assert sending.record_failure(
        recipient_id=therapist.pk, day=DAY, error=smtplib.SMTPServerDisconnected("x")
    ) == (1, False)
    reminder = reload(reminder)
    assert (reminder.status, reminder.attempts, reminder.sent_at) == ("pending", 1, None)


def test_after_the_last_try_the_reminder_is_marked_failed(
    active_goal, therapist, patient_user, flaky, settings
):
    settings.REMINDER_MAX_ATTEMPTS = 4
    flaky(100)
    reminder = remind(active_goal, therapist)
    result = send_review_reminders.apply(args=[therapist.pk, DAY.isoformat()])
    assert result.result == "failed"
    reminder = reload(reminder)
    assert (reminder.status, reminder.attempts) == ("failed", 4)
    assert reminder.last_error == "SMTPServerDisconnected"
    assert FlakyBackend.tries == 4
    assert mail.outbox == []
    assert list(failed_reminders_for(therapist=therapist)) == [reminder]


def test_the_error_kept_has_the_smtp_code_and_nothing_else():
    error = smtplib.SMTPDataError(451, b"4.3.0 Mail for patricia@example.org: try again later")
    assert sending.describe_error(error) == "SMTPDataError 451"


def test_retries_wait_twice_as_long_each_time(settings):
    settings.REMINDER_RETRY_BASE_SECONDS = 60
    settings.REMINDER_RETRY_MAX_SECONDS = 900
    assert [sending.retry_delay(n) for n in range(1, 7)] == [60, 120, 240, 480, 900, 900]


def test_no_retry_waits_as_long_as_the_broker_s_visibility_timeout(settings):
    settings.REMINDER_RETRY_BASE_SECONDS = 3000
    settings.REMINDER_RETRY_MAX_SECONDS = 100_000
    assert sending.retry_delay(5) == longest_countdown()
    assert longest_countdown() < app.conf.broker_transport_options["visibility_timeout"]


# The Celery app.


def test_celery_is_json_only_with_late_acks_and_time_limits():
    conf = app.conf
    assert conf.task_serializer == "json"
    assert set(conf.accept_content) == {"json"}
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    assert conf.task_time_limit < conf.broker_transport_options["visibility_timeout"]


def test_beat_sweeps_every_15_minutes_by_default():
    entry = app.conf.beat_schedule["sweep-review-reminders"]
    assert entry["task"] == "goals.tasks.sweep_review_reminders"
    assert entry["schedule"] == datetime.timedelta(minutes=15)
    assert "goals.tasks.sweep_review_reminders" in app.tasks


def test_a_countdown_past_the_visibility_timeout_is_refused():
    timeout = app.conf.broker_transport_options["visibility_timeout"]
    now = datetime.datetime.now(datetime.UTC)
    soon = {"task": "t", "eta": (now + datetime.timedelta(seconds=timeout - 60)).isoformat()}
    _refuse_eta_past_visibility_timeout(headers=soon)
    late = {"task": "t", "eta": (now + datetime.timedelta(seconds=timeout + 60)).isoformat()}
    with pytest.raises(ValueError, match="visibility timeout"):
        _refuse_eta_past_visibility_timeout(headers=late)
