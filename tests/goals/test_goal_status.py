"""Goals on hold, stopped or entered in error (nothing deleted), and who sees which.

alice (therapist) and patricia (patient_user, through the portal) share `alliance`; see
tests/conftest.py for everyone else and tests/goals/conftest.py for the goal fixtures.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from goals import services
from goals.models import (
    Goal,
    Lifecycle,
)
from tests.goals.factories import ActiveGoalFactory
from tests.goals.service_steps import (
    DAY,
    days,
    reload,
)

# On hold, stopped, entered in error: nothing is deleted --------------------------------------


def test_a_goal_on_hold_is_not_flagged_and_resumes_with_a_review_ahead(
    active_goal, therapist, today
):
    goal = services.goal_hold(goal=active_goal, by=therapist, reason="In hospital")
    Goal.objects.filter(pk=goal.pk).update(next_review_on=today - DAY)

    goal = reload(goal)
    assert goal.lifecycle_status == Lifecycle.ON_HOLD
    assert goal.status_reason == "In hospital"
    assert goal in Goal.objects.current()
    assert goal not in Goal.objects.review_overdue(today)

    goal = services.goal_resume(goal=goal, by=therapist)

    goal = reload(goal)
    assert goal.lifecycle_status == Lifecycle.ACTIVE
    assert goal.next_review_on == today + days(28)


def test_only_an_active_goal_is_put_on_hold(proposed_goal, therapist):
    with pytest.raises(ValidationError):
        services.goal_hold(goal=proposed_goal, by=therapist, reason="Not yet")
    with pytest.raises(ValidationError):
        services.goal_resume(goal=proposed_goal, by=therapist)

    assert reload(proposed_goal).lifecycle_status == Lifecycle.PROPOSED


def test_putting_a_goal_on_hold_needs_a_reason(active_goal, therapist):
    with pytest.raises(ValidationError):
        services.goal_hold(goal=active_goal, by=therapist, reason="  ")

    assert reload(active_goal).lifecycle_status == Lifecycle.ACTIVE


def test_stopping_a_goal_needs_a_reason_and_keeps_it(active_goal, therapist, patient_user):
    with pytest.raises(ValidationError) as error:
        services.goal_withdraw(goal=active_goal, by=therapist, reason=" ")
    assert "reason" in error.value.message_dict
    assert reload(active_goal).lifecycle_status == Lifecycle.ACTIVE

    services.goal_withdraw(goal=active_goal, by=therapist, reason="Not what matters now")

    goal = reload(active_goal)
    assert goal.lifecycle_status == Lifecycle.CANCELLED
    assert goal.status_reason == "Not what matters now"
    assert goal.next_review_on is None
    assert goal not in Goal.objects.current()
    assert goal in Goal.objects.visible_to(patient_user).shared_with_patient()
    with pytest.raises(ValidationError):
        services.goal_withdraw(goal=goal, by=therapist, reason="Again")


def test_a_goal_entered_in_error_stays_in_the_record(active_goal, therapist, patient_user):
    with pytest.raises(ValidationError) as error:
        services.goal_enter_in_error(goal=active_goal, by=therapist, reason="")
    assert "reason" in error.value.message_dict

    services.goal_enter_in_error(goal=active_goal, by=therapist, reason=" Wrong patient ")

    goal = reload(active_goal)
    assert goal.lifecycle_status == Lifecycle.ENTERED_IN_ERROR
    assert goal.status_reason == "Wrong patient"
    assert goal.versions.count() == 1
    assert goal in Goal.objects.visible_to(therapist)
    assert goal not in Goal.objects.current()
    assert goal not in Goal.objects.visible_to(patient_user).shared_with_patient()
    with pytest.raises(ValidationError, match="already"):
        services.goal_enter_in_error(goal=goal, by=therapist, reason="Twice")


def test_a_draft_entered_in_error_stays_in_the_record(draft_goal, therapist):
    services.goal_enter_in_error(goal=draft_goal, by=therapist, reason="Typed twice")

    assert reload(draft_goal).lifecycle_status == Lifecycle.ENTERED_IN_ERROR
    assert not Goal.objects.current().exists()


def test_drafts_are_not_shared_with_the_patient(
    draft_goal, proposed_goal, active_goal, patient_user
):
    shared = Goal.objects.visible_to(patient_user).shared_with_patient()

    assert set(shared) == {proposed_goal, active_goal}


# Who sees which goals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("therapist", {"here"}),
        ("supervisor", {"here"}),
        ("patient_user", {"here"}),
        ("other_therapist", {"there"}),
        ("other_patient_user", {"there"}),
        ("unrelated_supervisor", set()),
        ("clinic_admin", set()),
        ("outsider", {"outside"}),
    ],
)
def test_each_role_sees_the_goals_of_its_own_alliances(request, world, role, sees):
    goals = {
        "here": ActiveGoalFactory(alliance=world["alliance"]),
        "there": ActiveGoalFactory(alliance=world["other_alliance"]),
        "outside": ActiveGoalFactory(alliance=world["outside_alliance"]),
    }

    visible = set(Goal.objects.visible_to(request.getfixturevalue(role)))

    assert visible == {goals[name] for name in sees}


def test_nobody_logged_out_sees_goals(active_goal):
    assert not Goal.objects.visible_to(AnonymousUser()).exists()


def test_a_supervisor_no_longer_supervising_sees_no_goals(supervisor, active_goal, today):
    supervisor.supervisions_given.update(ends_on=today - DAY)

    assert not Goal.objects.visible_to(supervisor).exists()
