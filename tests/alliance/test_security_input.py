"""Bad input: length limits on every text field, dates checked, CSRF on every POST, error
pages that help and leak nothing."""

import importlib
import inspect

import pytest
from django import forms
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path, reverse

from alliance.forms.limits import TEXT_MAX_LENGTH, InputLimits
from tests.alliance.html_forms import post_forms
from tests.alliance.test_url_matrix import PATTERNS, _url
from tests.conftest import ROLE_FIXTURES
from tests.factories import PASSWORD
from tests.goals.factories import ActiveGoalFactory

FORM_MODULES = [
    "alliance.forms.auth",
    "alliance.forms.clinic_admin",
    "alliance.forms.invite",
    "alliance.forms.patients",
    "alliance.forms.portal",
    "alliance.forms.security",
    "goals.forms",
    "decisions.forms",
    "sessions_log.forms.notes",
    "sessions_log.forms.ratings",
]
TOO_LONG = "x" * (TEXT_MAX_LENGTH + 1)
BAD_DATES = ["0001-01-01", "9999-12-31", "2026-02-30", "32/12/2026", "tomorrow", "2026-1-1x"]


def form_classes():
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                yield cls


@pytest.mark.parametrize("form_class", list(form_classes()), ids=lambda c: c.__qualname__)
def test_every_text_field_of_every_form_has_a_length_limit(form_class):
    if issubclass(form_class, InputLimits):
        return  # limits every text field, those added in __init__ too
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
            assert field.max_length, f"{form_class.__name__}.{name} needs a max_length"


@pytest.mark.parametrize("form_class", list(form_classes()), ids=lambda c: c.__qualname__)
def test_every_date_field_of_every_form_is_bounded(form_class):
    dated = [
        name
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.DateField | forms.DateTimeField)
    ]
    if dated:
        assert issubclass(form_class, InputLimits), f"{form_class.__name__}: {dated} unbounded"


def test_a_session_in_the_year_one_is_refused_beside_the_field(client, therapist, alliance):
    client.force_login(therapist)
    url = reverse("session_new", args=[alliance.id])
    page = client.get(url).text
    assert 'min="1900-01-01T00:00"' in page
    fields = post_forms(page)[-1]["fields"]
    data = fields | {"starts_at": "0001-01-01T10:00", "plan": "Plan kept", "draft": "1"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Enter a date between 1 January 1900 and 31 December 2100" in response.text
    assert "Plan kept" in response.text


def test_a_long_note_is_refused_beside_the_field(client, therapist, alliance):
    client.force_login(therapist)
    url = reverse("session_new", args=[alliance.id])
    page = client.get(url).text
    assert f'maxlength="{TEXT_MAX_LENGTH}"' in page
    data = post_forms(page)[-1]["fields"] | {"plan": TOO_LONG, "draft": "1"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert f"at most {TEXT_MAX_LENGTH:,}".replace(",", "") in response.text.replace(",", "")


def test_a_long_checklist_note_is_refused(client, therapist, world):
    from decisions.models import DecisionTalk

    client.force_login(therapist)
    talk_url = _url(PATTERNS["decision_talk"], world, therapist)
    talk = DecisionTalk.objects.get(alliance=world["alliance"])
    form = next(
        f
        for f in post_forms(client.get(talk_url).text)
        if f["action"] and "checklist" in f["action"]
    )
    notes = [name for name in form["fields"] if name.endswith("-note")]
    before = list(talk.steps.values_list("note", flat=True))
    client.post(form["action"], form["fields"] | {notes[0]: TOO_LONG})
    assert list(talk.steps.values_list("note", flat=True)) == before


def _date_fields(form) -> list[str]:
    return [name for name, kind in form["types"].items() if kind in ("date", "datetime-local")]


@pytest.fixture
def more_pages(world, therapist):
    goal = ActiveGoalFactory(alliance=world["alliance"])
    return [
        reverse(name, args=[goal.id])
        for name in ("goal_progress", "goal_review", "goal_edit", "portal_goal")
    ]


@pytest.mark.parametrize("role", ["therapist", "supervisor", "patient_user", "clinic_admin"])
def test_bad_dates_are_refused_and_never_break_a_page(role, as_user, world, therapist, more_pages):
    client = as_user(role)
    urls = [_url(p, world, therapist) for p in PATTERNS.values()] + more_pages
    tried = 0
    for url in urls:
        page = client.get(url)
        if page.status_code != 200 or not page["Content-Type"].startswith("text/html"):
            continue
        for form in post_forms(page.text):
            target = form["action"] or url
            for field in _date_fields(form):
                for bad in BAD_DATES:
                    value = bad if form["types"][field] == "date" else f"{bad}T10:00"
                    response = client.post(target, form["fields"] | {field: value})
                    assert response.status_code < 500, f"{field}={value} on {target}"
                    assert response.status_code != 302, f"{field}={value} accepted on {target}"
                    tried += 1
    if role in ("therapist", "clinic_admin", "patient_user"):
        assert tried


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_every_post_needs_the_csrf_token(role, world, therapist, request):
    client = Client(enforce_csrf_checks=True)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    for pattern in PATTERNS.values():
        url = _url(pattern, world, therapist)
        response = client.post(url, {})
        assert response.status_code == 403, f"POST {url} without a token as {role}"
    assert "This form has expired" in response.text


def test_with_the_token_the_login_works(therapist):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("login"))
    token = page.cookies["csrftoken"].value
    response = client.post(
        reverse("login"),
        {"username": therapist.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def crash(request):
    raise RuntimeError("secret detail: Patricia Quill's note")


urlpatterns = [path("crash/", crash), path("", lambda r: HttpResponse("home"), name="home")]


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_shows_a_plain_page_that_leaks_nothing(db):
    client = Client(raise_request_exception=False)
    response = client.get("/crash/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    for leak in ["secret", "Patricia", "RuntimeError", "Traceback", 'File "', "settings"]:
        assert leak not in response.text


def test_a_bad_request_shows_a_helpful_page(client, db):
    response = client.get(reverse("login"), HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Request not understood" in response.text
    assert "evil.example" not in response.text and "ALLOWED_HOSTS" not in response.text


def test_not_found_and_not_allowed_pages_help_and_confirm_nothing(client, outsider, alliance):
    client.force_login(outsider)
    missing = client.get(reverse("alliance_detail", args=[alliance.id]))
    assert missing.status_code == 404
    assert "Not found" in missing.text and "Go to your home page" in missing.text
    assert (
        "No such patient" not in missing.text and alliance.patient.family_name not in missing.text
    )
    unknown = client.get("/no/such/page/")
    assert unknown.status_code == 404 and "Not found" in unknown.text
    assert "URLconf" not in unknown.text
    refused = client.get(reverse("clinic_home"))
    assert refused.status_code == 403
    assert "Not allowed" in refused.text and "not part of your role" not in refused.text
