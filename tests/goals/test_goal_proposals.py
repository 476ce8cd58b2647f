"""Drafting, proposing and agreeing goals through goals.services.

alice (therapist) and patricia (patient_user, through the portal) share `alliance`; see
tests/conftest.py for everyone else and tests/goals/conftest.py for the goal fixtures.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from goals import services
from goals.models import (
    Achievement,
    Agreement,
    Goal,
    GoalReview,
    GoalVersion,
    Lifecycle,
)
from tests.goals.factories import ActiveGoalFactory, GoalFactory, ProposedGoalFactory, smart_wording
from tests.goals.service_steps import (
    PATIENT,
    THERAPIST,
    days,
    end_alliance,
    patient_agrees,
    record,
    reload,
    reword,
)

# Drafts and proposals ------------------------------------------------------------------------


def test_a_draft_can_be_saved_with_parts_missing(alliance, therapist):
    goal = services.goal_create(
        alliance=alliance, by=therapist, party=THERAPIST, wording={"description": "Sleep better"}
    )

    goal = reload(goal)
    assert goal.is_draft
    assert goal.lifecycle_status == Lifecycle.PROPOSED
    assert goal.version == 0
    assert not GoalVersion.objects.filter(goal=goal).exists()
    assert (goal.patient_agreement, goal.therapist_agreement) == ("pending", "pending")


def test_proposing_an_incomplete_draft_names_the_missing_parts(alliance, therapist):
    goal = services.goal_create(
        alliance=alliance, by=therapist, party=THERAPIST, wording={"description": "Sleep better"}
    )

    with pytest.raises(ValidationError) as error:
        services.goal_propose(goal=goal, by=therapist, party=THERAPIST)

    problems = " ".join(error.value.message_dict["__all__"])
    for part in ("Measurable", "Attainable", "Relevant", "Time-limited"):
        assert part in problems
    assert "Specific" not in problems
    assert reload(goal).is_draft
    assert not GoalVersion.objects.exists()


def test_a_goal_missing_one_part_cannot_be_proposed_at_once(alliance, therapist, today):
    with pytest.raises(ValidationError) as error:
        services.goal_create(
            alliance=alliance,
            by=therapist,
            party=THERAPIST,
            wording=smart_wording(today, relevance="  "),
            propose=True,
        )

    assert error.value.message_dict["__all__"] == [
        "Relevant: Write why this matters, in the patient's own words."
    ]
    assert not Goal.objects.exists()


def test_proposing_a_complete_goal_asks_the_other_side(alliance, therapist, today):
    goal = services.goal_create(
        alliance=alliance,
        by=therapist,
        party=THERAPIST,
        wording=smart_wording(today),
        propose=True,
    )

    goal = reload(goal)
    assert not goal.is_draft
    assert goal.lifecycle_status == Lifecycle.PROPOSED
    assert goal.therapist_agreement == Agreement.AGREE
    assert goal.patient_agreement == Agreement.PENDING
    version = GoalVersion.objects.get(goal=goal)
    assert (version.number, version.changed_by) == (1, therapist)
    assert version.wording["description"] == goal.description


def test_a_draft_can_be_proposed_later(draft_goal, therapist):
    goal = services.goal_propose(goal=draft_goal, by=therapist, party=THERAPIST)

    assert reload(goal).proposed_at is not None
    assert goal.version == 1
    assert goal.versions.get().reason == "Put forward for agreement"


def test_a_goal_is_put_forward_only_once(proposed_goal, therapist):
    with pytest.raises(ValidationError, match="already been put forward"):
        services.goal_propose(goal=proposed_goal, by=therapist, party=THERAPIST)

    assert reload(proposed_goal).version == 1


def test_the_patient_can_propose_a_goal_from_the_portal(alliance, patient_user, today):
    goal = services.goal_create(
        alliance=alliance,
        by=patient_user,
        party=PATIENT,
        wording=smart_wording(today),
        propose=True,
    )

    goal = reload(goal)
    assert goal.expressed_by == PATIENT
    assert goal.created_by == patient_user
    assert goal.patient_agreement == Agreement.AGREE
    assert goal.therapist_agreement == Agreement.PENDING
    assert goal.versions.get().changed_by == patient_user


@pytest.mark.parametrize(
    "role",
    [
        "other_therapist",
        "supervisor",
        "unrelated_supervisor",
        "clinic_admin",
        "other_patient_user",
        "outsider",
    ],
)
@pytest.mark.parametrize("party", [THERAPIST, PATIENT])
def test_only_the_patient_and_their_therapist_write_goals(request, world, today, role, party):
    alliance = world["alliance"]
    user = request.getfixturevalue(role)
    draft = GoalFactory(alliance=alliance)

    with pytest.raises(PermissionDenied):
        services.goal_create(
            alliance=alliance, by=user, party=party, wording=smart_wording(today), propose=True
        )
    with pytest.raises(PermissionDenied):
        services.goal_propose(goal=draft, by=user, party=party)

    assert Goal.objects.filter(alliance=alliance).count() == 1
    assert reload(draft).is_draft


def test_nobody_acts_for_the_other_side(alliance, therapist, patient_user, proposed_goal, today):
    with pytest.raises(PermissionDenied):
        services.goal_create(
            alliance=alliance, by=therapist, party=PATIENT, wording=smart_wording(today)
        )
    with pytest.raises(PermissionDenied):
        services.goal_answer(
            goal=proposed_goal,
            by=therapist,
            party=PATIENT,
            answer=Agreement.AGREE,
            version=proposed_goal.version,
        )
    with pytest.raises(PermissionDenied):
        services.goal_hold(goal=proposed_goal, by=patient_user, reason="Tired")

    assert reload(proposed_goal).patient_agreement == Agreement.PENDING


def test_an_ended_episode_of_care_is_read_only(alliance, therapist, patient_user, today):
    goal = ActiveGoalFactory(alliance=alliance, with_gas=True)
    end_alliance(alliance)
    goal = reload(goal)

    with pytest.raises(PermissionDenied):
        services.goal_create(
            alliance=alliance, by=therapist, party=THERAPIST, wording=smart_wording(today)
        )
    with pytest.raises(PermissionDenied):
        reword(goal, therapist, reason="Raise it", target=Decimal("4"))
    with pytest.raises(PermissionDenied):
        record(goal, patient_user, party=PATIENT, recorded_on=today, gas_level=0)
    with pytest.raises(PermissionDenied):
        services.review_record(
            goal=goal, by=therapist, reviewed_on=today, outcome=GoalReview.Outcome.ACHIEVED
        )
    with pytest.raises(PermissionDenied):
        services.goal_enter_in_error(goal=goal, by=therapist, reason="Wrong patient")

    goal = reload(goal)
    assert goal.lifecycle_status == Lifecycle.ACTIVE
    assert goal.target == 3
    assert Goal.objects.count() == 1
    assert not goal.progress.exists()


# Agreement -----------------------------------------------------------------------------------


def test_a_goal_is_active_only_when_both_agree(proposed_goal, patient_user, today):
    assert proposed_goal.lifecycle_status == Lifecycle.PROPOSED
    assert proposed_goal.started_on is None

    goal = patient_agrees(proposed_goal, patient_user)

    goal = reload(goal)
    assert goal.is_agreed
    assert goal.lifecycle_status == Lifecycle.ACTIVE
    assert goal.started_on == today
    assert goal.achievement_status == Achievement.IN_PROGRESS
    assert goal.next_review_on == today + days(28)


def test_a_goal_the_patient_proposed_is_active_once_the_therapist_agrees(
    alliance, therapist, today
):
    goal = ProposedGoalFactory(alliance=alliance, expressed_by=PATIENT, review_interval_days=14)
    assert goal.lifecycle_status == Lifecycle.PROPOSED

    goal = services.goal_answer(
        goal=goal, by=therapist, party=THERAPIST, answer=Agreement.AGREE, version=1
    )

    assert reload(goal).lifecycle_status == Lifecycle.ACTIVE
    assert goal.next_review_on == today + days(14)


def test_the_first_review_is_no_later_than_the_target_date(alliance, patient_user, today):
    goal = ProposedGoalFactory(alliance=alliance, target_date=today + days(10))

    goal = patient_agrees(goal, patient_user)

    # Every 28 days would put the first review 18 days after the goal is due.
    assert reload(goal).next_review_on == today + days(10)


def test_disagreeing_needs_a_comment(proposed_goal, patient_user):
    with pytest.raises(ValidationError) as error:
        services.goal_answer(
            goal=proposed_goal, by=patient_user, party=PATIENT, answer="disagree", version=1
        )
    assert "comment" in error.value.message_dict
    assert reload(proposed_goal).patient_agreement == Agreement.PENDING

    goal = services.goal_answer(
        goal=proposed_goal,
        by=patient_user,
        party=PATIENT,
        answer="disagree",
        version=1,
        comment=" Three trips is too many to start with. ",
    )

    goal = reload(goal)
    assert goal.patient_agreement == Agreement.DISAGREE
    assert goal.patient_comment == "Three trips is too many to start with."
    assert goal.lifecycle_status == Lifecycle.PROPOSED


def test_an_answer_to_an_older_wording_is_refused(proposed_goal, therapist, patient_user):
    reword(proposed_goal, therapist, reason="Start smaller", target=Decimal("2"))

    with pytest.raises(ValidationError, match="wording changed"):
        services.goal_answer(
            goal=proposed_goal, by=patient_user, party=PATIENT, answer="agree", version=1
        )

    goal = reload(proposed_goal)
    assert goal.version == 2
    assert goal.patient_agreement == Agreement.PENDING
    assert goal.lifecycle_status == Lifecycle.PROPOSED


def test_a_draft_cannot_be_answered(draft_goal, patient_user):
    with pytest.raises(ValidationError, match="not waiting for agreement"):
        services.goal_answer(
            goal=draft_goal, by=patient_user, party=PATIENT, answer="agree", version=0
        )

    assert reload(draft_goal).patient_agreement == Agreement.PENDING


def test_an_answer_is_agree_or_disagree(proposed_goal, patient_user):
    with pytest.raises(ValidationError):
        services.goal_answer(
            goal=proposed_goal, by=patient_user, party=PATIENT, answer="pending", version=1
        )

    assert reload(proposed_goal).patient_agreement == Agreement.PENDING


def test_the_therapist_can_record_the_answer_the_patient_gave_in_session(proposed_goal, therapist):
    goal = services.goal_record_patient_answer(
        goal=proposed_goal, by=therapist, answer="agree", version=1
    )

    goal = reload(goal)
    assert goal.patient_agreement == Agreement.AGREE
    assert goal.patient_answer_recorded_by == therapist
    assert goal.lifecycle_status == Lifecycle.ACTIVE
