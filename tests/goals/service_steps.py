"""Shared steps of the goal service tests: fixed days, reloading, wording and progress."""

import datetime

from alliance.models import Alliance
from goals import services
from goals.models import (
    Agreement,
    Goal,
    GoalProgress,
    Party,
)

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
