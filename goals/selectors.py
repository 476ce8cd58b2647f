"""Reads of goals, each a fixed number of queries however many goals there are."""

from django.db.models import OuterRef, QuerySet, Subquery

from alliance.access import check_can_edit, get_record_or_404
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


def goals_for_alliance(*, alliance: Alliance) -> list[Goal]:
    """The alliance's goals with their latest value and attainment level."""
    return list(
        Goal.objects.filter(alliance=alliance)
        .annotate(latest_value=_latest("value"), latest_gas=_latest("gas_level"))
        .order_by("created_at")
    )


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
