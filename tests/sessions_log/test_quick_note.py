"""An autosave's input checked directly (sessions_log.forms.quick_note): whatever it accepts, the
forms accept and clean to the same values; anything else is left to the forms."""

import json
import uuid

import pytest
from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from sessions_log.forms import quick_note
from sessions_log.forms.notes import GoalWorkForm, SessionForm
from sessions_log.models import Session
from sessions_log.views import notes as note_views
from tests.sessions_log.factories import make_session
from tests.sessions_log.test_note_pages import note

PAGE_KEY = "6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
LONG = "x" * 10_000

# (field, value) changes to a plain note; None removes the field. Plain ones and wrong ones.
CHANGES = [
    ("starts_at", "2026-11-27T07:23"),
    ("starts_at", "2026-11-27 07:23"),
    ("starts_at", " 2026-11-27T07:23 "),
    ("starts_at", "2026-02-30T10:00"),
    ("starts_at", "1899-12-31T23:59"),
    ("starts_at", "2026-11-27T07:23:45"),
    ("starts_at", ""),
    ("starts_at", None),
    ("duration_minutes", "1"),
    ("duration_minutes", "600"),
    ("duration_minutes", "0"),
    ("duration_minutes", "601"),
    ("duration_minutes", "050"),
    ("duration_minutes", " 50"),
    ("duration_minutes", "50.0"),
    ("duration_minutes", "1_0"),
    ("duration_minutes", "٥٠"),
    ("duration_minutes", ""),
    ("modality", "video"),
    ("modality", "Video"),
    ("modality", ""),
    ("modality", None),
    ("attendance", "no_show"),
    ("note_format", "dap"),
    ("risk_level", "high"),
    ("risk_level", "severe"),
    ("subjective", "  padded on both sides \n"),
    ("subjective", "   "),
    ("subjective", None),
    ("plan", LONG),
    ("plan", LONG + "y"),
    ("plan", f" {LONG} "),
    ("plan", "a\x00b"),
    ("repair", "Zoë felt unheard; we agreed to slow down. <b>&</b>"),
    ("communication", ["empathy", "active_listening"]),
    ("communication", ["empathy", "empathy"]),
    ("communication", ["telepathy"]),
    ("communication", [""]),
    ("patient_centred", ["shared_power", "clinician_as_person"]),
    ("decisions", ["1"]),
    ("decisions", [""]),
    ("private_note", ""),
    ("private_note", LONG + "y"),
    ("private_note", " kept apart "),
    ("revision", "7"),
    ("revision", "7.0"),
    ("revision", "-1"),
    ("revision", " 7"),
    ("revision", ""),
    ("page_key", PAGE_KEY),
    ("page_key", PAGE_KEY.upper()),
    ("page_key", PAGE_KEY.replace("-", "")),
    ("page_key", "{" + PAGE_KEY + "}"),
    ("page_key", "not-a-key"),
    ("page_key", ""),
    ("page_seq", "0"),
    ("page_seq", "12"),
    ("page_seq", "-1"),
    ("page_seq", ""),
    ("page_seq", "1e3"),
]
# The same for the work on each goal (the field's name after the goal's prefix).
WORK_CHANGES = [
    ("worked_on", None),
    ("worked_on", ""),
    ("worked_on", "true"),
    ("worked_on", "false"),
    ("worked_on", "0"),
    ("value", "2"),
    ("value", "2.5"),
    ("value", "-3.25"),
    ("value", "1234567.89"),
    ("value", "12345678"),
    ("value", "2.555"),
    ("value", "1e3"),
    ("value", " 2"),
    ("value", "NaN"),
    ("value", "abc"),
    ("value", ""),
    ("gas_level", ""),
    ("gas_level", "2"),
    ("gas_level", "-2"),
    ("gas_level", "0"),
    ("gas_level", "3"),
    ("gas_level", "+1"),
    ("comment", " less avoidance "),
    ("comment", "c" * 300),
    ("comment", "c" * 301),
]


@pytest.fixture
def draft(alliance):
    return make_session(alliance)


@pytest.fixture
def goals(active_goal, gas_goal):
    return [active_goal, gas_goal]


def _plain(goals) -> dict:
    typed = note(revision="3", page_key=PAGE_KEY, page_seq="4")
    typed["communication"] = ["active_listening"]
    for goal in goals:
        prefix = f"goal-{goal.id}"
        typed |= {f"{prefix}-worked_on": "on", f"{prefix}-value": "2", f"{prefix}-comment": ""}
    typed[f"goal-{goals[1].id}-gas_level"] = "1"
    return typed


def _posted(typed: dict) -> QueryDict:
    return QueryDict(urlencode({k: v for k, v in typed.items() if v is not None}, doseq=True))


def _by_the_forms(data, session, goals):
    form = SessionForm(data, instance=session, initial={}, alliance=session.alliance)
    goal_forms = [GoalWorkForm(data, goal=goal, initial={}) for goal in goals]
    if form.is_valid() and all(f.is_valid() for f in goal_forms):
        return quick_note.NoteInput.from_forms(form, goal_forms)
    return None


def _exactly(value):
    """A value with its type and written form at every level: 2.50 is not 2.5, nor True 1, and
    a moment carries its zone."""
    if isinstance(value, quick_note.NoteInput):
        value = vars(value)
    if isinstance(value, dict):
        return {key: _exactly(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_exactly(item) for item in value]
    return (type(value).__name__, repr(value))


def _both(typed, draft, goals):
    data = _posted(typed)
    quick, forms = quick_note.clean(data, goals), _by_the_forms(data, draft, goals)
    if quick is not None:
        assert forms is not None, "accepted here, refused by the forms"
        assert _exactly(quick) == _exactly(forms)
    return quick, forms


def test_the_forms_have_no_field_it_does_not_check():
    assert quick_note.ACTIVE


def test_forms_with_a_field_or_a_check_it_does_not_know_would_check_everything():
    class Wider(SessionForm):
        mood = forms.CharField(required=False)

    class Retyped(SessionForm):
        revision = forms.CharField()

    class Stricter(SessionForm):
        def clean_plan(self):
            return self.cleaned_data["plan"]

    assert quick_note._same_fields(SessionForm, quick_note._CHECKED)
    assert not quick_note._same_fields(Wider, quick_note._CHECKED)
    assert not quick_note._same_fields(Retyped, quick_note._CHECKED)
    assert quick_note._same_cleans(SessionForm)
    assert not quick_note._same_cleans(Stricter)


def test_a_plain_note_is_checked_directly_and_cleaned_as_the_forms_clean_it(draft, goals):
    quick, forms = _both(_plain(goals), draft, goals)
    assert quick is not None
    assert quick == forms
    assert [w["gas_level"] for w in quick.goal_work] == [None, 1]


@pytest.mark.parametrize(("name", "value"), CHANGES, ids=[f"{n}={v!r:.30}" for n, v in CHANGES])
def test_what_it_accepts_the_forms_accept_the_same(draft, goals, name, value):
    with timezone.override("Europe/London"):
        quick, forms = _both(_plain(goals) | {name: value}, draft, goals)
    assert quick is None or quick == forms


@pytest.mark.parametrize(
    ("name", "value"), WORK_CHANGES, ids=[f"{n}={v!r:.30}" for n, v in WORK_CHANGES]
)
@pytest.mark.parametrize("which", [0, 1], ids=["goal", "goal with levels"])
def test_what_it_accepts_of_goal_work_the_forms_accept_the_same(draft, goals, name, value, which):
    typed = _plain(goals) | {f"goal-{goals[which].id}-{name}": value}
    quick, forms = _both(typed, draft, goals)
    assert quick is None or quick == forms


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("modality", "Video"),
        ("plan", LONG + "y"),
        ("plan", "a\x00b"),
        ("duration_minutes", "601"),
        ("revision", ""),
        ("page_key", "not-a-key"),
        ("starts_at", "1899-12-31T23:59"),
    ],
)
def test_what_the_forms_refuse_is_left_to_them(draft, goals, name, value):
    quick, forms = _both(_plain(goals) | {name: value}, draft, goals)
    assert quick is None and forms is None


def test_a_time_that_does_not_exist_in_the_clinics_zone_is_left_to_the_forms(draft, goals):
    with timezone.override("Europe/London"):  # clocks went forward at 01:00 on 29 March
        quick, forms = _both(_plain(goals) | {"starts_at": "2026-03-29T01:30"}, draft, goals)
    assert quick is None and forms is None


def test_an_autosave_of_a_plain_note_builds_no_form(client, therapist, draft, goals, monkeypatch):
    # Fails if a plain autosave goes back to the forms.
    def refused(*args, **kwargs):
        raise AssertionError("the note's forms were built")

    monkeypatch.setattr(note_views, "SessionForm", refused)
    client.force_login(therapist)
    typed = _plain(goals) | {"revision": "1", "plan": "Checked directly"}
    response = client.post(reverse("session_autosave", args=[draft.id]), typed)
    assert json.loads(response.content)["saved"] is True
    saved = Session.objects.get(pk=draft.pk)
    assert saved.plan == "Checked directly"
    assert saved.saved_from == uuid.UUID(PAGE_KEY)
    assert sorted(w.goal_id for w in saved.goal_work.all()) == sorted(g.id for g in goals)


def test_an_autosave_with_a_mistake_is_answered_by_the_forms(client, therapist, draft, goals):
    client.force_login(therapist)
    typed = _plain(goals) | {"revision": "1", "duration_minutes": "601"}
    response = client.post(reverse("session_autosave", args=[draft.id]), typed)
    assert response.status_code == 400
    errors = json.loads(response.content)["errors"]
    assert errors["duration_minutes"][0]["message"] == (
        "A session lasts between 1 and 600 minutes."
    )
