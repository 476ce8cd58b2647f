"""The operators' Django admin: superusers only; clinic staff never get in."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.models import Patient
from tests.factories import force_login_verified


@pytest.mark.parametrize("role", ["therapist", "supervisor", "clinic_admin", "patient_user"])
def test_clinic_users_are_kept_out(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("admin:alliance_patient_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_operator_lands_on_the_admin(client, operator):
    force_login_verified(client, operator)
    assert client.get(reverse("home"))["Location"] == reverse("admin:index")


def test_the_admin_lists_patients_and_alliances(client, operator, world):
    force_login_verified(client, operator)
    for model in ["patient", "alliance", "user", "clinic", "supervision"]:
        assert client.get(reverse(f"admin:alliance_{model}_changelist")).status_code == 200


def test_the_admin_cannot_delete_clinical_records(client, operator, world):
    force_login_verified(client, operator)
    patient = world["alliance"].patient
    response = client.get(reverse("admin:alliance_patient_delete", args=[patient.pk]))
    assert response.status_code == 403
    response = client.get(reverse("admin:alliance_alliance_delete", args=[world["alliance"].pk]))
    assert response.status_code == 403


def test_the_patient_list_counts_the_patients_once(client, operator, world):
    force_login_verified(client, operator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:alliance_patient_changelist"))
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert response.status_code == 200
    assert world["alliance"].patient.family_name in response.text
    assert len(counts) == 1


def test_an_index_serves_the_patient_lists_order(client, operator, world):
    # The admin orders by Meta.ordering and then -pk; the index must follow both.
    index = next(i for i in Patient._meta.indexes if i.name == "patient_name_order_idx")
    assert index.fields == [*Patient._meta.ordering, "-id"]
    force_login_verified(client, operator)
    response = client.get(reverse("admin:alliance_patient_changelist"))
    changelist = response.context["cl"]
    ordering = changelist.get_ordering(response.wsgi_request, Patient.objects.all())
    assert list(ordering) == [*Patient._meta.ordering, "-pk"]
