"""Progress on goals and their reviews, through goals.services.

alice (therapist) and patricia (patient_user, through the portal) share `alliance`; see
tests/conftest.py for everyone else and tests/goals/conftest.py for the goal fixtures.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from goals import services
from goals.models import (
    Achievement,
    Direction,
    Goal,
    GoalProgress,
    GoalReview,
    Lifecycle,
)
from tests.goals.factories import ActiveGoalFactory
from tests.goals.service_steps import (
    DAY,
    PATIENT,
    THERAPIST,
    days,
    record,
    reload,
)

# Progress ------------------------------------------------------------------------------------


def test_progress_can_be_a_value_a_level_or_both(gas_goal, therapist, today):
    record(gas_goal, therapist, recorded_on=today - days(2), value=Decimal("1"))
    record(gas_goal, therapist, recorded_on=today - DAY, gas_level=-1)
    record(gas_goal, therapist, recorded_on=today, value=Decimal("2"), gas_level=0, note=" ok ")

    rows = list(gas_goal.progress.values_list("value", "gas_level", "reported_by", "note"))
    assert rows == [
        (Decimal("1"), None, THERAPIST, ""),
        (None, -1, THERAPIST, ""),
        (Decimal("2"), 0, THERAPIST, "ok"),
    ]


def test_progress_needs_a_value_or_a_level(gas_goal, therapist, today):
    with pytest.raises(ValidationError) as error:
        record(gas_goal, therapist, recorded_on=today)

    assert "value" in error.value.message_dict
    assert not GoalProgress.objects.exists()


def test_a_level_needs_the_levels_described(active_goal, therapist, today):
    with pytest.raises(ValidationError) as error:
        record(active_goal, therapist, recorded_on=today, gas_level=1)

    assert "gas_level" in error.value.message_dict
    assert not GoalProgress.objects.exists()


def test_a_level_outside_minus_two_to_plus_two_is_refused(gas_goal, therapist, today):
    with pytest.raises(ValidationError):
        record(gas_goal, therapist, recorded_on=today, gas_level=3)


def test_progress_is_not_recorded_for_a_day_to_come(active_goal, therapist, today):
    with pytest.raises(ValidationError) as error:
        record(active_goal, therapist, recorded_on=today + DAY, value=Decimal("1"))

    assert "recorded_on" in error.value.message_dict
    assert not GoalProgress.objects.exists()


def test_progress_is_not_recorded_before_the_episode_of_care(
    alliance, active_goal, therapist, today
):
    with pytest.raises(ValidationError) as error:
        record(active_goal, therapist, recorded_on=alliance.started_on - DAY, value=Decimal(1))

    assert "recorded_on" in error.value.message_dict
    record(active_goal, therapist, recorded_on=alliance.started_on, value=Decimal("1"))
    assert active_goal.progress.count() == 1


def test_the_patient_records_their_own_progress(gas_goal, patient_user, today):
    progress = record(gas_goal, patient_user, party=PATIENT, recorded_on=today, gas_level=1)

    progress.refresh_from_db()
    assert progress.reported_by == PATIENT
    assert progress.recorded_by == patient_user


def test_progress_is_recorded_on_agreed_goals_only(
    draft_goal, proposed_goal, active_goal, therapist, today
):
    for goal in (draft_goal, proposed_goal):
        with pytest.raises(ValidationError, match="agreed goals only"):
            record(goal, therapist, recorded_on=today, value=Decimal("1"))

    services.goal_hold(goal=active_goal, by=therapist, reason="Back in a fortnight")
    record(active_goal, therapist, recorded_on=today, value=Decimal("1"))
    services.goal_withdraw(goal=active_goal, by=therapist, reason="No longer wanted")
    with pytest.raises(ValidationError, match="agreed goals only"):
        record(active_goal, therapist, recorded_on=today, value=Decimal("2"))

    assert GoalProgress.objects.count() == 1


def test_the_first_value_is_compared_with_the_baseline(active_goal, therapist, today):
    # Baseline 0 trips, higher is better.
    record(active_goal, therapist, recorded_on=today, value=Decimal("0"))

    assert reload(active_goal).achievement_status == Achievement.NO_CHANGE


def test_progress_shows_whether_things_improve_when_higher_is_better(active_goal, therapist, today):
    def status_after(value, on):
        record(active_goal, therapist, recorded_on=on, value=Decimal(value))
        return reload(active_goal).achievement_status

    assert status_after("1", today - days(3)) == Achievement.IMPROVING  # 0 -> 1
    assert status_after("1", today - days(2)) == Achievement.NO_CHANGE  # 1 -> 1
    assert status_after("0.5", today - DAY) == Achievement.WORSENING  # 1 -> 0.5
    assert status_after("2", today) == Achievement.IMPROVING  # 0.5 -> 2


def test_progress_shows_whether_things_improve_when_lower_is_better(alliance, therapist, today):
    goal = ActiveGoalFactory(
        alliance=alliance,
        description="Cut down drinking days",
        direction=Direction.DECREASE,
        baseline=Decimal("6"),
        target=Decimal("2"),
    )

    def status_after(value, on):
        record(goal, therapist, recorded_on=on, value=Decimal(value))
        return reload(goal).achievement_status

    assert status_after("5", today - days(2)) == Achievement.IMPROVING  # 6 -> 5
    assert status_after("7", today - DAY) == Achievement.WORSENING  # 5 -> 7
    assert status_after("7", today) == Achievement.NO_CHANGE  # 7 -> 7


def test_a_patient_reported_value_counts_towards_the_trend(
    active_goal, therapist, patient_user, today
):
    record(active_goal, therapist, recorded_on=today - DAY, value=Decimal("2"))
    record(active_goal, patient_user, party=PATIENT, recorded_on=today, value=Decimal("1"))

    assert reload(active_goal).achievement_status == Achievement.WORSENING


def test_a_back_dated_value_keeps_the_trend_of_the_latest_reading(active_goal, therapist, today):
    record(active_goal, therapist, recorded_on=today, value=Decimal("1"))  # 0 -> 1: improving
    # Patricia's diary entry for last week, typed in late: the latest reading is still 1.
    record(active_goal, therapist, recorded_on=today - days(7), value=Decimal("0.5"))

    # By date: baseline 0, then 0.5, then 1: still improving.
    assert reload(active_goal).achievement_status == Achievement.IMPROVING


# Reviews -------------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", [GoalReview.Outcome.CONTINUE, GoalReview.Outcome.REVISE])
def test_a_review_sets_the_next_one_a_cadence_later(active_goal, therapist, today, outcome):
    Goal.objects.filter(pk=active_goal.pk).update(started_on=today - days(30))
    active_goal.refresh_from_db()

    review = services.review_record(
        goal=active_goal,
        by=therapist,
        reviewed_on=today - days(3),
        outcome=outcome,
        note=" Going well. ",
    )

    goal = reload(active_goal)
    assert goal.next_review_on == today - days(3) + days(28)
    assert goal.lifecycle_status == Lifecycle.ACTIVE
    review.refresh_from_db()
    assert (review.next_review_on, review.note) == (goal.next_review_on, "Going well.")
    assert review.reviewed_by == therapist


def test_an_achieved_goal_is_completed_with_no_review_to_come(active_goal, therapist, today):
    review = services.review_record(
        goal=active_goal,
        by=therapist,
        reviewed_on=today,
        outcome=GoalReview.Outcome.ACHIEVED,
        note="Three trips alone every week for a month.",
    )

    goal = reload(active_goal)
    assert goal.lifecycle_status == Lifecycle.COMPLETED
    assert goal.achievement_status == Achievement.ACHIEVED
    assert goal.next_review_on is None
    assert goal.status_date == today
    assert review.next_review_on is None
    assert goal not in Goal.objects.current()


def test_a_discontinued_goal_is_stopped_as_not_achieved(active_goal, therapist, today):
    services.review_record(
        goal=active_goal,
        by=therapist,
        reviewed_on=today,
        outcome=GoalReview.Outcome.DISCONTINUE,
        note="Moved house; the shop is no longer the point.",
    )

    goal = reload(active_goal)
    assert goal.lifecycle_status == Lifecycle.CANCELLED
    assert goal.achievement_status == Achievement.NOT_ACHIEVED
    assert goal.status_reason == "Moved house; the shop is no longer the point."
    assert goal.next_review_on is None


def test_a_review_is_not_dated_in_the_future(active_goal, therapist, today):
    with pytest.raises(ValidationError) as error:
        services.review_record(
            goal=active_goal, by=therapist, reviewed_on=today + DAY, outcome="continue"
        )

    assert "reviewed_on" in error.value.message_dict
    assert not GoalReview.objects.exists()
    assert reload(active_goal).next_review_on == today + days(28)


def test_a_review_is_not_dated_before_the_goal_was_agreed(active_goal, therapist, today):
    with pytest.raises(ValidationError) as error:
        services.review_record(
            goal=active_goal, by=therapist, reviewed_on=today - DAY, outcome="continue"
        )

    assert "reviewed_on" in error.value.message_dict
    assert not GoalReview.objects.exists()


def test_only_an_agreed_goal_is_reviewed(proposed_goal, therapist, today):
    with pytest.raises(ValidationError):
        services.review_record(
            goal=proposed_goal, by=therapist, reviewed_on=today, outcome="continue"
        )

    assert not GoalReview.objects.exists()


def test_a_review_needs_an_outcome(active_goal, therapist, today):
    with pytest.raises(ValidationError) as error:
        services.review_record(goal=active_goal, by=therapist, reviewed_on=today, outcome="")

    assert "outcome" in error.value.message_dict
    assert not GoalReview.objects.exists()


def test_the_patient_does_not_record_reviews(active_goal, patient_user, today):
    with pytest.raises(PermissionDenied):
        services.review_record(
            goal=active_goal, by=patient_user, reviewed_on=today, outcome="achieved"
        )

    assert reload(active_goal).lifecycle_status == Lifecycle.ACTIVE


def test_a_review_past_its_date_is_flagged_overdue(alliance, therapist, today):
    overdue, due_today, on_time, completed = ActiveGoalFactory.create_batch(4, alliance=alliance)
    services.review_record(goal=completed, by=therapist, reviewed_on=today, outcome="achieved")
    Goal.objects.filter(pk__in=[overdue.pk, completed.pk]).update(next_review_on=today - DAY)
    Goal.objects.filter(pk=due_today.pk).update(next_review_on=today)

    assert list(Goal.objects.review_overdue(today)) == [overdue]
    assert reload(overdue).review_overdue_on(today)
    assert not reload(due_today).review_overdue_on(today)
    assert not reload(on_time).review_overdue_on(today)
    assert not reload(completed).review_overdue_on(today)


def test_a_review_clears_the_overdue_flag(active_goal, therapist, today):
    Goal.objects.filter(pk=active_goal.pk).update(next_review_on=today - DAY)
    goal = reload(active_goal)
    assert goal in Goal.objects.review_overdue(today)

    services.review_record(goal=goal, by=therapist, reviewed_on=today, outcome="continue")

    assert goal not in Goal.objects.review_overdue(today)
    assert reload(goal).next_review_on == today + days(28)
