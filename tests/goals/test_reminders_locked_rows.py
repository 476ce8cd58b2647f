"""The reminder worker's read of a recipient's day: the same rows and values the ORM reads,
each with its goal, alliance, patient, recipient and clinic, in one statement."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from goals.models import ReviewReminder
from goals.reminders.locked_rows import locked_reminders, mark_sent
from goals.reminders.sending import send_digest
from tests.goals.factories import ActiveGoalFactory
from tests.goals.test_reminders_sending import DAY, days, reload, remind

SENT_AT = datetime.datetime(2026, 11, 25, 7, 0, tzinfo=datetime.UTC)


def orm_read(recipient, day, *, pending_only=False):
    rows = ReviewReminder.objects.filter(recipient=recipient).filter(
        remind_on=day
    ) | ReviewReminder.objects.filter(recipient=recipient, remind_on__lt=day, status="pending")
    if pending_only:
        rows = rows.filter(status="pending")
    return list(rows.select_related("recipient__clinic", "goal__alliance__patient").order_by("pk"))


def fields_of(instance, names):
    return [getattr(instance, name) for name in names]


def test_it_reads_the_days_rows_and_earlier_pending_ones_as_the_orm_does(
    alliance, therapist, patient_user
):
    goals = ActiveGoalFactory.create_batch(4, alliance=alliance)
    today = remind(goals[0], therapist)
    earlier = remind(goals[1], therapist, remind_on=DAY - days(2))
    remind(goals[2], therapist, remind_on=DAY - days(1), status="sent", sent_at=SENT_AT)  # gone
    remind(goals[3], therapist, remind_on=DAY + days(1))  # tomorrow's
    remind(goals[0], patient_user)  # someone else's
    sent_today = remind(goals[2], therapist, due_on=DAY + days(9), status="sent", sent_at=SENT_AT)

    with transaction.atomic():
        rows = locked_reminders(recipient_id=therapist.pk, day=DAY)
        pending = locked_reminders(recipient_id=therapist.pk, day=DAY, pending_only=True)

    expected = orm_read(therapist, DAY)
    assert [r.pk for r in rows] == [r.pk for r in expected]
    assert {r.pk for r in rows} == {today.pk, earlier.pk, sent_today.pk}
    assert [r.pk for r in pending] == [r.pk for r in orm_read(therapist, DAY, pending_only=True)]
    names = [f.attname for f in ReviewReminder._meta.concrete_fields]
    for mine, theirs in zip(rows, expected, strict=True):
        assert fields_of(mine, names) == fields_of(theirs, names)
        assert isinstance(mine.remind_on, datetime.date)
        assert mine.goal.next_review_on == theirs.goal.next_review_on
        assert mine.goal.alliance.therapist_id == therapist.pk
        assert mine.goal.alliance.patient.addressed_as == theirs.goal.alliance.patient.addressed_as
        assert mine.recipient.email == therapist.email
        assert mine.recipient.clinic.name == therapist.clinic.name


def test_a_field_it_does_not_read_is_loaded_when_asked_for(alliance, therapist):
    goal = ActiveGoalFactory(alliance=alliance)
    remind(goal, therapist)
    with transaction.atomic():
        (row,) = locked_reminders(recipient_id=therapist.pk, day=DAY)
    assert row.goal.description == goal.description  # deferred, then read: never a blank
    assert row.goal.alliance.started_on == alliance.started_on


def test_marking_sent_moves_stragglers_to_the_day_and_counts_the_try(alliance, therapist):
    goal = ActiveGoalFactory(alliance=alliance)
    straggler = remind(goal, therapist, remind_on=DAY - days(3), attempts=1)
    now = datetime.datetime(2026, 11, 25, 7, 30, tzinfo=datetime.UTC)
    with transaction.atomic():
        mark_sent(locked_reminders(recipient_id=therapist.pk, day=DAY), day=DAY, now=now)
    sent = reload(straggler)
    assert (sent.status, sent.sent_at, sent.remind_on, sent.attempts) == ("sent", now, DAY, 2)
    assert sent.updated_at == now


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
def test_on_postgresql_it_runs_prepared_and_still_locks(alliance, therapist):
    goals = ActiveGoalFactory.create_batch(2, alliance=alliance)
    for goal in goals:
        remind(goal, therapist)
    for pending_only in (False, True, False):
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            rows = locked_reminders(recipient_id=therapist.pk, day=DAY, pending_only=pending_only)
            with connection.cursor() as cursor:
                # The rows are locked by this transaction: another may not take them now.
                cursor.execute(
                    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                    " WHERE c.relname = %s AND l.mode = 'RowShareLock'"
                    " AND l.pid = pg_backend_pid()",
                    [ReviewReminder._meta.db_table],
                )
                assert cursor.fetchone()[0] == 1
        assert queries[0]["sql"].startswith("EXECUTE alliance_read_")
        assert rows == orm_read(therapist, DAY, pending_only=pending_only)


@pytest.mark.parametrize("reminders", [1, 5])
def test_sending_a_digest_reads_nothing_the_locked_read_left_out(
    alliance, therapist, patient_user, mailoutbox, django_assert_num_queries, reminders
):
    # The same statements for one reminder or five, for a therapist and for a patient: the
    # email and the checks before it use only the columns the read brings (a field left out
    # would be read again, row by row).
    goals = ActiveGoalFactory.create_batch(reminders, alliance=alliance)
    for goal in goals:
        remind(goal, therapist)
        remind(goal, patient_user)
    for recipient in (therapist, patient_user):
        # The locked read and the "sent" update, in a savepoint of the test's transaction.
        with django_assert_num_queries(4):
            assert send_digest(recipient_id=recipient.pk, day=DAY) == "sent"
    assert len(mailoutbox) == 2
