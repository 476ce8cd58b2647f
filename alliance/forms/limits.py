"""Limits on what can be typed into a form: text length and the range of dates.

Model TextFields have no length of their own; every form field that fills one gets a limit
here (shown to the browser as maxlength, checked again on the server), so that nobody can
store megabytes in a note. Short fields keep their model's max_length.

Every date (and date and time) must fall between EARLIEST and LATEST: a slip of the keyboard
that makes a session of the year 0001 or a goal due in 9999 is caught beside the field, and
the browser's date picker is bounded the same way. Forms add their own narrower checks
(after today, before the target date) on top.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

TEXT_MAX_LENGTH = 10_000  # about four pages: a note section, a goal's wording, a reason
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)
DATE_RANGE_MESSAGE = (
    f"Enter a date between {EARLIEST:%-d %B %Y} and {LATEST:%-d %B %Y}; check the year."
)


def within_date_range(value) -> None:
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_range")


def _limit_text(field: forms.Field, limit: int) -> None:
    if not isinstance(field, forms.CharField) or field.max_length is not None:
        return
    if isinstance(field, forms.UUIDField):
        return  # a key, never free text: it cleans to a UUID, which has no length
    if isinstance(field.widget, forms.PasswordInput):
        return  # checked against a hash, never stored or shown
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs.setdefault("maxlength", str(limit))


def _limit_date(field: forms.Field) -> None:
    if not isinstance(field, forms.DateField | forms.DateTimeField):
        return
    if within_date_range in field.validators:
        return
    field.validators.append(within_date_range)
    if isinstance(field, forms.DateTimeField):
        field.widget.attrs.setdefault("min", f"{EARLIEST:%Y-%m-%d}T00:00")
        field.widget.attrs.setdefault("max", f"{LATEST:%Y-%m-%d}T23:59")
    else:
        field.widget.attrs.setdefault("min", f"{EARLIEST:%Y-%m-%d}")
        field.widget.attrs.setdefault("max", f"{LATEST:%Y-%m-%d}")


def limit_field(field: forms.Field, limit: int = TEXT_MAX_LENGTH) -> None:
    _limit_text(field, limit)
    _limit_date(field)


def limit_fields(form: forms.BaseForm, limit: int = TEXT_MAX_LENGTH) -> None:
    for field in form.fields.values():
        limit_field(field, limit)


class InputLimits:
    """Put first among a form's bases: every text field without a limit gets TEXT_MAX_LENGTH
    and every date field the range EARLIEST..LATEST.

    Applied again before validating, and to each field before it is rendered, so that fields
    a form adds in its own __init__ (after this one has run) are limited too.
    """

    text_max_length = TEXT_MAX_LENGTH

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_fields(self, self.text_max_length)

    def full_clean(self):
        limit_fields(self, self.text_max_length)
        super().full_clean()

    def __getitem__(self, name):
        if name in self.fields:  # the field asked for: the one whose widget is drawn
            limit_field(self.fields[name], self.text_max_length)
        return super().__getitem__(name)
