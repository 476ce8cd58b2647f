"""Following an agreed goal: progress, reviews and its status until it ends."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from alliance.models import User
from goals.models import (
    Achievement,
    Direction,
    Goal,
    GoalProgress,
    GoalReview,
    Lifecycle,
    Party,
)
from goals.services.common import _check_party, _locked, _today, first_review


def _set_status(goal: Goal, *, status: str, reason: str = "", achievement: str = "") -> Goal:
    """Change the status on the goal as saved now (never on an older copy of it)."""
    with transaction.atomic():
        current = _locked(goal)
        _check_status_change(current, status)
        current.lifecycle_status = status
        current.status_date = _today(current)
        current.status_reason = reason
        if achievement:
            current.achievement_status = achievement
        if status not in (Lifecycle.ACTIVE, Lifecycle.ON_HOLD):
            current.next_review_on = None  # an ended goal has no review to come
        if status == Lifecycle.ACTIVE:
            today = _today(current)
            if current.next_review_on is None or current.next_review_on < today:
                current.next_review_on = first_review(current, start=today)
        current.revision += 1
        current.save()
    return current


_ALLOWED_FROM = {
    Lifecycle.ON_HOLD: ({Lifecycle.ACTIVE}, "Only an active goal can be put on hold."),
    Lifecycle.ACTIVE: ({Lifecycle.ON_HOLD}, "Only a goal on hold can be resumed."),
    Lifecycle.CANCELLED: (
        {Lifecycle.PROPOSED, Lifecycle.ACTIVE, Lifecycle.ON_HOLD},
        "This goal has already ended.",
    ),
    Lifecycle.COMPLETED: (
        {Lifecycle.ACTIVE, Lifecycle.ON_HOLD},
        "Only an agreed goal in progress is completed.",
    ),
}


def _check_status_change(goal: Goal, status: str) -> None:
    if status == Lifecycle.ENTERED_IN_ERROR:
        if goal.lifecycle_status == Lifecycle.ENTERED_IN_ERROR:
            raise ValidationError("This goal is already marked as entered in error.")
        return
    allowed, message = _ALLOWED_FROM[status]
    if goal.lifecycle_status not in allowed:
        raise ValidationError(message)


def _reason(reason: str, message: str) -> str:
    if not reason.strip():
        raise ValidationError({"reason": message})
    return reason.strip()


def goal_hold(*, goal: Goal, by: User, reason: str) -> Goal:
    _check_party(alliance=goal.alliance, by=by, party=Party.THERAPIST)
    reason = _reason(reason, "Say why the goal is put on hold.")
    return _set_status(goal, status=Lifecycle.ON_HOLD, reason=reason)


def goal_resume(*, goal: Goal, by: User) -> Goal:
    _check_party(alliance=goal.alliance, by=by, party=Party.THERAPIST)
    return _set_status(goal, status=Lifecycle.ACTIVE)


def goal_withdraw(*, goal: Goal, by: User, reason: str) -> Goal:
    """Stop pursuing a goal not yet achieved (FHIR cancelled); it stays in the record."""
    _check_party(alliance=goal.alliance, by=by, party=Party.THERAPIST)
    reason = _reason(reason, "Say why the goal stops.")
    return _set_status(goal, status=Lifecycle.CANCELLED, reason=reason)


def goal_enter_in_error(*, goal: Goal, by: User, reason: str) -> Goal:
    """A goal recorded by mistake is marked, never deleted."""
    _check_party(alliance=goal.alliance, by=by, party=Party.THERAPIST)
    reason = _reason(reason, "Say what was wrong, for whoever reads the record.")
    return _set_status(goal, status=Lifecycle.ENTERED_IN_ERROR, reason=reason)


def progress_record(
    *,
    goal: Goal,
    by: User,
    party: str,
    recorded_on: datetime.date,
    value: Decimal | None = None,
    gas_level: int | None = None,
    note: str = "",
) -> GoalProgress:
    """A dated measurement and/or attainment level, marked as the patient's or therapist's."""
    _check_party(alliance=goal.alliance, by=by, party=party)
    with transaction.atomic():
        goal = _locked(goal)  # its status as it is now, not as an older page saw it
        _check_progress(goal, recorded_on=recorded_on, value=value, gas_level=gas_level)
        progress = GoalProgress.objects.create(
            goal=goal,
            recorded_on=recorded_on,
            value=value,
            gas_level=gas_level,
            reported_by=party,
            note=note.strip(),
            recorded_by=by,
        )
        if value is not None:
            trend = _trend(goal)
            if trend and goal.lifecycle_status == Lifecycle.ACTIVE:
                Goal.objects.filter(pk=goal.pk).update(achievement_status=trend)
                goal.achievement_status = trend
    return progress


def _check_progress(goal: Goal, *, recorded_on, value, gas_level) -> None:
    if goal.lifecycle_status not in (Lifecycle.ACTIVE, Lifecycle.ON_HOLD):
        raise ValidationError("Progress is recorded on agreed goals only.")
    errors = {}
    if value is None and gas_level is None:
        errors["value"] = "Enter a value, an attainment level, or both."
    if gas_level is not None and not goal.has_gas:
        errors["gas_level"] = "This goal has no attainment levels described."
    elif gas_level is not None and not -2 <= gas_level <= 2:
        errors["gas_level"] = "Choose a level from -2 to +2."
    if recorded_on > _today(goal):
        errors["recorded_on"] = "Progress is recorded for today or an earlier day."
    elif recorded_on < goal.alliance.started_on:
        errors["recorded_on"] = "That day is before this episode of care began."
    if errors:
        raise ValidationError(errors)


def _trend(goal: Goal) -> str:
    """The latest value against the one before it (or the baseline), by the date measured."""
    latest = list(
        goal.progress.filter(value__isnull=False, entered_in_error=False)
        .order_by("-recorded_on", "-created_at")
        .values_list("value", flat=True)[:2]
    )
    if not latest:
        return ""
    previous = latest[1] if len(latest) > 1 else goal.baseline
    if previous is None:
        return ""
    if latest[0] == previous:
        return Achievement.NO_CHANGE
    rise = latest[0] > previous
    better = rise if goal.direction == Direction.INCREASE else not rise
    return Achievement.IMPROVING if better else Achievement.WORSENING


def review_record(
    *, goal: Goal, by: User, reviewed_on: datetime.date, outcome: str, note: str = ""
) -> GoalReview:
    """Review an agreed goal; continuing sets the next review date from the cadence."""
    _check_party(alliance=goal.alliance, by=by, party=Party.THERAPIST)
    if outcome not in GoalReview.Outcome.values:
        raise ValidationError({"outcome": "Choose an outcome."})
    with transaction.atomic():
        goal = _locked(goal)
        if goal.lifecycle_status not in (Lifecycle.ACTIVE, Lifecycle.ON_HOLD):
            raise ValidationError("Only an agreed goal in progress is reviewed.")
        if reviewed_on > _today(goal):
            raise ValidationError({"reviewed_on": "A review is recorded on or after its day."})
        if goal.started_on and reviewed_on < goal.started_on:
            raise ValidationError({"reviewed_on": "That day is before the goal was agreed."})
        next_review = None
        if outcome in (GoalReview.Outcome.CONTINUE, GoalReview.Outcome.REVISE):
            next_review = reviewed_on + datetime.timedelta(days=goal.review_interval_days)
            goal.next_review_on = next_review
            goal.revision += 1
            goal.save(update_fields=["next_review_on", "revision", "updated_at"])
        elif outcome == GoalReview.Outcome.ACHIEVED:
            _set_status(
                goal,
                status=Lifecycle.COMPLETED,
                achievement=Achievement.ACHIEVED,
                reason=note.strip(),
            )
        else:
            _set_status(
                goal,
                status=Lifecycle.CANCELLED,
                achievement=Achievement.NOT_ACHIEVED,
                reason=note.strip(),
            )
        return GoalReview.objects.create(
            goal=goal,
            reviewed_on=reviewed_on,
            outcome=outcome,
            note=note.strip(),
            reviewed_by=by,
            next_review_on=next_review,
        )
