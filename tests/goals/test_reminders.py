"""The reminder sweep: which reviews, when in the clinic's day, for whom, and only once.

alice (therapist) and patricia (patient_user, with a portal account) share `alliance` in a
clinic in Europe/London; reminders go out from 08:00 local, three days ahead (the defaults).
Times are fixed with `now=` so that the clinic's calendar is known.
"""

import datetime
import zoneinfo

import pytest
from django.db import transaction

from alliance.models import Alliance
from goals.models import Goal, ReviewReminder
from goals.reminders.sweep import sweep
from goals.tasks import send_review_reminder_batch
from tests.factories import AllianceFactory, ClinicFactory, PatientFactory, UserFactory
from tests.goals.factories import ActiveGoalFactory, ProposedGoalFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
LOS_ANGELES = zoneinfo.ZoneInfo("America/Los_Angeles")
# A Wednesday in winter: London is on GMT (UTC+0).
DAY = datetime.date(2026, 11, 25)


def at(day: datetime.date, hour: int, minute: int = 0, zone=LONDON) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def due(goal: Goal, on: datetime.date) -> Goal:
    Goal.objects.filter(pk=goal.pk).update(next_review_on=on)
    goal.refresh_from_db()
    return goal


@pytest.fixture
def batches(monkeypatch):
    """What the sweep hands to the worker, instead of a broker: one list per task."""
    calls = []
    monkeypatch.setattr(send_review_reminder_batch, "delay", lambda digests: calls.append(digests))
    return calls


def digests(batches: list[list]) -> list[tuple[int, str]]:
    """The digests queued, as (recipient id, day), whichever batch carries them."""
    return [tuple(digest) for batch in batches for digest in batch]


def keys() -> set[tuple]:
    return set(
        ReviewReminder.objects.values_list("goal_id", "due_on", "recipient__email", "audience")
    )


def test_it_waits_for_the_clinic_reminder_hour(active_goal):
    due(active_goal, DAY + days(2))
    assert sweep(now=at(DAY, 7, 59)).created == 0
    assert sweep(now=at(DAY, 8, 0)).created == 2


def test_it_reminds_the_therapist_and_the_patient(active_goal):
    due(active_goal, DAY + days(2))
    sweep(now=at(DAY, 9))
    assert keys() == {
        (active_goal.pk, DAY + days(2), "alice@example.org", "therapist"),
        (active_goal.pk, DAY + days(2), "patricia@example.org", "patient"),
    }
    assert set(ReviewReminder.objects.values_list("status", "remind_on", "attempts")) == {
        ("pending", DAY, 0)
    }


def test_it_reminds_reviews_within_the_lead_time(alliance):
    inside = due(ActiveGoalFactory(alliance=alliance), DAY + days(3))
    today = due(ActiveGoalFactory(alliance=alliance), DAY)
    outside = due(ActiveGoalFactory(alliance=alliance), DAY + days(4))
    sweep(now=at(DAY, 9))
    reminded = set(ReviewReminder.objects.values_list("goal_id", flat=True))
    assert reminded == {inside.pk, today.pk}
    assert outside.pk not in reminded


def test_the_lead_time_is_the_clinic_s(alliance):
    alliance.clinic.reminder_lead_days = 7
    alliance.clinic.save()
    goal = due(ActiveGoalFactory(alliance=alliance), DAY + days(7))
    sweep(now=at(DAY, 9))
    assert ReviewReminder.objects.filter(goal=goal).count() == 2


def test_it_reminds_overdue_reviews_never_reminded(active_goal):
    due(active_goal, DAY - days(10))
    assert sweep(now=at(DAY, 9)).created == 2
    assert set(ReviewReminder.objects.values_list("due_on", flat=True)) == {DAY - days(10)}


def test_an_overdue_review_already_reminded_is_not_reminded_again(active_goal):
    due(active_goal, DAY + days(1))
    sweep(now=at(DAY, 9))
    # Days later, the review is overdue and still not held.
    assert sweep(now=at(DAY + days(5), 9)).created == 0
    assert ReviewReminder.objects.count() == 2


def test_a_new_review_date_is_reminded_again(active_goal):
    due(active_goal, DAY + days(1))
    sweep(now=at(DAY, 9))
    # Reviewed on the day; the next review is a week later.
    due(active_goal, DAY + days(8))
    assert sweep(now=at(DAY + days(5), 9)).created == 2
    assert set(ReviewReminder.objects.values_list("due_on", flat=True)) == {
        DAY + days(1),
        DAY + days(8),
    }


def test_a_second_sweep_creates_nothing(active_goal, batches):
    due(active_goal, DAY + days(2))
    assert sweep(now=at(DAY, 9)).created == 2
    assert sweep(now=at(DAY, 9, 15)).created == 0
    assert sweep(now=at(DAY + days(1), 9)).created == 0
    assert ReviewReminder.objects.count() == 2


def test_the_patient_who_turned_reminders_off_is_not_reminded(active_goal):
    patient = active_goal.alliance.patient
    patient.review_reminders = False
    patient.save()
    due(active_goal, DAY + days(2))
    sweep(now=at(DAY, 9))
    assert {k[2] for k in keys()} == {"alice@example.org"}


def test_a_patient_without_a_portal_account_is_not_reminded(therapist):
    alliance = AllianceFactory(therapist=therapist, patient=PatientFactory(clinic=therapist.clinic))
    goal = due(ActiveGoalFactory(alliance=alliance), DAY + days(2))
    sweep(now=at(DAY, 9))
    assert set(ReviewReminder.objects.values_list("goal_id", "audience")) == {
        (goal.pk, "therapist")
    }


@pytest.mark.parametrize("status", ["on-hold", "completed", "cancelled", "entered-in-error"])
def test_goals_not_active_are_not_reminded(active_goal, status):
    Goal.objects.filter(pk=active_goal.pk).update(
        lifecycle_status=status, next_review_on=DAY + days(1)
    )
    assert sweep(now=at(DAY, 9)).created == 0


def test_a_proposed_goal_is_not_reminded(alliance):
    goal = ProposedGoalFactory(alliance=alliance)
    due(goal, DAY + days(1))
    assert sweep(now=at(DAY, 9)).created == 0


def test_goals_of_an_ended_alliance_are_not_reminded(active_goal):
    due(active_goal, DAY + days(1))
    Alliance.objects.filter(pk=active_goal.alliance_id).update(status="ended", ended_on=DAY)
    assert sweep(now=at(DAY, 9)).created == 0


def test_a_therapist_who_left_is_not_emailed(active_goal, therapist):
    therapist.is_active = False
    therapist.save()
    due(active_goal, DAY + days(1))
    sweep(now=at(DAY, 9))
    assert {k[3] for k in keys()} == {"patient"}


# Time zones and the clocks changing.


@pytest.mark.parametrize(
    ("utc", "reminded"),
    [
        # Spring forward on Sunday 29 March 2026: 07:30 UTC is 08:30 BST on the day...
        (datetime.datetime(2026, 3, 29, 7, 30, tzinfo=datetime.UTC), True),
        # ...but 07:30 GMT the day before, not yet the hour.
        (datetime.datetime(2026, 3, 28, 7, 30, tzinfo=datetime.UTC), False),
        # Fall back on Sunday 25 October 2026: 07:30 UTC is 08:30 BST the day before...
        (datetime.datetime(2026, 10, 24, 7, 30, tzinfo=datetime.UTC), True),
        # ...and only 07:30 GMT on the day itself.
        (datetime.datetime(2026, 10, 25, 7, 30, tzinfo=datetime.UTC), False),
        (datetime.datetime(2026, 10, 25, 8, 0, tzinfo=datetime.UTC), True),
    ],
)
def test_the_reminder_hour_is_local_across_daylight_saving(active_goal, utc, reminded):
    local_day = utc.astimezone(LONDON).date()
    due(active_goal, local_day + days(1))
    assert (sweep(now=utc).created > 0) is reminded


def test_an_hour_skipped_by_the_clocks_counts_as_passed(active_goal):
    clinic = active_goal.alliance.clinic
    clinic.reminder_hour = 1  # 01:00-02:00 does not exist in London on 29 March 2026
    clinic.save()
    due(active_goal, datetime.date(2026, 3, 30))
    before = datetime.datetime(2026, 3, 29, 0, 59, tzinfo=datetime.UTC)  # 00:59 GMT
    after = datetime.datetime(2026, 3, 29, 1, 0, tzinfo=datetime.UTC)  # 02:00 BST
    assert sweep(now=before).created == 0
    assert sweep(now=after).created == 2


@pytest.fixture
def west(db):
    """A clinic in Los Angeles (UTC-8 in November) with one goal."""
    clinic = ClinicFactory(name="Pacific Therapy", time_zone="America/Los_Angeles")
    therapist = UserFactory(email="wes@example.org", clinic=clinic)
    alliance = AllianceFactory(therapist=therapist, patient=PatientFactory(clinic=clinic))
    return ActiveGoalFactory(alliance=alliance)


def test_a_clinic_west_of_utc_counts_from_its_own_date(west):
    # 03:00 UTC on the 26th is still 19:00 on the 25th in Los Angeles.
    now = datetime.datetime(2026, 11, 26, 3, 0, tzinfo=datetime.UTC)
    due(west, DAY + days(3))  # the 28th: within three days of the 25th
    sweep(now=now)
    assert set(ReviewReminder.objects.values_list("remind_on", flat=True)) == {DAY}


def test_a_clinic_west_of_utc_does_not_remind_from_the_utc_date(west):
    now = datetime.datetime(2026, 11, 26, 3, 0, tzinfo=datetime.UTC)
    due(west, DAY + days(4))  # the 29th: within three days of the UTC date, not the local one
    assert sweep(now=now).created == 0


def test_a_clinic_west_of_utc_waits_for_its_own_morning(west):
    due(west, DAY + days(2))
    assert sweep(now=at(DAY, 7, 59, zone=LOS_ANGELES)).created == 0  # 15:59 UTC
    assert sweep(now=at(DAY, 8, 0, zone=LOS_ANGELES)).created == 1  # therapist only


def test_each_clinic_keeps_its_own_hour(active_goal, west):
    due(active_goal, DAY + days(1))
    due(west, DAY + days(1))
    # 09:00 in London is 01:00 in Los Angeles.
    result = sweep(now=at(DAY, 9))
    assert result.created == 2
    assert [c.day for c in result.clinics if c.clinic == west.alliance.clinic] == [None]


# Queueing after commit.


def test_it_queues_one_send_per_recipient_and_day(
    alliance, batches, django_capture_on_commit_callbacks
):
    for n in range(3):
        due(ActiveGoalFactory(alliance=alliance), DAY + days(n))
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep(now=at(DAY, 9))
    assert result.created == 6
    assert sorted(digests(batches)) == sorted(
        [
            (alliance.therapist_id, "2026-11-25"),
            (alliance.patient.portal_user_id, "2026-11-25"),
        ]
    )


def test_nothing_is_queued_before_the_commit(active_goal, batches):
    due(active_goal, DAY + days(1))
    sweep(now=at(DAY, 9))  # inside the test's transaction, never committed
    assert batches == []


def test_a_rolled_back_sweep_queues_nothing(
    active_goal, batches, django_capture_on_commit_callbacks
):
    due(active_goal, DAY + days(1))
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        sweep(now=at(DAY, 9))
        raise RuntimeError("the sweep's caller failed")
    assert callbacks == []
    assert batches == []
    assert ReviewReminder.objects.count() == 0


def test_a_sweep_with_nothing_new_queues_nothing(
    active_goal, batches, django_capture_on_commit_callbacks
):
    due(active_goal, DAY + days(1))
    with django_capture_on_commit_callbacks(execute=True):
        sweep(now=at(DAY, 9))
    batches.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sweep(now=at(DAY, 9, 15))
    assert batches == []


def test_a_pending_reminder_left_too_long_is_queued_again(
    active_goal, batches, django_capture_on_commit_callbacks, settings
):
    settings.REMINDER_REQUEUE_AFTER_MINUTES = 60
    due(active_goal, DAY + days(1))
    sweep(now=at(DAY, 9))
    # The message was lost: the rows are still pending the next morning.
    ReviewReminder.objects.update(updated_at=at(DAY, 9))
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep(now=at(DAY + days(1), 9))
    assert result.created == 0
    assert len(digests(batches)) == 2
    assert {day for _, day in digests(batches)} == {"2026-11-26"}
    assert set(ReviewReminder.objects.values_list("remind_on", flat=True)) == {DAY + days(1)}


def test_a_pending_reminder_touched_recently_is_left_to_its_task(
    active_goal, batches, django_capture_on_commit_callbacks
):
    due(active_goal, DAY + days(1))
    sweep(now=at(DAY, 9))
    ReviewReminder.objects.update(updated_at=at(DAY, 9))
    with django_capture_on_commit_callbacks(execute=True):
        sweep(now=at(DAY, 9, 30))
    assert batches == []


def test_sent_and_failed_reminders_are_never_queued_again(
    active_goal, batches, django_capture_on_commit_callbacks
):
    due(active_goal, DAY + days(1))
    sweep(now=at(DAY, 9))
    ReviewReminder.objects.filter(audience="therapist").update(status="sent", sent_at=at(DAY, 9))
    ReviewReminder.objects.filter(audience="patient").update(status="failed")
    ReviewReminder.objects.update(updated_at=at(DAY, 9))
    with django_capture_on_commit_callbacks(execute=True):
        sweep(now=at(DAY + days(1), 9))
    assert batches == []
