"""An autosave's input checked without building the note's forms, when it is plainly right.

Every few seconds of typing, a note's editor posts the whole note. Building SessionForm and a
GoalWorkForm per goal, and validating them (fields copied, widgets read, the model's own
checks), was about a seventh of an autosave. `clean()` applies the same rules to each posted
value directly, and gives what the forms' cleaned data would give; when any value is not
plainly right (a choice it does not know, an oddly written number or key, a date out of range,
a text too long, any decision ticked, a field the forms have and it does not), it gives None,
and the forms check the input as before and say what is wrong. Tests hold it against them.
"""

import datetime
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import from_current_timezone

from alliance.forms.limits import within_date_range
from sessions_log.forms.notes import LONGEST, SHORTEST, GoalWorkForm, SessionForm
from sessions_log.models.session import (
    COMMUNICATION,
    NOTE_FIELDS,
    PATIENT_CENTRED,
    Attendance,
    Modality,
    NoteFormat,
    Risk,
    Session,
)

_MOMENT = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})")
_COUNT = re.compile(r"[0-9]{1,9}")
_KEY = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
_VALUE = GoalWorkForm.base_fields["value"]
# A goal's value as the form takes it: no more digits than it keeps, before and after the point.
_AMOUNT = re.compile(
    rf"-?[0-9]{{1,{_VALUE.max_digits - _VALUE.decimal_places}}}"
    rf"(\.[0-9]{{1,{_VALUE.decimal_places}}})?"
)

_CHOICES = {
    "modality": {str(value) for value in Modality.values},
    "attendance": {str(value) for value in Attendance.values},
    "note_format": {str(value) for value in NoteFormat.values},
    "risk_level": {str(value) for value in Risk.values},
}
_MANY = {
    "communication": {value for value, _ in COMMUNICATION},
    "patient_centred": {value for value, _ in PATIENT_CENTRED},
}
_TEXTS = [
    name for name in NOTE_FIELDS if name not in {"starts_at", "duration_minutes", *_CHOICES, *_MANY}
]
_TEXT_LENGTH = SessionForm.text_max_length
_COMMENT_LENGTH = GoalWorkForm.base_fields["comment"].max_length

# What this module checks, field by field, and as what kind of field: if the forms ever have
# another field, or one of another kind, it checks nothing and the forms check everything.
_CHECKED = {
    "starts_at": forms.DateTimeField,
    "duration_minutes": forms.IntegerField,
    **dict.fromkeys(_CHOICES, forms.TypedChoiceField),
    **dict.fromkeys(_MANY, forms.MultipleChoiceField),
    **dict.fromkeys([*_TEXTS, "private_note"], forms.CharField),
    "decisions": forms.ModelMultipleChoiceField,
    "revision": forms.IntegerField,
    "page_key": forms.UUIDField,
    "page_seq": forms.IntegerField,
}
_CHECKED_WORK = {
    "worked_on": forms.BooleanField,
    "value": forms.DecimalField,
    "gas_level": forms.TypedChoiceField,
    "comment": forms.CharField,
}
# The forms' own checks beyond their fields' (clean_duration_minutes), and the model's: known.
_CLEANS = {"clean_duration_minutes"}


def _same_fields(form_class, checked: dict) -> bool:
    fields = form_class.base_fields
    return set(fields) == set(checked) and all(type(fields[n]) is checked[n] for n in fields)


def _same_cleans(form_class) -> bool:
    own = {name for name in vars(form_class) if name.startswith("clean")}
    return own <= _CLEANS and "clean" not in vars(form_class)


ACTIVE = (
    _same_fields(SessionForm, _CHECKED)
    and _same_fields(GoalWorkForm, _CHECKED_WORK)
    and _same_cleans(SessionForm)
    and _same_cleans(GoalWorkForm)
    and Session.clean is models.Model.clean
    and not Session._meta.constraints
)


class _NotPlain(Exception):
    """A value the forms must check."""


@dataclass
class NoteInput:
    """What a save of the draft takes from the editor's input (as the forms' cleaned data)."""

    fields: dict
    revision: int
    page_key: uuid.UUID | None
    page_seq: int | None
    private_note: str
    goal_work: list[dict] = field(default_factory=list)
    decision_ids: list = field(default_factory=list)

    @classmethod
    def from_forms(cls, form, goal_forms) -> "NoteInput":
        data = form.cleaned_data
        return cls(
            fields=form.note_fields(),
            revision=data["revision"],
            page_key=data["page_key"],
            page_seq=data["page_seq"],
            private_note=data["private_note"],
            goal_work=[w for w in (f.work() for f in goal_forms) if w],
            decision_ids=[talk.id for talk in data["decisions"]],
        )


def _text(value: str | None, limit: int) -> str:
    text = "" if value is None else value.strip()
    if len(text) > limit or "\x00" in text:
        raise _NotPlain
    return text


def _count(value: str | None, *, required: bool) -> int | None:
    if value is None or value == "":
        if required:
            raise _NotPlain
        return None
    if not _COUNT.fullmatch(value):
        raise _NotPlain
    return int(value)


def _moment(value: str | None) -> datetime.datetime:
    found = _MOMENT.fullmatch(value or "")
    if found is None:
        raise _NotPlain
    try:
        naive = datetime.datetime(*(int(part) for part in found.groups()))
        moment = from_current_timezone(naive)
        within_date_range(moment)
    except (ValueError, ValidationError):
        raise _NotPlain from None
    return moment


def _key(value: str | None) -> uuid.UUID | None:
    if value is None or value == "":
        return None
    if not _KEY.fullmatch(value):
        raise _NotPlain
    return uuid.UUID(value)


def _note_fields(data) -> dict:
    fields = {"starts_at": _moment(data.get("starts_at"))}
    minutes = _count(data.get("duration_minutes"), required=True)
    if not SHORTEST <= minutes <= LONGEST:
        raise _NotPlain
    fields["duration_minutes"] = minutes
    for name, allowed in _CHOICES.items():
        value = data.get(name)
        if value not in allowed:
            raise _NotPlain
        fields[name] = value
    for name in _TEXTS:
        fields[name] = _text(data.get(name), _TEXT_LENGTH)
    for name, allowed in _MANY.items():
        values = data.getlist(name)
        if not set(values) <= allowed:
            raise _NotPlain
        fields[name] = list(values)
    return fields


def _work(data, goal) -> dict | None:
    prefix = f"goal-{goal.id}-"
    if prefix + "worked_on" not in data:
        worked = False
    elif data.get(prefix + "worked_on") == "on":
        worked = True
    else:
        raise _NotPlain
    amount = data.get(prefix + "value")
    if amount not in (None, "") and not _AMOUNT.fullmatch(amount):
        raise _NotPlain
    level = None
    if goal.has_gas:
        posted = data.get(prefix + "gas_level")
        if posted not in (None, ""):
            if posted not in {str(number) for number, _ in goal.gas_levels()}:
                raise _NotPlain
            level = int(posted)
    comment = _text(data.get(prefix + "comment"), _COMMENT_LENGTH)
    if not worked:
        return None
    return {
        "goal": goal,
        "value": Decimal(amount) if amount not in (None, "") else None,
        "gas_level": level,
        "comment": comment,
    }


def clean(data, goals) -> NoteInput | None:
    """The input as the forms would clean it, or None when the forms must check it."""
    if not ACTIVE or data.getlist("decisions"):
        return None
    try:
        note = NoteInput(
            fields=_note_fields(data),
            revision=_count(data.get("revision"), required=True),
            page_key=_key(data.get("page_key")),
            page_seq=_count(data.get("page_seq"), required=False),
            private_note=_text(data.get("private_note"), _TEXT_LENGTH),
        )
        note.goal_work = [work for work in (_work(data, goal) for goal in goals) if work]
    except _NotPlain:
        return None
    return note
