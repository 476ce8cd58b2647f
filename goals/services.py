"""Writes to goals: keyword-only functions; views, forms and tasks stay thin.

`party` is the side acting in the alliance (patient or therapist); the view decides it from
the access rule, the service checks it again against the alliance.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from alliance.models import Alliance, User
from goals.models import (
    WORDING_FIELDS,
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


def _snapshot(goal: Goal, *, by: User, reason: str) -> None:
    goal.version += 1
    GoalVersion.objects.create(
        goal=goal, number=goal.version, wording=goal.wording(), changed_by=by, reason=reason
    )


def _ask_for_agreement(goal: Goal, *, agreeing_party: str | None) -> None:
    now = timezone.now()
    for side in (Party.PATIENT, Party.THERAPIST):
        agrees = side == agreeing_party
        setattr(goal, f"{side}_agreement", Agreement.AGREE if agrees else Agreement.PENDING)
        setattr(goal, f"{side}_comment", "")
        setattr(goal, f"{side}_answered_at", now if agrees else None)
    goal.patient_answer_recorded_by = None


def goal_create(
    *, alliance: Alliance, by: User, party: str, wording: dict, propose: bool = False
) -> Goal:
    """A new goal, saved as a draft or put forward for agreement at once."""
    _check_party(alliance=alliance, by=by, party=party)
    _only_wording(wording)
    _validate(wording, today=_today(alliance), complete=propose)
    with transaction.atomic():
        goal = Goal(alliance=alliance, created_by=by, expressed_by=party, **wording)
        goal.save()
        if propose:
            goal = goal_propose(goal=goal, by=by, party=party)
    return goal


def goal_propose(*, goal: Goal, by: User, party: str) -> Goal:
    """Put a draft forward: the proposer agrees to its wording, the other side is asked."""
    _check_party(alliance=goal.alliance, by=by, party=party)
    if not goal.is_draft:
        raise ValidationError("This goal has already been put forward.")
    _validate(goal.wording() | _typed(goal), today=_today(goal), complete=True)
    with transaction.atomic():
        goal.proposed_at = timezone.now()
        _snapshot(goal, by=by, reason="Put forward for agreement")
        _ask_for_agreement(goal, agreeing_party=party)
        goal.revision += 1
        goal.save()
    return goal


def _typed(goal: Goal) -> dict:
    # wording() turns dates and numbers into strings for JSON; checks need the real values.
    return {name: getattr(goal, name) for name in WORDING_FIELDS}


def goal_update(
    *,
    goal: Goal,
    by: User,
    party: str,
    wording: dict,
    expected_revision: int,
    reason: str = "",
    agree: bool = False,
) -> Goal:
    """Change the wording. Once put forward, a change is a new version both must agree to."""
    _check_party(alliance=goal.alliance, by=by, party=party)
    _only_wording(wording)
    with transaction.atomic():
        current = (
            Goal.objects.select_for_update().select_related("alliance__clinic").get(pk=goal.pk)
        )
        if current.revision != expected_revision:
            raise GoalConflict(current)
        if not current.is_open:
            raise ValidationError("This goal has ended; record a new goal instead.")
        changed = {k: v for k, v in wording.items() if getattr(current, k) != v}
        if not changed:
            return current
        for name, value in wording.items():
            setattr(current, name, value)
        put_forward = not current.is_draft
        _validate(_typed(current), today=_today(current), complete=put_forward)
        if put_forward:
            if not reason.strip():
                raise ValidationError({"reason": "Say why the wording changes: both will see it."})
            _snapshot(current, by=by, reason=reason.strip())
            _ask_for_agreement(current, agreeing_party=party if agree else None)
            if current.lifecycle_status in (Lifecycle.ACTIVE, Lifecycle.ON_HOLD):
                # Active only while both agree to the current wording.
                current.lifecycle_status = Lifecycle.PROPOSED
                current.status_date = _today(current)
            if agree:
                _activate_if_agreed(current)
        current.revision += 1
        current.save()
    return current


def _activate_if_agreed(goal: Goal) -> None:
    if not goal.is_agreed or goal.lifecycle_status != Lifecycle.PROPOSED:
        return
    today = _today(goal)
    goal.lifecycle_status = Lifecycle.ACTIVE
    goal.status_date = today
    goal.started_on = goal.started_on or today
    goal.achievement_status = goal.achievement_status or Achievement.IN_PROGRESS
    due = first_review(goal, start=today)
    if goal.next_review_on is None or goal.next_review_on < today or due < goal.next_review_on:
        # A new wording with a nearer target date or a shorter cadence brings the review in.
        goal.next_review_on = due


def first_review(goal: Goal, *, start: datetime.date) -> datetime.date:
    """The next review: one interval on, and never after the target date."""
    due = start + datetime.timedelta(days=goal.review_interval_days)
    if goal.target_date and start < goal.target_date < due:
        return goal.target_date
    return due


def goal_answer(
    *, goal: Goal, by: User, party: str, answer: str, version: int, comment: str = ""
) -> Goal:
    """Agree or disagree with the wording the person read (its version number)."""
    _check_party(alliance=goal.alliance, by=by, party=party)
    return _answer(
        goal=goal, party=party, answer=answer, version=version, comment=comment, recorded_by=None
    )


def goal_record_patient_answer(
    *, goal: Goal, by: User, answer: str, version: int, comment: str = ""
) -> Goal:
    """The therapist records the answer the patient gave in a session (no portal needed)."""
    _check_party(alliance=goal.alliance, by=by, party=Party.THERAPIST)
    return _answer(
        goal=goal,
        party=Party.PATIENT,
        answer=answer,
        version=version,
        comment=comment,
        recorded_by=by,
    )


def _answer(
    *, goal: Goal, party: str, answer: str, version: int, comment: str, recorded_by: User | None
) -> Goal:
    if answer not in (Agreement.AGREE, Agreement.DISAGREE):
        raise ValidationError({"answer": "Choose agree or disagree."})
    if answer == Agreement.DISAGREE and not comment.strip():
        raise ValidationError({"comment": "Say what you would change, so it can be talked over."})
    with transaction.atomic():
        current = (
            Goal.objects.select_for_update().select_related("alliance__clinic").get(pk=goal.pk)
        )
        if current.is_draft or current.lifecycle_status != Lifecycle.PROPOSED:
            raise ValidationError("This goal is not waiting for agreement.")
        if current.version != version:
            raise ValidationError(
                "The wording changed after you read it. Read the new wording, then answer."
            )
        setattr(current, f"{party}_agreement", answer)
        setattr(current, f"{party}_comment", comment.strip())
        setattr(current, f"{party}_answered_at", timezone.now())
        if party == Party.PATIENT:
            current.patient_answer_recorded_by = recorded_by
        _activate_if_agreed(current)
        current.revision += 1
        current.save()
    return current


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
