import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from alliance.models import Alliance, Role, Supervision, User
from tests.factories import AllianceFactory, PatientFactory, UserFactory


@pytest.fixture
def ada(client, clinic_admin):
    client.force_login(clinic_admin)
    return client


# Home


def test_the_home_lists_staff_supervision_and_unassigned_patients(ada, world):
    unassigned = PatientFactory(clinic=world["alliance"].clinic, given_name="Unseen")
    response = ada.get(reverse("clinic_home"))
    assert "Alice Therapist" in response.text
    assert "Charlie Supervisor" in response.text
    assert unassigned.display_name in response.text
    # Patients who have a therapist are not on the "without a therapist" list.
    assert world["alliance"].patient.display_name not in response.text
    assert "Oscar Outsider" not in response.text


def test_the_home_runs_a_fixed_number_of_queries(ada, clinic, django_assert_max_num_queries):
    for _ in range(15):
        PatientFactory(clinic=clinic)
        UserFactory(clinic=clinic)
    with django_assert_max_num_queries(8):
        ada.get(reverse("clinic_home"))


# Inviting staff


def test_inviting_staff_creates_an_account_without_a_password(
    ada, clinic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ada.post(
            reverse("staff_invite"),
            {"full_name": "Nia New", "email": "Nia@Example.org", "role": "therapist"},
        )
    assert response.status_code == 302
    user = User.objects.get(email="nia@example.org")
    assert user.clinic == clinic and user.role == Role.THERAPIST
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nia@example.org"]
    assert "/invitation/" in mail.outbox[0].body


def test_the_invitation_link_sets_a_password_once(ada, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ada.post(
            reverse("staff_invite"),
            {"full_name": "Nia New", "email": "nia@example.org", "role": "therapist"},
        )
    link = re.search(r"http://testserver(/invitation/\S+/)", mail.outbox[0].body).group(1)
    ada.logout()
    form_url = ada.get(link)["Location"]  # Django hides the token from the page
    new_password = "a long and unusual passphrase"
    response = ada.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response["Location"] == reverse("home")
    assert ada.get(reverse("caseload")).status_code == 200
    ada.logout()
    again = ada.get(link, follow=True)
    assert "This link no longer works" in again.text


def test_an_expired_invitation_no_longer_works(ada, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ada.post(
            reverse("staff_invite"),
            {"full_name": "Nia New", "email": "nia@example.org", "role": "therapist"},
        )
    link = re.search(r"http://testserver(/invitation/\S+/)", mail.outbox[0].body).group(1)
    ada.logout()
    settings.PASSWORD_RESET_TIMEOUT = -1  # the token's age now exceeds its lifetime
    response = ada.get(link, follow=True)
    assert "This link no longer works" in response.text


def test_an_invitation_cannot_reuse_an_email(ada, therapist):
    response = ada.post(
        reverse("staff_invite"),
        {"full_name": "Alice Again", "email": "ALICE@example.org", "role": "therapist"},
    )
    assert response.status_code == 200
    assert "Someone already has an account with this email." in response.text
    assert 'value="Alice Again"' in response.text


def test_an_invitation_can_be_resent_while_pending(ada, clinic):
    invited = User.objects.create_user(
        "nia@example.org", None, full_name="Nia New", clinic=clinic, role=Role.THERAPIST
    )
    response = ada.post(reverse("staff_invite_resend", args=[invited.id]))
    assert response.status_code == 302
    assert mail.outbox[0].to == ["nia@example.org"]


def test_resending_ignores_people_of_another_clinic(ada, outsider):
    response = ada.post(reverse("staff_invite_resend", args=[outsider.id]))
    assert response.status_code == 404
    assert mail.outbox == []


# Supervision


def test_adding_a_supervision(ada, unrelated_supervisor, other_therapist):
    response = ada.post(
        reverse("supervision_add"),
        {
            "supervisor": unrelated_supervisor.id,
            "therapist": other_therapist.id,
            "starts_on": "2026-11-01",
            "requires_cosign": "on",
        },
    )
    assert response.status_code == 302
    supervision = Supervision.objects.get(supervisor=unrelated_supervisor)
    assert supervision.therapist == other_therapist
    assert supervision.requires_cosign


def test_nobody_supervises_themselves(ada, unrelated_supervisor):
    response = ada.post(
        reverse("supervision_add"),
        {
            "supervisor": unrelated_supervisor.id,
            "therapist": unrelated_supervisor.id,
            "starts_on": "2026-11-01",
        },
    )
    assert response.status_code == 200
    assert "Nobody supervises themselves" in response.text
    assert not Supervision.objects.filter(supervisor=unrelated_supervisor).exists()


def test_a_supervisor_of_another_clinic_cannot_be_chosen(ada, outsider, other_therapist):
    outsider.role = Role.SUPERVISOR
    outsider.save()
    response = ada.post(
        reverse("supervision_add"),
        {"supervisor": outsider.id, "therapist": other_therapist.id, "starts_on": "2026-11-01"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text


def test_ending_a_supervision_hides_the_caseload_afterwards(ada, world, supervisor, therapist):
    supervision = Supervision.objects.get(supervisor=supervisor)
    yesterday = therapist.clinic.today() - datetime.timedelta(days=1)
    response = ada.post(
        reverse("supervision_end", args=[supervision.id]), {"ends_on": yesterday.isoformat()}
    )
    assert response.status_code == 302
    assert not Alliance.objects.visible_to(supervisor).exists()


def test_a_supervision_cannot_end_before_it_starts(ada, supervisor):
    supervision = Supervision.objects.get(supervisor=supervisor)
    response = ada.post(
        reverse("supervision_end", args=[supervision.id]), {"ends_on": "2020-01-01"}
    )
    assert "The end cannot come before the start." in response.text
    supervision.refresh_from_db()
    assert supervision.ends_on is None


# Assigning patients


def test_assigning_an_unassigned_patient(ada, clinic, therapist):
    patient = PatientFactory(clinic=clinic)
    response = ada.post(
        reverse("patient_assign", args=[patient.id]),
        {"therapist": therapist.id, "starts_on": "2026-11-02"},
    )
    assert response.status_code == 302
    assert Alliance.objects.get(patient=patient).therapist == therapist


def test_reassigning_ends_the_current_alliance_as_a_transfer(
    ada, world, other_therapist, clinic_admin
):
    alliance = world["alliance"]
    ada.post(
        reverse("patient_assign", args=[alliance.patient.id]),
        {"therapist": other_therapist.id, "starts_on": "2026-11-02"},
    )
    alliance.refresh_from_db()
    assert alliance.status == "ended"
    assert alliance.end_reason == "transferred"
    assert alliance.ended_by == clinic_admin
    new = Alliance.objects.active().get(patient=alliance.patient)
    assert new.therapist == other_therapist


def test_assigning_the_current_therapist_again_is_refused(ada, world, therapist):
    response = ada.post(
        reverse("patient_assign", args=[world["alliance"].patient.id]),
        {"therapist": therapist.id, "starts_on": "2026-11-02"},
    )
    assert "This therapist already sees this patient." in response.text
    assert Alliance.objects.filter(patient=world["alliance"].patient).count() == 1


def test_a_patient_of_another_clinic_is_not_found(ada, world, therapist):
    response = ada.post(
        reverse("patient_assign", args=[world["outside_alliance"].patient.id]),
        {"therapist": therapist.id, "starts_on": "2026-11-02"},
    )
    assert response.status_code == 404


def test_a_therapist_of_another_clinic_cannot_be_chosen(ada, clinic, outsider):
    patient = PatientFactory(clinic=clinic)
    response = ada.post(
        reverse("patient_assign", args=[patient.id]),
        {"therapist": outsider.id, "starts_on": "2026-11-02"},
    )
    assert "Select a valid choice" in response.text
    assert not Alliance.objects.filter(patient=patient).exists()


def test_the_patient_list_shows_current_therapists(ada, world, django_assert_max_num_queries):
    for _ in range(10):
        AllianceFactory(therapist=world["alliance"].therapist)
    with django_assert_max_num_queries(8):
        response = ada.get(reverse("clinic_patients"))
    assert world["alliance"].patient.display_name in response.text
    assert "Alice Therapist" in response.text
    assert world["outside_alliance"].patient.display_name not in response.text


def test_the_clinic_admin_never_sees_the_patient_page(ada, world):
    response = ada.get(reverse("alliance_detail", args=[world["alliance"].id]))
    assert response.status_code == 403
