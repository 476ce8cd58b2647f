"""A goal's wording and the agreement of both people to it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alliance.models import Alliance, User
from goals.models import (
    WORDING_FIELDS,
    Achievement,
    Agreement,
    Goal,
    GoalVersion,
    Lifecycle,
    Party,
)
from goals.services.common import (
    GoalConflict,
    _check_party,
    _only_wording,
    _today,
    _validate,
    first_review,
)


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
