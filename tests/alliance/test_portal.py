"""The patient's portal: only what is shared, agreement both ways, self-report, ratings."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from alliance.models import User
from goals import services as goal_services
from goals.models import Goal, GoalProgress
from sessions_log.models import AllianceRating
from tests.factories import PatientFactory
from tests.sessions_log.factories import make_session


@pytest.fixture
def portal(client, patient_user):
    client.force_login(patient_user)
    return client


# Invitation


def test_the_therapist_invites_a_patient_who_sets_a_password_once(
    client, therapist, alliance, django_capture_on_commit_callbacks
):
    patient = PatientFactory(clinic=alliance.clinic, given_name="Nora", family_name="Vale")
    nora = alliance.__class__.objects.create(
        clinic=alliance.clinic, therapist=therapist, patient=patient, started_on=alliance.started_on
    )
    client.force_login(therapist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal_invite", args=[nora.id]), {"email": "Nora@Ex.org"})
    assert response["Location"] == reverse("alliance_detail", args=[nora.id])
    user = User.objects.get(email="nora@ex.org")
    assert user.role == "patient" and not user.has_usable_password()
    link = re.search(r"http://testserver(/invitation/\S+/)", mail.outbox[0].body).group(1)
    client.logout()
    form_url = client.get(link)["Location"]
    password = "my own long passphrase"
    landed = client.post(
        form_url, {"new_password1": password, "new_password2": password}, follow=True
    )
    assert landed.redirect_chain[-1][0] == reverse("portal")
    client.logout()
    assert "This link no longer works" in client.get(link, follow=True).text


def test_an_invitation_link_expires(
    client, therapist, alliance, settings, django_capture_on_commit_callbacks
):
    patient = PatientFactory(clinic=alliance.clinic)
    other = alliance.__class__.objects.create(
        clinic=alliance.clinic, therapist=therapist, patient=patient, started_on=alliance.started_on
    )
    client.force_login(therapist)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal_invite", args=[other.id]), {"email": "late@ex.org"})
    link = re.search(r"http://testserver(/invitation/\S+/)", mail.outbox[0].body).group(1)
    client.logout()
    settings.PASSWORD_RESET_TIMEOUT = -1
    assert "This link no longer works" in client.get(link, follow=True).text


def test_a_patient_already_in_the_portal_is_not_invited_again(client, therapist, alliance):
    client.force_login(therapist)
    response = client.post(reverse("portal_invite", args=[alliance.id]), {"email": "x@ex.org"})
    assert "This patient already uses the portal." in response.text
    assert mail.outbox == []


def test_a_supervisor_cannot_invite(client, supervisor, alliance):
    client.force_login(supervisor)
    response = client.post(reverse("portal_invite", args=[alliance.id]), {"email": "x@ex.org"})
    assert response.status_code == 403


# Agreement round trips


def test_the_patient_sees_a_proposed_goal_and_agrees(portal, proposed_goal, client, therapist):
    home = portal.get(reverse("portal")).text
    assert "Goals waiting for your answer" in home
    assert proposed_goal.description in home
    response = portal.post(
        reverse("portal_goal", args=[proposed_goal.id]),
        {"answer": "agree", "comment": "", "version": proposed_goal.version},
    )
    assert response.status_code == 302
    proposed_goal.refresh_from_db()
    assert proposed_goal.lifecycle_status == "active"
    client.force_login(therapist)
    page = client.get(reverse("goal_detail", args=[proposed_goal.id])).text
    assert 'badge text-bg-success">Active' in page


def test_a_disagreement_needs_a_comment_that_the_therapist_reads(
    portal, proposed_goal, client, therapist
):
    url = reverse("portal_goal", args=[proposed_goal.id])
    refused = portal.post(url, {"answer": "disagree", "comment": "", "version": 1})
    assert "Say what you would change" in refused.text
    portal.post(url, {"answer": "disagree", "comment": "Smaller steps please", "version": 1})
    client.force_login(therapist)
    page = client.get(reverse("goal_detail", args=[proposed_goal.id])).text
    assert "Smaller steps please" in page
    assert "disagrees" in page


def test_an_answer_to_an_older_wording_is_refused(portal, proposed_goal, therapist, today):
    goal_services.goal_update(
        goal=proposed_goal,
        by=therapist,
        party="therapist",
        wording={"steps": "New steps"},
        expected_revision=proposed_goal.revision,
        reason="Clearer",
    )
    response = portal.post(
        reverse("portal_goal", args=[proposed_goal.id]),
        {"answer": "agree", "comment": "", "version": 1},
    )
    assert "The wording changed after you read it." in response.text
    proposed_goal.refresh_from_db()
    assert proposed_goal.patient_agreement == "pending"


# Self-report


def test_the_patient_records_progress_marked_as_theirs(portal, active_goal, today):
    response = portal.post(
        reverse("portal_goal", args=[active_goal.id]),
        {"recorded_on": today.isoformat(), "value": "2", "note": "Went twice"},
    )
    assert response.status_code == 302
    progress = GoalProgress.objects.get(goal=active_goal)
    assert progress.reported_by == "patient"
    assert "by you" in portal.get(reverse("portal_goal", args=[active_goal.id])).text


def test_a_progress_report_without_a_number_keeps_the_note(portal, active_goal, today):
    response = portal.post(
        reverse("portal_goal", args=[active_goal.id]),
        {"recorded_on": today.isoformat(), "value": "", "note": "Hard week"},
    )
    assert "Enter a number, or choose the description that fits." in response.text
    assert "Hard week" in response.text
    assert not GoalProgress.objects.exists()


def test_the_home_shows_agreed_goals_with_their_chart_and_review(portal, active_goal):
    page = portal.get(reverse("portal")).text
    assert active_goal.description in page
    assert "<svg" in page
    assert "Next review:" in page


# What the patient never sees


def test_drafts_are_never_shown(portal, draft_goal):
    assert draft_goal.description not in portal.get(reverse("portal")).text
    assert portal.get(reverse("portal_goal", args=[draft_goal.id])).status_code == 404


def test_another_patients_goal_is_not_found(client, other_patient_user, active_goal):
    client.force_login(other_patient_user)
    assert client.get(reverse("portal_goal", args=[active_goal.id])).status_code == 404


def test_an_ended_alliance_is_shown_read_only(portal, active_goal, alliance):
    alliance.status, alliance.ended_on = "ended", alliance.clinic.today()
    alliance.save()
    page = portal.get(reverse("portal_goal", args=[active_goal.id])).text
    assert active_goal.description in page
    assert "Record how it is going" not in page
    home = portal.get(reverse("portal")).text
    assert "This care has ended" in home


# Ratings


def test_the_latest_session_can_be_rated_once_within_a_week(portal, alliance):
    session = make_session(alliance, days_ago=2, signed=True)
    assert reverse("portal_rate", args=[session.id]) in portal.get(reverse("portal")).text
    scores = {"goals": "9", "tasks": "8", "bond": "10", "overall": "9"}
    portal.post(reverse("portal_rate", args=[session.id]), scores)
    rating = AllianceRating.objects.get(session=session, rater="patient")
    assert rating.total == 36 and rating.entered_by.role == "patient"
    again = portal.get(reverse("portal_rate", args=[session.id]))
    assert again["Location"] == reverse("portal")
    assert reverse("portal_rate", args=[session.id]) not in portal.get(reverse("portal")).text


def test_a_session_older_than_a_week_is_no_longer_offered(portal, alliance):
    session = make_session(alliance, days_ago=8, signed=True)
    assert reverse("portal_rate", args=[session.id]) not in portal.get(reverse("portal")).text
    response = portal.post(
        reverse("portal_rate", args=[session.id]),
        {"goals": "1", "tasks": "1", "bond": "1", "overall": "1"},
    )
    assert response["Location"] == reverse("portal")
    assert not AllianceRating.objects.exists()


def test_a_missed_session_is_not_offered_for_rating(portal, alliance):
    session = make_session(alliance, days_ago=1, attendance="no_show", signed=True)
    assert reverse("portal_rate", args=[session.id]) not in portal.get(reverse("portal")).text


def test_a_rating_needs_every_question(portal, alliance):
    session = make_session(alliance, days_ago=1, signed=True)
    response = portal.post(reverse("portal_rate", args=[session.id]), {"goals": "5"})
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert not AllianceRating.objects.exists()


# Plan and settings


def test_my_plan_lists_agreed_goals(portal, active_goal, draft_goal):
    page = portal.get(reverse("portal_plan")).text
    assert active_goal.description in page
    assert draft_goal.description not in page


def test_the_patient_turns_reminder_emails_off_and_on(portal, alliance):
    portal.post(reverse("portal_settings"), {})
    alliance.patient.refresh_from_db()
    assert alliance.patient.review_reminders is False
    portal.post(reverse("portal_settings"), {"review_reminders": "on"})
    alliance.patient.refresh_from_db()
    assert alliance.patient.review_reminders is True


@pytest.mark.parametrize("goals", [3, 15])
def test_the_portal_home_runs_a_fixed_number_of_queries(
    portal, alliance, therapist, goals, django_assert_max_num_queries
):
    for n in range(goals):
        goal = Goal.objects.create(
            alliance=alliance,
            created_by=therapist,
            expressed_by="therapist",
            description=f"Goal {n}",
            lifecycle_status="active",
            baseline=0,
            target=3,
            proposed_at=timezone.now(),
            version=1,
            next_review_on=alliance.clinic.today() + datetime.timedelta(days=5),
        )
        GoalProgress.objects.create(
            goal=goal,
            recorded_on=alliance.clinic.today(),
            value=1,
            reported_by="patient",
            recorded_by=therapist,
        )
    with django_assert_max_num_queries(8):
        response = portal.get(reverse("portal"))
    assert response.text.count("<svg") == goals
