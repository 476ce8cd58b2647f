import datetime

import pytest
from django.urls import reverse

from alliance.models import Alliance, Patient
from tests.factories import AllianceFactory


def add_patient_data(**overrides):
    data = {
        "given_name": "Marta",
        "family_name": "Lind",
        "preferred_name": "Mo",
        "date_of_birth": "1988-02-29",
        "email": "marta@example.org",
        "phone": "",
        "started_on": "2026-11-20",
    }
    data.update(overrides)
    return data


# Caseload


def test_it_requires_login(client):
    response = client.get(reverse("caseload"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_lists_the_therapists_own_patients(client, world, therapist):
    client.force_login(therapist)
    response = client.get(reverse("caseload"))
    assert response.status_code == 200
    assert world["alliance"].patient.display_name in response.text
    assert world["other_alliance"].patient.display_name not in response.text
    assert world["outside_alliance"].patient.display_name not in response.text


def test_it_leaves_supervisees_patients_off_the_supervisors_own_caseload(client, world, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("caseload"))
    assert world["alliance"].patient.display_name not in response.text


def test_it_separates_ended_episodes(client, world, therapist):
    ended = AllianceFactory(therapist=therapist, status="ended", ended_on=datetime.date(2026, 6, 1))
    client.force_login(therapist)
    current = client.get(reverse("caseload")).text
    past = client.get(reverse("caseload"), {"status": "ended"}).text
    assert ended.patient.display_name not in current
    assert ended.patient.display_name in past
    assert world["alliance"].patient.display_name not in past


def test_it_filters_by_name(client, world, therapist):
    other = AllianceFactory(therapist=therapist)
    client.force_login(therapist)
    response = client.get(reverse("caseload"), {"q": "quill"})
    assert world["alliance"].patient.display_name in response.text
    assert other.patient.display_name not in response.text


@pytest.mark.parametrize("patients", [3, 60])
def test_it_runs_a_fixed_number_of_queries(
    client, therapist, patients, django_assert_max_num_queries
):
    AllianceFactory.create_batch(patients, therapist=therapist)
    client.force_login(therapist)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("caseload"))
    assert response.status_code == 200


# Adding a patient


def test_adding_a_patient_creates_the_patient_and_the_alliance(client, therapist):
    client.force_login(therapist)
    response = client.post(reverse("patient_add"), add_patient_data())
    alliance = Alliance.objects.get(therapist=therapist)
    assert response.status_code == 302
    assert response["Location"] == reverse("alliance_detail", args=[alliance.id])
    assert alliance.patient.preferred_name == "Mo"
    assert alliance.patient.clinic == therapist.clinic
    assert alliance.started_on == datetime.date(2026, 11, 20)
    assert alliance.is_active


def test_adding_a_patient_with_bad_input_keeps_what_was_typed(client, therapist):
    client.force_login(therapist)
    future = (therapist.clinic.today() + datetime.timedelta(days=2)).isoformat()
    response = client.post(
        reverse("patient_add"), add_patient_data(family_name="", date_of_birth=future)
    )
    assert response.status_code == 200
    assert not Patient.objects.exists()
    assert "This field is required." in response.text
    assert "The date of birth cannot be in the future." in response.text
    assert 'value="Marta"' in response.text
    assert 'value="marta@example.org"' in response.text


def test_care_cannot_start_before_birth(client, therapist):
    client.force_login(therapist)
    response = client.post(reverse("patient_add"), add_patient_data(started_on="1980-01-01"))
    assert "Care cannot start before the patient was born." in response.text


def test_a_supervisor_can_carry_a_caseload(client, supervisor):
    client.force_login(supervisor)
    client.post(reverse("patient_add"), add_patient_data())
    assert Alliance.objects.filter(therapist=supervisor).count() == 1


# The patient page


def test_the_patient_page_shows_the_patient(client, world, therapist):
    client.force_login(therapist)
    response = client.get(reverse("alliance_detail", args=[world["alliance"].id]))
    assert response.status_code == 200
    assert "Patricia Quill" in response.text
    assert "End this episode of care" in response.text


def test_the_patient_page_is_read_only_for_the_supervisor(client, world, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("alliance_detail", args=[world["alliance"].id]))
    assert response.status_code == 200
    assert "read-only" in response.text
    assert "End this episode of care" not in response.text


def test_the_patient_page_hides_other_therapists_patients(client, world, therapist):
    client.force_login(therapist)
    response = client.get(reverse("alliance_detail", args=[world["other_alliance"].id]))
    assert response.status_code == 404
    assert "Peter" not in response.text


def test_the_patient_page_hides_other_clinics(client, world, therapist):
    client.force_login(therapist)
    response = client.get(reverse("alliance_detail", args=[world["outside_alliance"].id]))
    assert response.status_code == 404


def test_the_patient_page_sends_a_patient_to_the_portal(client, world, patient_user):
    client.force_login(patient_user)
    response = client.get(reverse("alliance_detail", args=[world["alliance"].id]))
    assert response["Location"] == reverse("portal")


def test_the_patient_page_lists_other_visible_episodes_only(
    client, world, therapist, other_therapist
):
    patient = world["alliance"].patient
    earlier = AllianceFactory(
        therapist=therapist,
        patient=patient,
        status="ended",
        started_on=datetime.date(2024, 1, 1),
        ended_on=datetime.date(2024, 6, 1),
    )
    hidden = AllianceFactory(
        therapist=other_therapist,
        patient=patient,
        status="ended",
        started_on=datetime.date(2023, 1, 1),
        ended_on=datetime.date(2023, 6, 1),
    )
    client.force_login(therapist)
    response = client.get(reverse("alliance_detail", args=[world["alliance"].id]))
    assert reverse("alliance_detail", args=[earlier.id]) in response.text
    assert reverse("alliance_detail", args=[hidden.id]) not in response.text


def test_the_patient_page_runs_a_fixed_number_of_queries(
    client, world, therapist, django_assert_max_num_queries
):
    client.force_login(therapist)
    with django_assert_max_num_queries(12):
        client.get(reverse("alliance_detail", args=[world["alliance"].id]))


# Ending an alliance


def test_ending_an_alliance_keeps_it_read_only(client, world, therapist):
    alliance = world["alliance"]
    client.force_login(therapist)
    response = client.post(
        reverse("alliance_end", args=[alliance.id]),
        {"ended_on": "2026-11-01", "reason": "completed"},
    )
    alliance.refresh_from_db()
    assert response.status_code == 302
    assert alliance.status == "ended"
    assert alliance.ended_on == datetime.date(2026, 11, 1)
    assert alliance.ended_by == therapist
    page = client.get(reverse("alliance_detail", args=[alliance.id])).text
    assert "read-only" in page
    assert "End this episode of care" not in page


def test_an_ended_alliance_cannot_be_ended_again(client, world, therapist):
    alliance = world["alliance"]
    alliance.status, alliance.ended_on = "ended", datetime.date(2026, 11, 1)
    alliance.save()
    client.force_login(therapist)
    response = client.get(reverse("alliance_end", args=[alliance.id]))
    assert response.status_code == 403


def test_the_end_cannot_come_before_the_start(client, world, therapist):
    alliance = world["alliance"]
    client.force_login(therapist)
    response = client.post(
        reverse("alliance_end", args=[alliance.id]),
        {"ended_on": "2025-01-01", "reason": "completed"},
    )
    alliance.refresh_from_db()
    assert alliance.is_active
    assert "The end cannot come before the start" in response.text
    assert 'value="2025-01-01"' in response.text


def test_a_supervisor_cannot_end_a_supervisees_alliance(client, world, supervisor):
    client.force_login(supervisor)
    response = client.post(
        reverse("alliance_end", args=[world["alliance"].id]),
        {"ended_on": "2026-11-01", "reason": "completed"},
    )
    assert response.status_code == 403
    world["alliance"].refresh_from_db()
    assert world["alliance"].is_active


def test_another_therapist_cannot_end_it(client, world, other_therapist):
    client.force_login(other_therapist)
    response = client.post(
        reverse("alliance_end", args=[world["alliance"].id]),
        {"ended_on": "2026-11-01", "reason": "completed"},
    )
    assert response.status_code == 404


# The portal


def test_the_portal_shows_the_patient_their_therapist(client, world, patient_user):
    client.force_login(patient_user)
    response = client.get(reverse("portal"))
    assert "With Alice Therapist" in response.text
    assert "Bob Therapist" not in response.text


def test_a_user_of_another_clinic_never_sees_this_clinics_caseload(client, world, outsider):
    client.force_login(outsider)
    response = client.get(reverse("caseload"))
    assert world["outside_alliance"].patient.display_name in response.text
    assert world["alliance"].patient.display_name not in response.text


def test_the_patient_page_lists_other_episodes_newest_first_in_fixed_queries(
    client, world, therapist, django_assert_max_num_queries
):
    patient = world["alliance"].patient
    years = (2021, 2024, 2019, 2022, 2018, 2020)  # not the order they are listed in
    for year in years:
        AllianceFactory(
            therapist=therapist,
            patient=patient,
            status="ended",
            started_on=datetime.date(year, 1, 1),
            ended_on=datetime.date(year, 6, 1),
        )
    client.force_login(therapist)
    url = reverse("alliance_detail", args=[world["alliance"].id])
    client.get(url)  # the session's own bookkeeping
    with django_assert_max_num_queries(6):  # the record itself comes from its copy
        page = client.get(url).text
    listed = [f"With Alice Therapist, from 1 Jan {year}" for year in sorted(years, reverse=True)]
    positions = [page.index(line) for line in listed]
    assert positions == sorted(positions)
    assert page.count("(ended)") == len(years)


def test_only_other_episodes_the_reader_may_see_are_listed_and_none_cost_no_read(
    client, world, therapist, other_therapist, supervisor
):
    """Another therapist's episode of the same patient is not listed (nor its heading); an
    episode the reader may see is; and a patient page with no other episode to list takes one
    query fewer than one with."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    alliance = world["alliance"]
    url = reverse("alliance_detail", args=[alliance.id])

    def first_visit(user) -> tuple[int, str]:
        client.force_login(user)
        client.get(url)
        caches["pages"].clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.text

    def ended_episode(with_therapist, year: int) -> None:
        AllianceFactory(
            therapist=with_therapist,
            patient=alliance.patient,
            status="ended",
            started_on=datetime.date(year, 1, 1),
            ended_on=datetime.date(year, 6, 1),
        )

    # Bob's episode with the same patient: neither Alice nor her supervisor may see it.
    ended_episode(other_therapist, 2023)
    alone, page = first_visit(therapist)
    assert "Other episodes of care" not in page and "Bob Therapist" not in page
    supervised_alone, page = first_visit(supervisor)
    assert "Other episodes of care" not in page and "Bob Therapist" not in page

    # An earlier episode with Alice herself: both may see it, at one read more.
    ended_episode(therapist, 2022)
    listed, page = first_visit(therapist)
    assert "Other episodes of care" in page and "With Alice Therapist, from 1 Jan 2022" in page
    assert "Bob Therapist" not in page
    assert listed == alone + 1
    supervised, page = first_visit(supervisor)
    assert "With Alice Therapist, from 1 Jan 2022" in page and "Bob Therapist" not in page
    assert supervised == supervised_alone + 1
