"""The sweep's one statement per clinic: the reminders it makes, for a clinic with every case.

alice (therapist) and patricia (her patient, with a portal account and reminders on) share
`alliance` in Riverside Therapy (Europe/London, reminders from 08:00, three days ahead); bob
has patients in the same clinic, oscar one in Los Angeles (tests/conftest.py). It is 09:00
in London on Wednesday 25 November 2026 (01:00 in Los Angeles).

Every test runs twice: through INSERT ... SELECT ... RETURNING (PostgreSQL, SQLite 3.35+), and
through the read-then-insert path kept for a database without RETURNING.
"""

import datetime
import zoneinfo

import pytest
from django.db import connection

from alliance.models import Alliance
from goals.models import Goal, ReviewReminder
from goals.reminders.sweep import sweep
from goals.tasks import send_review_reminder_batch
from tests.factories import AllianceFactory, PatientFactory, UserFactory
from tests.goals.factories import ActiveGoalFactory

DAY = datetime.date(2026, 11, 25)
NINE_IN_LONDON = datetime.datetime(2026, 11, 25, 9, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
EIGHT_IN_LOS_ANGELES = datetime.datetime(
    2026, 11, 25, 8, tzinfo=zoneinfo.ZoneInfo("America/Los_Angeles")
)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture(params=["returning", "read then insert"], autouse=True)
def statement(request, monkeypatch):
    if request.param == "read then insert":
        features = type(connection.features)
        monkeypatch.setattr(features, "can_return_rows_from_bulk_insert", False)
    return request.param


@pytest.fixture
def batches(monkeypatch):
    calls = []
    monkeypatch.setattr(send_review_reminder_batch, "delay", lambda digests: calls.append(digests))
    return calls


def goal_due(alliance: Alliance, on: datetime.date) -> Goal:
    goal = ActiveGoalFactory(alliance=alliance)
    Goal.objects.filter(pk=goal.pk).update(next_review_on=on)
    return goal


@pytest.fixture
def mixed(alliance, other_therapist, outside_alliance):
    """One clinic with every case the sweep decides on, and a clinic still before its hour."""
    clinic = alliance.clinic

    def patient(email=None, **fields):
        portal = email and UserFactory(email=email, clinic=clinic, role="patient")
        return PatientFactory(clinic=clinic, portal_user=portal, **fields)

    no_portal = AllianceFactory(therapist=other_therapist, patient=patient())
    opted_out = AllianceFactory(
        therapist=other_therapist, patient=patient("olive@example.org", review_reminders=False)
    )
    ended = AllianceFactory(therapist=other_therapist, patient=patient("enid@example.org"))
    left = AllianceFactory(
        therapist=UserFactory(email="lee@example.org", clinic=clinic, is_active=False),
        patient=patient("lara@example.org"),
    )
    goals = {
        "both": goal_due(alliance, DAY + days(2)),
        "overdue": goal_due(alliance, DAY - days(6)),
        "no_portal": goal_due(no_portal, DAY + days(3)),
        "opted_out": goal_due(opted_out, DAY),
        "therapist_left": goal_due(left, DAY + days(1)),
        "not_due": goal_due(alliance, DAY + days(4)),
        "ended": goal_due(ended, DAY + days(1)),
        "other_clinic": goal_due(outside_alliance, DAY + days(1)),
    }
    Alliance.objects.filter(pk=ended.pk).update(status="ended", ended_on=DAY)
    return goals


def made() -> set[tuple]:
    return set(
        ReviewReminder.objects.values_list(
            "goal_id", "due_on", "recipient__email", "audience", "remind_on", "status", "attempts"
        )
    )


def test_it_makes_the_reminders_each_rule_calls_for(mixed, batches):
    result = sweep(now=NINE_IN_LONDON)
    pending = ("pending", 0)
    assert made() == {
        (mixed["both"].pk, DAY + days(2), "alice@example.org", "therapist", DAY, *pending),
        (mixed["both"].pk, DAY + days(2), "patricia@example.org", "patient", DAY, *pending),
        (mixed["overdue"].pk, DAY - days(6), "alice@example.org", "therapist", DAY, *pending),
        (mixed["overdue"].pk, DAY - days(6), "patricia@example.org", "patient", DAY, *pending),
        (mixed["no_portal"].pk, DAY + days(3), "bob@example.org", "therapist", DAY, *pending),
        (mixed["opted_out"].pk, DAY, "bob@example.org", "therapist", DAY, *pending),
        (mixed["therapist_left"].pk, DAY + days(1), "lara@example.org", "patient", DAY, *pending),
    }
    assert result.created == 7
    assert ReviewReminder.objects.filter(sent_at__isnull=False).count() == 0


def test_the_other_clinic_gets_its_own_at_its_hour(mixed, batches):
    sweep(now=NINE_IN_LONDON)
    later = sweep(now=EIGHT_IN_LOS_ANGELES)
    assert later.created == 1
    assert ReviewReminder.objects.filter(goal=mixed["other_clinic"]).get().recipient.email == (
        "oscar@example.org"
    )


def test_a_second_sweep_makes_and_queues_nothing(
    mixed, batches, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sweep(now=NINE_IN_LONDON)
    assert sorted(tuple(digest) for batch in batches for digest in batch) == sorted(
        [
            (mixed["both"].alliance.therapist_id, "2026-11-25"),
            (mixed["both"].alliance.patient.portal_user_id, "2026-11-25"),
            (mixed["no_portal"].alliance.therapist_id, "2026-11-25"),
            (mixed["therapist_left"].alliance.patient.portal_user_id, "2026-11-25"),
        ]
    )
    before = made()
    batches.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = sweep(now=NINE_IN_LONDON + datetime.timedelta(minutes=15))
    assert again.created == 0
    assert made() == before
    assert batches == []


def test_digests_are_queued_in_batches_of_the_batch_size(
    alliance, other_alliance, settings, batches, django_capture_on_commit_callbacks
):
    settings.REMINDER_BATCH_SIZE = 3
    goal_due(alliance, DAY + days(1))
    goal_due(other_alliance, DAY + days(1))
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep(now=NINE_IN_LONDON)
    assert result.queued == 4  # alice, patricia, bob, peter: one digest each
    assert [len(batch) for batch in batches] == [3, 1]
    everyone = {digest[0] for batch in batches for digest in batch}
    assert everyone == {
        alliance.therapist_id,
        alliance.patient.portal_user_id,
        other_alliance.therapist_id,
        other_alliance.patient.portal_user_id,
    }


def test_nothing_clinical_is_logged(mixed, batches, caplog):
    caplog.set_level("DEBUG", logger="goals")
    sweep(now=NINE_IN_LONDON)
    logged = caplog.text
    assert "7 reminders created in clinic" in logged
    for secret in ["corner shop", "Patricia", "Quill", "lara@example.org"]:
        assert secret not in logged
