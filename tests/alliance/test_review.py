"""The supervisor's caseload review and the therapist's list of what to act on."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance import indicators
from alliance.models import Alliance, Patient, Supervision, User
from decisions.models import DecisionTalk
from goals.models import Goal
from sessions_log.models import (
    AllianceAlert,
    AllianceRating,
    Cosignature,
    ErrorMark,
    Session,
)
from tests.factories import UserFactory
from tests.sessions_log.factories import make_session


def row(alliance) -> Alliance:
    today = alliance.clinic.today()
    return indicators.with_indicators(Alliance.objects.filter(pk=alliance.pk), today=today).get()


def goal(alliance, **fields) -> Goal:
    values = {"lifecycle_status": "active", "description": "Walk daily"}
    values.update(fields)
    return Goal.objects.create(
        alliance=alliance, created_by=alliance.therapist, expressed_by="therapist", **values
    )


# Each indicator: a case that counts and one that must not.


def test_an_overdue_review_counts_and_one_due_today_does_not(alliance):
    today = alliance.clinic.today()
    goal(alliance, next_review_on=today - datetime.timedelta(days=1))
    goal(alliance, next_review_on=today)
    goal(alliance, lifecycle_status="completed", next_review_on=today - datetime.timedelta(9))
    assert row(alliance).overdue_reviews == 1


def test_a_draft_older_than_72_hours_counts_and_a_newer_one_does_not(alliance):
    old = make_session(alliance, days_ago=5)
    Session.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(4))
    make_session(alliance, days_ago=1)
    make_session(alliance, days_ago=6, signed=True)
    assert row(alliance).unsigned_notes == 1


def test_a_note_waiting_for_cosign_counts_until_cosigned(alliance, therapist, supervisor):
    Supervision.objects.filter(therapist=therapist).update(requires_cosign=True)
    waiting = make_session(alliance, signed=True)
    done = make_session(alliance, days_ago=2, signed=True)
    Cosignature.objects.create(session=done, supervisor=supervisor)
    assert waiting.cosign_required
    assert row(alliance).awaiting_cosign == 1


def test_an_open_alert_counts_and_a_closed_one_does_not(alliance):
    for days, closed in ((1, None), (8, timezone.now())):
        session = make_session(alliance, days_ago=days, signed=True)
        AllianceAlert.objects.create(
            alliance=alliance,
            session=session,
            below_cutoff=True,
            patient_total=30,
            closed_at=closed,
        )
    assert row(alliance).open_alerts == 1


def test_a_note_entered_in_error_neither_waits_for_cosign_nor_keeps_its_alert(
    alliance, therapist, supervisor
):
    Supervision.objects.filter(therapist=therapist).update(requires_cosign=True)
    wrong = make_session(alliance, signed=True)
    AllianceAlert.objects.create(
        alliance=alliance, session=wrong, below_cutoff=True, patient_total=30
    )
    assert (row(alliance).awaiting_cosign, row(alliance).open_alerts) == (1, 1)
    ErrorMark.objects.create(session=wrong, marked_by=therapist, reason="Wrong patient")
    assert (row(alliance).awaiting_cosign, row(alliance).open_alerts) == (0, 0)


def test_a_decision_due_for_review_counts_and_a_later_one_does_not(alliance, therapist):
    today = alliance.clinic.today()
    for due in (today - datetime.timedelta(days=1), today + datetime.timedelta(days=10)):
        DecisionTalk.objects.create(
            alliance=alliance, question="Work?", stage="review", due_on=due, created_by=therapist
        )
    assert row(alliance).decisions_due == 1


def test_the_last_session_and_the_latest_patient_score(alliance, therapist):
    older = make_session(alliance, days_ago=10, signed=True)
    newer = make_session(alliance, days_ago=3, signed=True)
    for session, score in ((older, 10), (newer, 8)):
        AllianceRating.objects.create(
            session=session,
            rater="patient",
            goals=score,
            tasks=score,
            bond=score,
            overall=score,
            entered_by=therapist,
        )
    result = row(alliance)
    assert result.last_session == newer.starts_at
    assert result.latest_patient_score == 32


def test_an_alliance_without_sessions_has_no_last_session_and_no_score(alliance):
    result = row(alliance)
    assert (result.last_session, result.latest_patient_score) == (None, None)
    assert [getattr(result, name) for name in indicators.INDICATORS] == [0, 0, 0, 0, 0]


def test_the_summary_of_a_caseload_without_sessions(alliance):
    rows = indicators.indicator_values(
        Alliance.objects.filter(pk=alliance.pk), today=alliance.clinic.today()
    )
    summary = indicators.summarise(rows)
    assert summary["active_patients"] == 1
    assert (summary["last_session"], summary["mean_patient_score"]) == (None, None)


def test_the_mean_score_is_over_each_patients_latest_rating(therapist, alliance):
    other = Alliance.objects.create(
        clinic=alliance.clinic,
        therapist=therapist,
        started_on=alliance.started_on,
        patient=Patient.objects.create(
            clinic=alliance.clinic,
            given_name="B",
            family_name="C",
            date_of_birth=datetime.date(1980, 1, 1),
        ),
    )
    for target, score in ((alliance, 9), (other, 7)):
        session = make_session(target, signed=True)
        AllianceRating.objects.create(
            session=session,
            rater="patient",
            goals=score,
            tasks=score,
            bond=score,
            overall=score,
            entered_by=therapist,
        )
    rows = indicators.indicator_values(
        Alliance.objects.filter(therapist=therapist), today=alliance.clinic.today()
    )
    assert indicators.summarise(rows)["mean_patient_score"] == 32.0


# The pages


def test_the_review_shows_the_supervisee_with_an_alert_and_a_note_waiting(
    client, supervisor, therapist, alliance
):
    Supervision.objects.filter(therapist=therapist).update(requires_cosign=True)
    session = make_session(alliance, signed=True)
    AllianceAlert.objects.create(
        alliance=alliance, session=session, dropped=True, patient_total=30, previous_total=38
    )
    client.force_login(supervisor)
    page = client.get(reverse("review")).text
    assert "Alice Therapist" in page
    assert "1 open" in page and "1 waiting" in page
    drill = client.get(reverse("review_therapist", args=[therapist.id]), {"only": "alerts"})
    assert reverse("alliance_detail", args=[alliance.id]) in drill.text
    queue = client.get(reverse("session_cosign_queue")).text
    assert reverse("session_detail", args=[session.id]) in queue


def test_the_drill_down_filters_to_patients_with_the_indicator(
    client, supervisor, therapist, alliance
):
    quiet = Alliance.objects.create(
        clinic=alliance.clinic,
        therapist=therapist,
        started_on=alliance.started_on,
        patient=Patient.objects.create(
            clinic=alliance.clinic,
            given_name="Quiet",
            family_name="One",
            date_of_birth=datetime.date(1990, 1, 1),
        ),
    )
    goal(alliance, next_review_on=alliance.clinic.today() - datetime.timedelta(days=3))
    client.force_login(supervisor)
    url = reverse("review_therapist", args=[therapist.id])
    everyone = client.get(url).text
    overdue = client.get(url, {"only": "overdue"}).text
    assert quiet.patient.display_name in everyone
    assert quiet.patient.display_name not in overdue
    assert alliance.patient.display_name in overdue


def test_a_supervisor_cannot_drill_into_someone_they_do_not_supervise(
    client, unrelated_supervisor, therapist
):
    client.force_login(unrelated_supervisor)
    assert client.get(reverse("review_therapist", args=[therapist.id])).status_code == 404


def test_the_export_has_counts_and_dates_and_no_clinical_text(
    client, supervisor, therapist, alliance
):
    goal(
        alliance,
        next_review_on=alliance.clinic.today() - datetime.timedelta(days=3),
        description="Private wording",
    )
    make_session(alliance, signed=True, assessment="Clinical words")
    client.force_login(supervisor)
    response = client.get(reverse("review_export"))
    text = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0]["therapist"] == "Alice Therapist"
    assert rows[0]["overdue_reviews"] == "1"
    assert "Private wording" not in text and "Clinical words" not in text
    assert alliance.patient.family_name not in text


def test_a_name_that_looks_like_a_formula_is_exported_as_text(client, supervisor, therapist):
    therapist.full_name = "=HYPERLINK(1)"
    therapist.save()
    client.force_login(supervisor)
    rows = list(csv.reader(io.StringIO(client.get(reverse("review_export")).content.decode())))
    assert rows[1][0].startswith("'=HYPERLINK(1)")


def _caseloads(supervisor, therapists: int, patients: int) -> None:
    clinic = supervisor.clinic
    for _ in range(therapists):
        therapist = UserFactory(clinic=clinic)
        Supervision.objects.create(
            clinic=clinic,
            supervisor=supervisor,
            therapist=therapist,
            starts_on=datetime.date(2026, 1, 1),
        )
        people = Patient.objects.bulk_create(
            Patient(
                clinic=clinic,
                given_name=f"P{n}",
                family_name="Q",
                date_of_birth=datetime.date(1990, 1, 1),
            )
            for n in range(patients)
        )
        Alliance.objects.bulk_create(
            Alliance(
                clinic=clinic, therapist=therapist, patient=p, started_on=datetime.date(2026, 1, 5)
            )
            for p in people
        )


@pytest.mark.parametrize("therapists,patients", [(2, 3), (20, 40)])
def test_the_review_runs_a_fixed_number_of_queries(
    client, supervisor, therapists, patients, django_assert_max_num_queries
):
    _caseloads(supervisor, therapists, patients)
    client.force_login(supervisor)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("review"))
    assert response.text.count("review/therapists/") >= therapists


@pytest.mark.parametrize("therapists,patients", [(2, 3), (20, 40)])
def test_the_drill_down_and_export_run_a_fixed_number_of_queries(
    client, supervisor, therapists, patients, django_assert_max_num_queries
):
    _caseloads(supervisor, therapists, patients)
    therapist = User.objects.filter(supervisions_received__supervisor=supervisor).first()
    client.force_login(supervisor)
    with django_assert_max_num_queries(7):
        client.get(reverse("review_therapist", args=[therapist.id]), {"sort": "score"})
    with django_assert_max_num_queries(6):
        client.get(reverse("review_export"))


@pytest.mark.parametrize("therapists,patients", [(2, 3), (20, 40)])
def test_the_cosign_queue_and_clinic_home_run_a_fixed_number_of_queries(
    client, supervisor, clinic_admin, therapists, patients, django_assert_max_num_queries
):
    _caseloads(supervisor, therapists, patients)
    client.force_login(supervisor)
    with django_assert_max_num_queries(6):
        client.get(reverse("session_cosign_queue"))
    client.force_login(clinic_admin)
    with django_assert_max_num_queries(8):
        client.get(reverse("clinic_home"))


# The therapist's home: what to act on


def test_the_therapist_home_lists_what_to_act_on(client, therapist, alliance, proposed_goal):
    today = alliance.clinic.today()
    due = goal(alliance, next_review_on=today + datetime.timedelta(days=3))
    overdue = goal(alliance, next_review_on=today - datetime.timedelta(days=3))
    draft = make_session(alliance, days_ago=3)
    Session.objects.filter(pk=draft.pk).update(created_at=timezone.now() - datetime.timedelta(2))
    fresh = make_session(alliance, days_ago=0)
    session = make_session(alliance, days_ago=5, signed=True)
    AllianceAlert.objects.create(
        alliance=alliance, session=session, below_cutoff=True, patient_total=30
    )
    talk = DecisionTalk.objects.create(
        alliance=alliance, question="Move?", stage="review", due_on=today, created_by=therapist
    )
    client.force_login(therapist)
    page = client.get(reverse("caseload")).text
    assert reverse("goal_review", args=[due.id]) in page
    assert reverse("goal_review", args=[overdue.id]) in page and "Overdue" in page
    assert reverse("session_edit", args=[draft.id]) in page
    assert reverse("session_edit", args=[fresh.id]) not in page
    assert "rated the session 30/40, below the clinic" in page
    assert reverse("goal_detail", args=[proposed_goal.id]) in page
    assert reverse("decision_talk", args=[talk.id]) in page


def test_the_therapist_home_shows_nothing_of_other_therapists(client, other_therapist, alliance):
    session = make_session(alliance, signed=True)
    AllianceAlert.objects.create(
        alliance=alliance, session=session, below_cutoff=True, patient_total=30
    )
    client.force_login(other_therapist)
    page = client.get(reverse("caseload")).text
    assert "To act on" not in page
    assert alliance.patient.display_name not in page
