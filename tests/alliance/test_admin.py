"""The operators' Django admin: superusers only; clinic staff never get in."""

import pytest
from django.urls import reverse

from alliance.models import User


@pytest.fixture
def operator(db):
    return User.objects.create_superuser(
        "ops@example.org", "an operator passphrase", full_name="Ops"
    )


@pytest.mark.parametrize("role", ["therapist", "supervisor", "clinic_admin", "patient_user"])
def test_clinic_users_are_kept_out(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("admin:alliance_patient_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_operator_lands_on_the_admin(client, operator):
    client.force_login(operator)
    assert client.get(reverse("home"))["Location"] == reverse("admin:index")


def test_the_admin_lists_patients_and_alliances(client, operator, world):
    client.force_login(operator)
    for model in ["patient", "alliance", "user", "clinic", "supervision"]:
        assert client.get(reverse(f"admin:alliance_{model}_changelist")).status_code == 200


def test_the_admin_cannot_delete_clinical_records(client, operator, world):
    client.force_login(operator)
    patient = world["alliance"].patient
    response = client.get(reverse("admin:alliance_patient_delete", args=[patient.pk]))
    assert response.status_code == 403
    response = client.get(reverse("admin:alliance_alliance_delete", args=[world["alliance"].pk]))
    assert response.status_code == 403
