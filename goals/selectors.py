"""Reads of goals, each a fixed number of queries however many goals there are."""

from django.db.models import OuterRef, QuerySet, Subquery

from alliance.access import check_can_edit, get_record_or_404
from alliance.compiled_reads import CompiledRead
from alliance.models import Alliance
from goals.gas import t_score
from goals.models import PRIORITY_WEIGHTS, Goal, GoalProgress, Lifecycle


def get_goal_or_404(user, goal_id) -> Goal:
    return get_record_or_404(Goal.objects, user, goal_id)


def get_goal_for_edit(user, goal_id) -> Goal:
    goal = get_goal_or_404(user, goal_id)
    check_can_edit(user, goal)
    return goal


def _latest(field: str):
    latest = GoalProgress.objects.filter(
        goal=OuterRef("pk"), entered_in_error=False, **{f"{field}__isnull": False}
    ).order_by("-recorded_on", "-created_at")
    return Subquery(latest.values(field)[:1])


# What the patient page's table of goals shows of each (goals/partials/alliance_goals.html)
# and what its T-score needs.
LISTED_FIELDS = (
    *("alliance_id", "description", "lifecycle_status", "proposed_at", "priority", "unit"),
    *("patient_agreement", "therapist_agreement", "next_review_on"),
)


def _goals_of(alliance_id) -> QuerySet:
    return (
        Goal.objects.filter(alliance_id=alliance_id)
        .only(*LISTED_FIELDS)
        .annotate(latest_value=_latest("value"), latest_gas=_latest("gas_level"))
        .order_by("created_at")
    )


_GOALS = CompiledRead(_goals_of)


def goals_for_alliance(*, alliance: Alliance) -> list[Goal]:
    """The alliance's goals with their latest value and attainment level."""
    return _GOALS(alliance.pk)


def _workable(alliance_id) -> QuerySet:
    return Goal.objects.filter(
        alliance_id=alliance_id, lifecycle_status__in=[Lifecycle.ACTIVE, Lifecycle.ON_HOLD]
    ).order_by("created_at")


# The goals a session's note may record work on (active or on hold), oldest first: read on
# every autosave of a note, compiled once.
_WORKABLE = CompiledRead(_workable)


def goals_to_work_on(*, alliance_id) -> list[Goal]:
    return _WORKABLE(alliance_id)


def gas_t_score(goals: list[Goal]) -> float | None:
    """T-score over the active goals that have an attainment level recorded."""
    attainments = [
        (PRIORITY_WEIGHTS[goal.priority], goal.latest_gas)
        for goal in goals
        if goal.lifecycle_status == Lifecycle.ACTIVE and goal.latest_gas is not None
    ]
    return t_score(attainments)


def goal_progress(*, goal: Goal) -> QuerySet:
    return goal.progress.filter(entered_in_error=False).select_related("recorded_by")


def goal_history(*, goal: Goal) -> QuerySet:
    return goal.versions.select_related("changed_by").order_by("-number")
