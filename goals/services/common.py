"""What every goal write shares: who may act, the clinic's today, checks, locking."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError

from alliance.models import Alliance, User
from goals.models import (
    WORDING_FIELDS,
    Goal,
    Party,
)
from goals.smart import missing_parts, wording_errors


class GoalConflict(Exception):
    """Someone else saved the goal after the editor opened it."""

    def __init__(self, current: Goal):
        super().__init__("The goal changed while you were editing it.")
        self.current = current


def _check_party(*, alliance: Alliance, by: User, party: str) -> None:
    if not alliance.is_active:
        raise PermissionDenied("This episode of care has ended; its goals are read-only.")
    if party == Party.THERAPIST and alliance.therapist_id == by.id:
        return
    if party == Party.PATIENT and alliance.patient.portal_user_id == by.id:
        return
    raise PermissionDenied("Only the patient and their therapist act on this goal.")


def _today(goal_or_alliance) -> datetime.date:
    alliance = getattr(goal_or_alliance, "alliance", goal_or_alliance)
    return alliance.clinic.today()


def _validate(wording: dict, *, today: datetime.date, complete: bool) -> None:
    errors = wording_errors(wording, today=today)
    if complete:
        for part in missing_parts(wording):
            errors.setdefault("__all__", [])
            errors["__all__"].append(f"{part.name}: {part.missing}")
    if errors:
        raise ValidationError(errors)


def _only_wording(wording: dict) -> None:
    # A goal's alliance, author and status never change through its wording.
    unknown = set(wording) - set(WORDING_FIELDS)
    if unknown:
        raise ValueError(f"Not part of a goal's wording: {sorted(unknown)}")


def _locked(goal: Goal) -> Goal:
    """The goal as it is now in the database, locked until the transaction ends."""
    return Goal.objects.select_for_update().select_related("alliance__clinic").get(pk=goal.pk)


def first_review(goal: Goal, *, start: datetime.date) -> datetime.date:
    """The next review: one interval on, and never after the target date."""
    due = start + datetime.timedelta(days=goal.review_interval_days)
    if goal.target_date and start < goal.target_date < due:
        return goal.target_date
    return due
