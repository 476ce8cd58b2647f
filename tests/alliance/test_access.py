"""The access rule (Alliance.objects.visible_to) and the view helpers, for every role."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from alliance.access import (
    can_edit_alliance,
    get_alliance_for_edit,
    get_alliance_or_404,
    is_supervising,
    visible_patients,
)
from alliance.models import Alliance
from tests.factories import AllianceFactory, SupervisionFactory


def visible(user) -> set:
    return set(Alliance.objects.visible_to(user).values_list("id", flat=True))


def test_a_therapist_sees_only_their_own_alliances(world, therapist):
    assert visible(therapist) == {world["alliance"].id}


def test_another_therapist_sees_only_theirs(world, other_therapist):
    assert visible(other_therapist) == {world["other_alliance"].id}


def test_a_supervisor_sees_their_supervisees_alliances(world, supervisor):
    assert visible(supervisor) == {world["alliance"].id}


def test_a_supervisor_also_sees_their_own_caseload(world, supervisor):
    own = AllianceFactory(therapist=supervisor)
    assert visible(supervisor) == {world["alliance"].id, own.id}


def test_an_unrelated_supervisor_sees_nothing(world, unrelated_supervisor):
    assert visible(unrelated_supervisor) == set()


def test_an_ended_supervision_hides_the_caseload(world, unrelated_supervisor, therapist):
    SupervisionFactory(
        supervisor=unrelated_supervisor,
        therapist=therapist,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
    )
    assert visible(unrelated_supervisor) == set()


def test_a_future_supervision_hides_the_caseload_until_it_starts(
    world, unrelated_supervisor, therapist
):
    SupervisionFactory(
        supervisor=unrelated_supervisor,
        therapist=therapist,
        starts_on=therapist.clinic.today() + datetime.timedelta(days=1),
    )
    assert visible(unrelated_supervisor) == set()


def test_a_supervision_ending_today_still_shows_the_caseload(
    world, unrelated_supervisor, therapist
):
    SupervisionFactory(
        supervisor=unrelated_supervisor,
        therapist=therapist,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=therapist.clinic.today(),
    )
    assert visible(unrelated_supervisor) == {world["alliance"].id}


def test_a_patient_sees_only_their_own_alliances(world, patient_user):
    assert visible(patient_user) == {world["alliance"].id}


def test_another_patient_sees_only_theirs(world, other_patient_user):
    assert visible(other_patient_user) == {world["other_alliance"].id}


def test_a_patient_sees_an_ended_and_a_current_alliance(world, patient_user, other_therapist):
    alliance = world["alliance"]
    alliance.status, alliance.ended_on = Alliance.Status.ENDED, datetime.date(2026, 3, 1)
    alliance.save()
    current = AllianceFactory(therapist=other_therapist, patient=alliance.patient)
    assert visible(patient_user) == {alliance.id, current.id}


def test_a_clinic_admin_sees_no_clinical_records(world, clinic_admin):
    assert visible(clinic_admin) == set()


def test_a_user_of_another_clinic_sees_only_their_clinic(world, outsider):
    assert visible(outsider) == {world["outside_alliance"].id}


def test_a_cross_clinic_supervision_grants_nothing(world, outsider, therapist):
    # Even a (wrongly made) supervision row across clinics must not open a caseload.
    outsider.role = "supervisor"
    outsider.save()
    SupervisionFactory(supervisor=outsider, therapist=therapist, clinic=therapist.clinic)
    assert world["alliance"].id not in visible(outsider)


def test_anonymous_sees_nothing(world):
    assert visible(AnonymousUser()) == set()


def test_an_inactive_user_sees_nothing(world, therapist):
    therapist.is_active = False
    therapist.save()
    assert visible(therapist) == set()


def test_visible_patients_follow_the_rule(world, therapist, clinic_admin):
    assert list(visible_patients(therapist)) == [world["alliance"].patient]
    assert list(visible_patients(clinic_admin)) == []


def test_only_the_own_therapist_edits_an_active_alliance(world, therapist, supervisor):
    alliance = world["alliance"]
    assert can_edit_alliance(therapist, alliance)
    assert not can_edit_alliance(supervisor, alliance)


def test_nobody_edits_an_ended_alliance(world, therapist):
    alliance = world["alliance"]
    alliance.status, alliance.ended_on = Alliance.Status.ENDED, datetime.date(2026, 3, 1)
    alliance.save()
    assert not can_edit_alliance(therapist, alliance)


def test_is_supervising_names_the_current_supervisor_only(
    world, supervisor, unrelated_supervisor, therapist
):
    alliance = world["alliance"]
    assert is_supervising(supervisor, alliance)
    assert not is_supervising(unrelated_supervisor, alliance)
    assert not is_supervising(therapist, alliance)


def test_get_alliance_or_404_hides_other_therapists_patients(world, therapist):
    with pytest.raises(Http404):
        get_alliance_or_404(therapist, world["other_alliance"].id)


def test_get_alliance_or_404_hides_other_clinics(world, therapist):
    with pytest.raises(Http404):
        get_alliance_or_404(therapist, world["outside_alliance"].id)


def test_get_alliance_for_edit_forbids_a_supervisor(world, supervisor):
    with pytest.raises(PermissionDenied):
        get_alliance_for_edit(supervisor, world["alliance"].id)


def test_get_alliance_for_edit_gives_the_therapist_their_alliance(world, therapist):
    assert get_alliance_for_edit(therapist, world["alliance"].id) == world["alliance"]


def test_a_record_is_checked_on_its_own_join_to_its_alliance(therapist, alliance):
    """The rule is applied to the record's join to its alliance: no subquery of alliances
    for the database to plan on every read of a note by its id."""
    from sessions_log.models import Session

    sql = str(Session.objects.visible_to(therapist).filter(pk=alliance.pk).query)
    assert "SELECT" not in sql.split("WHERE", 1)[1]
    assert sql.count("JOIN") == 1
