"""Changing an agreed goal's wording, and two people editing one goal at once.

alice (therapist) and patricia (patient_user, through the portal) share `alliance`; see
tests/conftest.py for everyone else and tests/goals/conftest.py for the goal fixtures.
"""

import contextlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from goals import services
from goals.models import (
    Agreement,
    Goal,
    GoalReview,
    GoalVersion,
    Lifecycle,
)
from tests.goals.service_steps import (
    PATIENT,
    days,
    patient_agrees,
    reload,
    reword,
)

# Changing the wording ------------------------------------------------------------------------


def test_changing_the_wording_of_an_active_goal_makes_a_new_version(active_goal, therapist):
    goal = reword(active_goal, therapist, reason="Three a week came easily", target=Decimal("4"))

    goal = reload(goal)
    assert goal.version == 2
    assert goal.target == 4
    first, second = GoalVersion.objects.filter(goal=goal).order_by("number")
    assert Decimal(first.wording["target"]) == 3
    assert Decimal(second.wording["target"]) == 4
    assert (second.changed_by, second.reason) == (therapist, "Three a week came easily")
    assert first.changed_at <= second.changed_at


def test_a_changed_goal_is_not_active_until_both_agree_again(active_goal, therapist, today):
    goal = reword(active_goal, therapist, reason="Three a week came easily", target=Decimal("4"))

    goal = reload(goal)
    assert goal.lifecycle_status == Lifecycle.PROPOSED
    assert (goal.patient_agreement, goal.therapist_agreement) == ("pending", "pending")
    assert goal not in Goal.objects.review_overdue(today + days(100))


def test_the_editor_can_agree_to_their_own_change(active_goal, therapist, patient_user, today):
    started_on = active_goal.started_on

    goal = reword(active_goal, therapist, reason="Raise it", agree=True, target=Decimal("4"))
    assert goal.therapist_agreement == Agreement.AGREE
    assert goal.patient_agreement == Agreement.PENDING
    assert goal.lifecycle_status == Lifecycle.PROPOSED

    goal = patient_agrees(goal, patient_user)

    goal = reload(goal)
    assert goal.lifecycle_status == Lifecycle.ACTIVE
    assert goal.started_on == started_on


def test_the_patient_can_change_the_wording_too(active_goal, patient_user):
    goal = reword(
        active_goal,
        patient_user,
        party=PATIENT,
        reason="My words, not the form's",
        agree=True,
        relevance="So the kids see me do it.",
    )

    goal = reload(goal)
    assert goal.patient_agreement == Agreement.AGREE
    assert goal.therapist_agreement == Agreement.PENDING
    assert goal.versions.get(number=2).changed_by == patient_user


def test_a_change_once_put_forward_needs_a_reason(proposed_goal, therapist):
    with pytest.raises(ValidationError) as error:
        reword(proposed_goal, therapist, reason="  ", target=Decimal("4"))

    assert "reason" in error.value.message_dict
    goal = reload(proposed_goal)
    assert goal.target == 3
    assert goal.version == 1
    assert goal.therapist_agreement == Agreement.AGREE


def test_editing_a_draft_makes_no_version(draft_goal, therapist):
    goal = reword(draft_goal, therapist, description="Go to the big supermarket alone")

    goal = reload(goal)
    assert goal.description == "Go to the big supermarket alone"
    assert goal.is_draft
    assert goal.version == 0
    assert not GoalVersion.objects.exists()


def test_an_edit_that_changes_nothing_changes_nothing(active_goal, therapist):
    before = reload(active_goal)

    goal = reword(active_goal, therapist, description=before.description, target=Decimal("3.00"))

    goal = reload(goal)
    assert goal.revision == before.revision
    assert goal.version == 1
    assert goal.lifecycle_status == Lifecycle.ACTIVE
    assert goal.is_agreed


def test_an_ended_goal_cannot_be_reworded(active_goal, therapist, today):
    services.review_record(
        goal=active_goal, by=therapist, reviewed_on=today, outcome=GoalReview.Outcome.ACHIEVED
    )

    with pytest.raises(ValidationError, match="ended"):
        reword(reload(active_goal), therapist, reason="Raise it", target=Decimal("4"))

    assert reload(active_goal).target == 3


def test_a_new_version_records_only_the_parts_that_changed(active_goal, therapist):
    reword(active_goal, therapist, reason="Three a week came easily", target=Decimal("4"))

    first, second = GoalVersion.objects.filter(goal=active_goal).order_by("number")
    changed = {name for name, value in second.wording.items() if first.wording[name] != value}
    # The history page lists exactly these as changed.
    assert changed == {"target"}


def test_a_wording_change_cannot_move_the_goal_to_another_alliance(
    draft_goal, therapist, alliance, other_alliance
):
    with contextlib.suppress(ValueError, ValidationError):
        reword(draft_goal, therapist, unit="visits", alliance=other_alliance)

    # goal_create refuses anything that is not wording with a ValueError; so should this.
    assert reload(draft_goal).alliance == alliance


def test_an_earlier_target_date_brings_the_next_review_forward(
    active_goal, therapist, patient_user, today
):
    assert active_goal.next_review_on == today + days(28)

    goal = reword(
        active_goal,
        therapist,
        reason="Before the holiday",
        agree=True,
        target_date=today + days(14),
    )
    goal = patient_agrees(goal, patient_user)

    assert reload(goal).next_review_on <= today + days(14)


def test_a_shorter_review_cadence_brings_the_next_review_forward(
    active_goal, therapist, patient_user, today
):
    goal = reword(
        active_goal, therapist, reason="Check in weekly", agree=True, review_interval_days=7
    )
    goal = patient_agrees(goal, patient_user)

    assert reload(goal).next_review_on == today + days(7)


# Two people editing the same goal ------------------------------------------------------------


def test_the_second_save_of_the_same_goal_is_a_conflict(active_goal, therapist, patient_user):
    alices_page = reload(active_goal)
    patricias_page = reload(active_goal)
    reword(patricias_page, patient_user, party=PATIENT, reason="Start smaller", target=Decimal(2))

    with pytest.raises(services.GoalConflict) as conflict:
        reword(alices_page, therapist, reason="Aim higher", target=Decimal("5"))

    # Both versions are there to show: the saved one on the error, the typed one in the form.
    assert conflict.value.current.target == 2
    assert conflict.value.current.revision > alices_page.revision
    goal = reload(active_goal)
    assert goal.target == 2
    assert goal.versions.count() == 2


def test_a_draft_edited_twice_at_once_is_a_conflict_too(draft_goal, therapist):
    first, second = reload(draft_goal), reload(draft_goal)
    reword(first, therapist, unit="visits")

    with pytest.raises(services.GoalConflict):
        reword(second, therapist, unit="outings")

    assert reload(draft_goal).unit == "visits"


def test_saving_again_from_the_newer_revision_is_accepted(active_goal, therapist, patient_user):
    stale = reload(active_goal)
    reword(reload(active_goal), patient_user, party=PATIENT, reason="Smaller", target=Decimal(2))
    with pytest.raises(services.GoalConflict) as conflict:
        reword(stale, therapist, reason="Aim higher", target=Decimal("5"))

    # Having seen both, the editor saves knowingly over the newer wording.
    goal = reword(conflict.value.current, therapist, reason="Aim higher", target=Decimal("5"))

    assert reload(goal).target == 5
    assert goal.version == 3


def test_ending_a_goal_from_an_older_copy_keeps_the_newer_wording(active_goal, therapist):
    stale = reload(active_goal)
    reword(active_goal, therapist, reason="Three a week came easily", target=Decimal("4"))

    with contextlib.suppress(services.GoalConflict, ValidationError):
        services.goal_hold(goal=stale, by=therapist, reason="In hospital for two weeks")

    goal = reload(active_goal)
    assert goal.target == 4
    assert goal.version == 2
    # The new wording waits for patricia: it cannot be on hold as if agreed.
    assert goal.lifecycle_status == Lifecycle.PROPOSED
