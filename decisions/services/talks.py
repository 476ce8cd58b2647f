"""A talk's course: start it, tick its steps, move it on, defer it and take it up again.

Every write checks again that `by` is the alliance's therapist and that the alliance is
active, then takes the talk's row lock, so two tabs (or a double click) cannot move a talk
twice or edit it after the decision.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from alliance.models import Alliance, User
from decisions.models import (
    NO_CHANGE_DESCRIPTION,
    NO_CHANGE_TITLE,
    DecisionTalk,
    Deferral,
    Option,
    StepCheck,
)
from decisions.steps import ALL_STEPS, NEXT_STAGE, Stage

OPTION_FIELDS = ["title", "description", "benefits", "drawbacks", "appeal", "patient_words"]
MIN_OPTIONS = 2
LOCKED = (
    "This talk is decided: its options and decision are locked. To change course, review "
    "the decision or start a new talk."
)


@dataclass(frozen=True)
class StepEntry:
    key: str
    done: bool
    done_on: datetime.date | None = None
    note: str = ""


def _check_therapist(*, alliance: Alliance, by: User) -> None:
    if not alliance.is_active:
        raise PermissionDenied("This episode of care has ended; its decisions are read-only.")
    if alliance.therapist_id != by.id:
        raise PermissionDenied("Only the patient's therapist changes a decision talk.")


def _locked_talk(talk: DecisionTalk, *, by: User) -> DecisionTalk:
    """The talk's current row, locked until the end of the transaction."""
    current = (
        DecisionTalk.objects.select_for_update(of=("self",))
        .select_related("alliance__clinic")
        .get(pk=talk.pk)
    )
    _check_therapist(alliance=current.alliance, by=by)
    return current


def _check_open(talk: DecisionTalk) -> None:
    if talk.is_decided:
        raise ValidationError(LOCKED)
    if talk.stage == Stage.DEFERRED:
        raise ValidationError("This talk is deferred: take it up again first.")


def _today(talk: DecisionTalk) -> datetime.date:
    return talk.alliance.clinic.today()


def _move(talk: DecisionTalk, stage: str, *, due_on: datetime.date | None = None) -> None:
    talk.stage = stage
    talk.due_on = due_on
    talk.stage_changed_at = timezone.now()
    talk.save(update_fields=["stage", "due_on", "stage_changed_at"])


def _skip_unchecked(talk: DecisionTalk, stage: str) -> None:
    """Moving on with steps not done is allowed; the record says which were skipped."""
    talk.steps.filter(stage=stage, done=False).update(skipped=True, updated_at=timezone.now())


def _active_options(talk: DecisionTalk):
    return talk.options.filter(withdrawn_at__isnull=True)


def talk_start(
    *,
    alliance: Alliance,
    by: User,
    question: str,
    offer_no_change: bool = True,
    follows: DecisionTalk | None = None,
) -> DecisionTalk:
    """A new talk at choice talk, with its checklists and, by default, the no-change option."""
    _check_therapist(alliance=alliance, by=by)
    question = question.strip()
    if not question:
        raise ValidationError({"question": "Write the question the patient is deciding."})
    with transaction.atomic():
        talk = DecisionTalk.objects.create(
            alliance=alliance, question=question, created_by=by, follows=follows
        )
        StepCheck.objects.bulk_create(
            StepCheck(talk=talk, stage=stage, key=step.key, position=number)
            for number, (stage, step) in enumerate(ALL_STEPS)
        )
        if offer_no_change:
            Option.objects.create(
                talk=talk,
                position=0,
                title=NO_CHANGE_TITLE,
                description=NO_CHANGE_DESCRIPTION,
                is_no_change=True,
            )
    return talk


def talk_rename(*, talk: DecisionTalk, by: User, question: str) -> DecisionTalk:
    question = question.strip()
    if not question:
        raise ValidationError({"question": "Write the question the patient is deciding."})
    with transaction.atomic():
        current = _locked_talk(talk, by=by)
        _check_open(current)
        current.question = question
        current.save(update_fields=["question"])
    return current


def steps_record(*, talk: DecisionTalk, by: User, entries: Iterable[StepEntry]) -> None:
    """Tick (or untick) the current stage's steps, each with a note and the day it was done."""
    with transaction.atomic():
        current = _locked_talk(talk, by=by)
        _check_open(current)
        today = _today(current)
        rows = {row.key: row for row in current.steps.filter(stage=current.stage)}
        errors = {}
        for entry in entries:
            row = rows.get(entry.key)
            if row is None:
                raise ValidationError("That step is not part of this stage; reload the page.")
            if entry.done_on and entry.done_on > today:
                errors[entry.key] = "A step is ticked on or after the day it was done."
                continue
            if entry.done_on and entry.done_on < current.alliance.started_on:
                errors[entry.key] = "That day is before this episode of care began."
                continue
            row.done = entry.done
            row.done_on = (entry.done_on or today) if entry.done else None
            row.note = entry.note.strip()
            row.updated_by = by
            row.updated_at = timezone.now()
        if errors:
            raise ValidationError(errors)
        StepCheck.objects.bulk_update(
            rows.values(), ["done", "done_on", "note", "updated_by", "updated_at"]
        )


def talk_advance(*, talk: DecisionTalk, by: User, from_stage: str) -> DecisionTalk:
    """Move on to the next talk. `from_stage` is the stage the therapist was looking at."""
    with transaction.atomic():
        current = _locked_talk(talk, by=by)
        if current.stage != from_stage:
            raise ValidationError(
                f"This talk has already moved on: it is at {current.get_stage_display().lower()}."
            )
        if current.stage not in NEXT_STAGE:
            raise ValidationError("This talk has no next stage to move on to.")
        following = NEXT_STAGE[current.stage]
        if following == Stage.DECISION and _active_options(current).count() < MIN_OPTIONS:
            raise ValidationError(
                "Set out at least two options before the decision talk "
                "(no change / wait and see counts as one)."
            )
        _skip_unchecked(current, current.stage)
        _move(current, following)
    return current


def talk_defer(
    *, talk: DecisionTalk, by: User, reason: str, come_back_on: datetime.date
) -> Deferral:
    """Not ready to decide: keep the talk where it is, with a date to come back to it."""
    with transaction.atomic():
        current = _locked_talk(talk, by=by)
        _check_open(current)
        errors = {}
        if not reason.strip():
            errors["reason"] = "Write why the decision waits."
        if come_back_on <= _today(current):
            errors["come_back_on"] = "Choose a date after today."
        if errors:
            raise ValidationError(errors)
        deferral = Deferral.objects.create(
            talk=current,
            from_stage=current.stage,
            reason=reason.strip(),
            come_back_on=come_back_on,
            deferred_on=_today(current),
            deferred_by=by,
        )
        _move(current, Stage.DEFERRED, due_on=come_back_on)
    return deferral


def talk_resume(*, talk: DecisionTalk, by: User) -> DecisionTalk:
    """Take a deferred talk up again at the stage it was left."""
    with transaction.atomic():
        current = _locked_talk(talk, by=by)
        if current.stage != Stage.DEFERRED:
            raise ValidationError("This talk is not deferred.")
        deferral = current.deferrals.get(resumed_at__isnull=True)
        deferral.resumed_at = timezone.now()
        deferral.save(update_fields=["resumed_at"])
        _move(current, deferral.from_stage)
    return current
