"""The admin's change lists link each row to its own page, as Django's own list would."""

import re
import types
import uuid

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from alliance.admin_lists import LinkOnceAdmin, LinkOnceChangeList
from alliance.models import Patient
from tests.factories import force_login_verified


def changelist(model, operator) -> ChangeList:
    request = RequestFactory().get("/")
    request.user = operator
    return admin.site._registry[model].get_changelist_instance(request)


@pytest.mark.parametrize(
    "key",
    [uuid.uuid4(), 42, "plain", "a/b_c d%?#é:@~", "pk-marker-0"],
    ids=["uuid", "number", "text", "characters to quote", "the marker itself"],
)
def test_a_rows_link_is_the_one_django_would_make(operator, key):
    found = changelist(Patient, operator)
    assert isinstance(found, LinkOnceChangeList)
    row = types.SimpleNamespace(**{found.pk_attname: key})
    assert found.url_for_result(row) == ChangeList.url_for_result(found, row)


def test_an_empty_key_is_refused_as_django_refuses_it(operator):
    found = changelist(Patient, operator)
    row = types.SimpleNamespace(**{found.pk_attname: ""})
    with pytest.raises(NoReverseMatch):
        found.url_for_result(row)


OURS = [model for model, kept in admin.site._registry.items() if isinstance(kept, LinkOnceAdmin)]


def test_the_apps_own_admins_all_link_once():
    names = {model._meta.label for model in OURS}
    assert {"alliance.Patient", "alliance.User", "decisions.DecisionTalk"} <= names


@pytest.mark.parametrize("model", OURS, ids=[model._meta.label for model in OURS])
def test_every_list_of_the_admin_links_its_rows_as_django_would(operator, model):
    found = changelist(model, operator)
    assert isinstance(found, LinkOnceChangeList)
    row = types.SimpleNamespace(**{found.pk_attname: 7})
    assert found.url_for_result(row) == ChangeList.url_for_result(found, row)


def test_each_patient_in_the_list_opens_their_own_page(client, operator, world):
    force_login_verified(client, operator)
    response = client.get(reverse("admin:alliance_patient_changelist"))
    links = set(re.findall(r'<th class="field-family_name"><a href="([^"]+)"', response.text))
    expected = {
        reverse("admin:alliance_patient_change", args=[p.pk]) for p in Patient.objects.all()
    }
    assert links == expected
    patient = world["alliance"].patient
    page = client.get(reverse("admin:alliance_patient_change", args=[patient.pk]))
    assert page.status_code == 200
    assert patient.family_name in page.text
