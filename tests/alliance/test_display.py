"""The quick forms of dates and record addresses give exactly what Django's own give."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix
from django.utils import timezone, translation

from alliance import display

DAYS = [date(1999, 1, 1) + timedelta(days=n) for n in range(0, 800, 13)] + [date(5, 3, 9)]
# Around the clocks going forward and back in London and Sydney, and the end of a year.
MOMENTS = (
    [datetime(2026, 3, 29, 0, 30, tzinfo=UTC) + timedelta(minutes=37 * n) for n in range(0, 80)]
    + [datetime(2026, 10, 25, 0, 10, tzinfo=UTC) + timedelta(minutes=41 * n) for n in range(0, 80)]
    + [datetime(2026, 12, 31, 23, 59, tzinfo=UTC), datetime(2027, 4, 4, 15, 5, tzinfo=UTC)]
)


def _django(text: str, value) -> str:
    return Template("{{ value|date:'" + text + "' }}").render(Context({"value": value}))


def _ours(name: str, value) -> str:
    return Template("{% load display %}{{ value|" + name + " }}").render(Context({"value": value}))


@pytest.mark.parametrize("zone", ["Europe/London", "Australia/Sydney", "America/St_Johns"])
def test_dates_and_times_read_as_the_date_filter_shows_them(zone):
    with timezone.override(zone):
        for value in DAYS:
            assert _ours("day", value) == _django("j M Y", value)
            assert display.day(value) == _django("j M Y", value)
            assert _ours("day_long", value) == _django("j F Y", value)
        for value in MOMENTS:
            assert _ours("day", value) == _django("j M Y", value), value
            assert _ours("day_time", value) == _django("j M Y, H:i", value), value
            assert _ours("day_long", value) == _django("j F Y", value), value
            assert display.day_time(value) == _django("j M Y, H:i", value), value


def test_month_names_follow_the_active_language():
    value = date(2026, 5, 3)
    with translation.override("de"):
        assert _ours("day", value) == _django("j M Y", value) == "3 Mai 2026"
        assert _ours("day_long", date(2026, 3, 1)) == _django("j F Y", date(2026, 3, 1))
        assert _ours("day_long", date(2026, 3, 1)) == "1 März 2026"
    assert _ours("day", value) == "3 May 2026"


def test_nothing_shows_as_nothing():
    assert _ours("day", None) == _django("j M Y", None) == ""
    assert _ours("day_time", None) == _ours("day_long", None) == ""


URL_NAMES_BY_UUID = ["session_detail", "goal_detail", "decision_talk", "alliance_detail"]


@pytest.mark.parametrize("name", URL_NAMES_BY_UUID)
def test_record_urls_are_the_reversed_urls(name):
    for _ in range(3):
        record_id = uuid.uuid4()
        assert display.record_url(name, record_id) == reverse(name, args=[record_id])
    tag = Template('{% load display %}{% record_url "' + name + '" record_id %}')
    record_id = uuid.uuid4()
    assert tag.render(Context({"record_id": record_id})) == reverse(name, args=[record_id])


def test_integer_ids_and_other_kinds_of_id():
    assert display.record_url("review_therapist", 42) == reverse("review_therapist", args=[42])
    assert display.record_url("review_therapist", 7) == "/review/therapists/7/"
    # A string id is reversed as given, and one that does not fit the pattern fails as {% url %}.
    text_id = str(uuid.uuid4())
    assert display.record_url("goal_detail", text_id) == reverse("goal_detail", args=[text_id])
    with pytest.raises(Exception, match="Reverse"):
        display.record_url("review_therapist", -3)


def test_record_urls_follow_the_script_prefix():
    record_id = uuid.uuid4()
    plain = display.record_url("goal_detail", record_id)
    try:
        set_script_prefix("/clinic-a/")
        prefixed = display.record_url("goal_detail", record_id)
        assert prefixed == reverse("goal_detail", args=[record_id])
        assert prefixed == "/clinic-a" + plain
    finally:
        set_script_prefix("/")
    assert display.record_url("goal_detail", record_id) == plain
