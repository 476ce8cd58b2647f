"""Writing, agreeing, tracking, reviewing and ending goals through goals.services.

alice (therapist) and patricia (patient_user, through the portal) share `alliance`; see
tests/conftest.py for everyone else and tests/goals/conftest.py for the goal fixtures.
"""

import contextlib
import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from alliance.models import Alliance
from goals import services
from goals.models import (
    Achievement,
    Agreement,
    Direction,
    Goal,
    GoalProgress,
    GoalReview,
    GoalVersion,
    Lifecycle,
    Party,
)
from tests.goals.factories import ActiveGoalFactory, GoalFactory, ProposedGoalFactory, smart_wording

DAY = datetime.timedelta(days=1)
THERAPIST = Party.THERAPIST
PATIENT = Party.PATIENT


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def reload(goal: Goal) -> Goal:
    return Goal.objects.get(pk=goal.pk)


def end_alliance(alliance: Alliance) -> None:
    alliance.status = Alliance.Status.ENDED
    alliance.ended_on = alliance.clinic.today()
    alliance.end_reason = Alliance.EndReason.COMPLETED
    alliance.ended_by = alliance.therapist
    alliance.save()


def reword(goal: Goal, by, *, party=THERAPIST, reason="", agree=False, **wording) -> Goal:
    return services.goal_update(
        goal=goal,
        by=by,
        party=party,
        wording=wording,
        expected_revision=goal.revision,
        reason=reason,
        agree=agree,
    )


def patient_agrees(goal: Goal, patient_user) -> Goal:
    return services.goal_answer(
        goal=goal, by=patient_user, party=PATIENT, answer=Agreement.AGREE, version=goal.version
    )


def record(goal: Goal, by, *, party=THERAPIST, recorded_on, **kwargs) -> GoalProgress:
    return services.progress_record(
        goal=goal, by=by, party=party, recorded_on=recorded_on, **kwargs
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
