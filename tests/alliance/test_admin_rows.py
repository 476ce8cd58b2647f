"""The admin's change lists drawn by alliance.admin_rows: the very page Django draws."""

import datetime
import re

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from alliance.admin_lists import QuickRowsAdmin
from alliance.admin_rows import _kind, quick_rows
from alliance.models import Alliance, AuditEvent, Clinic, Patient, User
from tests.factories import ClinicFactory, PatientFactory, force_login_verified

OURS = [model for model, kept in admin.site._registry.items() if isinstance(kept, QuickRowsAdmin)]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def awkward_patients(world):
    """Names and a clinic that must be escaped, blank and spaced names, dates on both sides."""
    clinic = ClinicFactory(name='Mind & <Body> "Clinic"')
    return [
        PatientFactory(clinic=clinic, family_name="<script>alert(1)</script>", given_name="A&B"),
        PatientFactory(clinic=clinic, family_name="O'Brien", given_name="   "),
        PatientFactory(clinic=clinic, family_name="Łukasiewicz", given_name="Zoë"),
        PatientFactory(
            clinic=world["alliance"].clinic,
            family_name="   ",
            given_name="Sam",
            date_of_birth=datetime.date(2001, 12, 31),
        ),
    ]


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return CSRF.sub("", response.text)


def _as_django_draws_it(client, monkeypatch, model, url: str) -> str:
    with monkeypatch.context() as patch:
        patch.setattr(type(admin.site._registry[model]), "change_list_template", None)
        return _page(client, url)


def test_the_apps_own_admins_all_draw_their_rows_here():
    names = {model._meta.label for model in OURS}
    assert {"alliance.Patient", "alliance.User", "decisions.DecisionTalk"} <= names


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?o=-2.4",
        "?o=4",
        "?q=a",
        "?clinic__id__exact={clinic}",
        "?clinic__id__exact={clinic}&o=3",
    ],
    ids=["plain", "sorted twice", "by birth date", "searched", "filtered", "filtered, sorted"],
)
def test_the_patient_list_is_the_page_django_draws(
    client, operator, monkeypatch, awkward_patients, query
):
    force_login_verified(client, operator)
    url = reverse("admin:alliance_patient_changelist") + query.format(
        clinic=awkward_patients[0].clinic_id
    )
    ours = _page(client, url)
    assert ours == _as_django_draws_it(client, monkeypatch, Patient, url)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in ours
    assert "<script>alert(1)" not in ours


def test_a_filtered_lists_rows_open_with_the_filters_kept(client, operator, awkward_patients):
    force_login_verified(client, operator)
    clinic = awkward_patients[0].clinic_id
    url = reverse("admin:alliance_patient_changelist") + f"?clinic__id__exact={clinic}"
    links = re.findall(r'<th class="field-family_name"><a href="([^"]+)"', _page(client, url))
    assert len(links) == 3
    assert all(f"_changelist_filters=clinic__id__exact%3D{clinic}" in link for link in links)


@pytest.mark.parametrize("model", OURS, ids=[model._meta.label for model in OURS])
def test_every_list_of_ours_is_the_page_django_draws(
    client, operator, monkeypatch, awkward_patients, model
):
    force_login_verified(client, operator)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    if model is AuditEvent:
        url += "?action__exact=login"  # without the rows each request of the test adds
    assert _page(client, url) == _as_django_draws_it(client, monkeypatch, model, url)


def test_the_patient_lists_rows_are_drawn_here(client, operator, monkeypatch, awkward_patients):
    # Fails if the patient list goes back to Django's cell by cell drawing.
    def refused(*args, **kwargs):
        raise AssertionError("drawn by Django's items_for_result")

    monkeypatch.setattr(admin_list, "items_for_result", refused)
    force_login_verified(client, operator)
    page = _page(client, reverse("admin:alliance_patient_changelist"))
    assert '<td class="field-date_of_birth nowrap">31 Dec 2001</td>' in page
    assert '<td class="field-given_name">-</td>' in page  # a blank name, as Django shows it
    assert "Mind &amp; &lt;Body&gt; &quot;Clinic&quot;" in page


@pytest.mark.parametrize(
    ("model", "name", "kind"),
    [
        (Patient, "family_name", "text"),
        (User, "email", "text"),
        (Patient, "date_of_birth", "date"),
        (Patient, "clinic", "record"),
        (Patient, "clinic_id", None),  # the key, shown by Django as a number
        (Patient, "display_name", None),  # a property
        (User, "is_active", None),  # a boolean: Django's icon
        (Alliance, "status", None),  # choices: Django shows the label
        (AuditEvent, "at", None),  # a date and time, in the reader's zone
        (Clinic, "id", None),  # a number
        (Clinic, "patients", None),  # the other side of a relation
        (Patient, len, None),  # a callable
    ],
)
def test_only_columns_shown_exactly_as_django_would_are_drawn_here(model, name, kind):
    assert _kind(model._meta, name) == kind


def test_the_alliance_list_with_its_choices_is_left_to_django(client, operator, monkeypatch, world):
    calls = []
    drawn = admin_list.items_for_result

    def counted(*args, **kwargs):
        calls.append(1)
        return drawn(*args, **kwargs)

    monkeypatch.setattr(admin_list, "items_for_result", counted)
    force_login_verified(client, operator)
    page = _page(client, reverse("admin:alliance_alliance_changelist"))
    assert calls and "Active" in page


def _patient_list(operator):
    """The patient list's ChangeList as the list view makes it (no editable rows)."""
    request = RequestFactory().get(reverse("admin:alliance_patient_changelist"))
    request.user = operator
    changelist = admin.site._registry[Patient].get_changelist_instance(request)
    changelist.formset = None
    return changelist


def _drawn_by_django(changelist) -> list[str]:
    return [
        "".join(admin_list.items_for_result(changelist, result, None))
        for result in changelist.result_list
    ]


def test_a_row_whose_record_is_gone_shows_it_empty_as_django_does(operator, world):
    changelist = _patient_list(operator)
    orphan = Patient(clinic_id=987654, family_name="Nobody's", given_name="", date_of_birth=None)
    changelist.result_list = [orphan]
    assert quick_rows(changelist) == _drawn_by_django(changelist)
    assert '<td class="field-clinic">-</td>' in quick_rows(changelist)[0]


@pytest.mark.parametrize("language", ["en-gb", "en", "de", "fr"])
def test_dates_are_written_as_the_readers_locale_writes_them(operator, awkward_patients, language):
    with translation.override(language):
        changelist = _patient_list(operator)
        rows, expected = quick_rows(changelist), _drawn_by_django(changelist)
    assert rows == expected
    assert len(rows) == Patient.objects.count()


def test_a_models_own_change_list_template_is_still_found_first():
    found = admin.site._registry[Patient].change_list_template
    assert found == [
        "admin/alliance/patient/change_list.html",
        "admin/alliance/change_list.html",
        "admin/quick_change_list.html",
    ]


def test_an_empty_value_an_admin_gives_unescaped_is_escaped_as_django_escapes_it(
    operator, awkward_patients, monkeypatch
):
    monkeypatch.setattr(admin.site._registry[Patient], "get_empty_value_display", lambda: "<none>")
    changelist = _patient_list(operator)
    rows = quick_rows(changelist)
    assert rows == _drawn_by_django(changelist)
    assert any("&lt;none&gt;" in row for row in rows)
