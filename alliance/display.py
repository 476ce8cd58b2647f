"""Quick forms of what the templates do most often in long lists: a date (short, long, or day
and month), a date and time, and the address of one record. Each gives exactly the text of its
template counterpart (`|date:"j M Y"`, `|date:"j F Y"`, `|date:"j M"`, `|date:"j M Y, H:i"`,
`{% url name id %}`), without parsing a format or matching the URL patterns on every call."""

import uuid
from datetime import date, datetime

from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation
from django.utils.dates import MONTHS, MONTHS_3

# Month names as the active language writes them, looked up once per language.
_month_names: dict[str, tuple[dict, dict]] = {}


def _months() -> tuple[dict, dict]:
    """({month: "Jan"...}, {month: "January"...}) in the active language."""
    language = translation.get_language()
    names = _month_names.get(language)
    if names is None:
        names = _month_names[language] = (
            {month: str(name).title() for month, name in MONTHS_3.items()},
            {month: str(name) for month, name in MONTHS.items()},
        )
    return names


def _local(value):
    """A datetime in the current time zone, as the templates show it; a date as it is."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _day(value, names: int) -> str:
    if value is None or value == "":
        return ""
    value = _local(value)
    return f"{value.day} {_months()[names][value.month]} {value.year:04d}"


def day(value: date | datetime | None) -> str:
    """As `|date:"j M Y"`. A datetime is shown in the current time zone."""
    return _day(value, 0)


def day_long(value: date | datetime | None) -> str:
    """As `|date:"j F Y"`. A datetime is shown in the current time zone."""
    return _day(value, 1)


def day_month(value: date | datetime | None) -> str:
    """As `|date:"j M"`. A datetime is shown in the current time zone."""
    if value is None or value == "":
        return ""
    value = _local(value)
    return f"{value.day} {_months()[0][value.month]}"


def day_time(value: datetime | None) -> str:
    """As `|date:"j M Y, H:i"`, in the current time zone."""
    if value is None or value == "":
        return ""
    value = _local(value)
    return f"{day(value)}, {value.hour:02d}:{value.minute:02d}"


# Stand in for a record's id while a URL pattern is reversed once, by the kind of id.
_STAND_INS = {uuid.UUID: uuid.UUID("00000000-0000-4000-8000-0000000000a1"), int: 908070605}
_shapes: dict[tuple[str, str, type], tuple[str, str] | None] = {}


def record_url(name: str, record_id) -> str:
    """The address of the URL named `name` for one record (a UUID or an integer id), as
    `reverse(name, args=[id])` gives it.

    The pattern is reversed once per kind of id and script prefix, with a stand-in id; later
    calls put the record's id in its place. An id of another kind, or a name whose address
    does not hold the id exactly once, is reversed every time."""
    kind = type(record_id)
    if kind not in _STAND_INS or (kind is int and record_id < 0):
        return reverse(name, args=[record_id])
    key = (name, get_script_prefix(), kind)
    if key not in _shapes:
        stand_in = _STAND_INS[kind]
        parts = reverse(name, args=[stand_in]).split(str(stand_in))
        _shapes[key] = (parts[0], parts[1]) if len(parts) == 2 else None
    shape = _shapes[key]
    if shape is None:
        return reverse(name, args=[record_id])
    return f"{shape[0]}{record_id}{shape[1]}"
