"""Reads of goals, each a fixed number of queries however many goals there are."""

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from alliance.access import can_edit_alliance
from alliance.models import Alliance
from goals.gas import t_score
from goals.models import PRIORITY_WEIGHTS, Goal, GoalProgress, Lifecycle


def get_goal_or_404(user, goal_id) -> Goal:
    """A goal in the caller's view (through the alliance access rule), or 404."""
    try:
        return (
            Goal.objects.visible_to(user)
            .select_related("alliance__patient", "alliance__therapist", "alliance__clinic")
            .get(id=goal_id)
        )
    except Goal.DoesNotExist:
        raise Http404("No such goal in your view.") from None


def get_goal_for_edit(user, goal_id) -> Goal:
    goal = get_goal_or_404(user, goal_id)
    if not can_edit_alliance(user, goal.alliance):
        raise PermissionDenied("Only the patient's therapist changes this goal.")
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
