"""The alliance rated each session: the therapist's own page, and the rules of the service."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions_log import selectors_ratings
from sessions_log.models import AllianceRating
from sessions_log.services.ratings import rating_record
from tests.conftest import ROLE_FIXTURES
from tests.sessions_log.rating_factories import make_session, rate, rated_sessions, scores

GET_STATUS = {
    "therapist": 200,
    "supervisor": 403,
    "patient_user": 403,
    "other_patient_user": 403,
    "clinic_admin": 403,
    "anonymous": 302,
}


def answers(total: int = 34) -> dict:
    return {name: str(value) for name, value in scores(total).items()}


@pytest.fixture
def session(alliance):
    return make_session(alliance)


def test_it_requires_login(client, session):
    response = client.get(reverse("rating_therapist", args=[session.id]))
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_the_rating_page_answers_each_role(role, as_user, session):
    response = as_user(role).get(reverse("rating_therapist", args=[session.id]))
    assert response.status_code == GET_STATUS.get(role, 404)


@pytest.mark.parametrize("role", [r for r in ROLE_FIXTURES if r != "therapist"])
def test_nobody_but_the_therapist_records_the_therapists_rating(role, as_user, session):
    response = as_user(role).post(reverse("rating_therapist", args=[session.id]), answers())
    assert response.status_code == GET_STATUS.get(role, 404)
    assert not AllianceRating.objects.exists()


def test_the_page_asks_the_four_items_from_0_to_10(client, therapist, session):
    client.force_login(therapist)
    page = client.get(reverse("rating_therapist", args=[session.id])).text
    for label in ("Goals", "Tasks", "Bond", "Overall"):
        assert f'<legend class="fs-6 fw-semibold">{label}</legend>' in page
    assert "We worked on what I wanted to work on" in page
    assert page.count('type="radio"') == 44


def test_the_therapist_records_their_own_rating(client, therapist, session):
    client.force_login(therapist)
    response = client.post(reverse("rating_therapist", args=[session.id]), answers(34))
    rating = AllianceRating.objects.get()
    assert response["Location"] == reverse("session_detail", args=[session.id])
    assert (rating.rater, rating.total, rating.entered_by) == ("therapist", 34, therapist)
    assert not rating.in_patient_mode


def test_a_second_attempt_says_it_is_already_rated(client, therapist, session):
    rate(session, therapist=30)
    client.force_login(therapist)
    response = client.post(reverse("rating_therapist", args=[session.id]), answers(40))
    assert "This session has already been rated." in response.text
    assert AllianceRating.objects.get().total == 30


def test_a_missing_answer_is_asked_for_again(client, therapist, session):
    client.force_login(therapist)
    data = answers()
    del data["bond"]
    response = client.post(reverse("rating_therapist", args=[session.id]), data)
    assert "Choose a number from 0 to 10." in response.text
    assert not AllianceRating.objects.exists()


def test_a_session_that_did_not_take_place_is_not_rated(client, therapist, alliance):
    session = make_session(alliance, attendance="no_show")
    client.force_login(therapist)
    response = client.post(reverse("rating_therapist", args=[session.id]), answers())
    assert "Only a session that took place is rated." in response.text
    assert not AllianceRating.objects.exists()


def test_a_session_still_to_come_is_not_rated(client, therapist, alliance):
    session = make_session(alliance, days_ago=-1)
    client.force_login(therapist)
    response = client.post(reverse("rating_therapist", args=[session.id]), answers())
    assert "A session is rated once it has begun." in response.text
    assert not AllianceRating.objects.exists()


def test_an_ended_episode_of_care_is_not_rated(client, therapist, session, alliance):
    alliance.status, alliance.ended_on = "ended", alliance.started_on
    alliance.save()
    client.force_login(therapist)
    assert client.get(reverse("rating_therapist", args=[session.id])).status_code == 403


def test_a_gap_with_the_patient_is_flagged_to_the_therapist(client, therapist, session):
    rate(session, patient=38)
    client.force_login(therapist)
    response = client.post(reverse("rating_therapist", args=[session.id]), answers(26), follow=True)
    assert "This session raised an alliance alert." in response.text
    assert "the therapist rated it 26/40" in response.text


def test_the_patient_rates_in_the_portal(session, patient_user):
    rating = rating_record(session=session, by=patient_user, rater="patient", scores=scores(36))
    assert (rating.rater, rating.entered_by, rating.in_patient_mode) == (
        "patient",
        patient_user,
        False,
    )


@pytest.mark.parametrize(
    ("role", "rater"),
    [
        ("other_patient_user", "patient"),
        ("supervisor", "therapist"),
        ("supervisor", "patient"),
        ("other_therapist", "therapist"),
        ("patient_user", "therapist"),
    ],
)
def test_nobody_else_rates_a_session(request, session, role, rater):
    with pytest.raises(PermissionDenied):
        rating_record(
            session=session, by=request.getfixturevalue(role), rater=rater, scores=scores(30)
        )


@pytest.mark.parametrize("bad", [-1, 11, "7", None, True])
def test_each_answer_is_a_whole_number_from_0_to_10(session, therapist, bad):
    with pytest.raises(ValidationError):
        rating_record(
            session=session, by=therapist, rater="therapist", scores={**scores(30), "tasks": bad}
        )


def test_a_rating_is_never_replaced(session, patient_user):
    rate(session, patient=36)
    with pytest.raises(ValidationError, match="already been rated"):
        rating_record(session=session, by=patient_user, rater="patient", scores=scores(20))
    assert AllianceRating.objects.get().total == 36


def _panel(session, can_edit: bool) -> str:
    context = {
        "session": session,
        "can_edit": can_edit,
        "session_ratings": selectors_ratings.session_ratings(session=session),
    }
    return render_to_string("sessions_log/ratings/session_panel.html", context)


def test_the_session_page_offers_the_therapist_both_ratings(session):
    html = _panel(session, can_edit=True)
    assert reverse("rating_therapist", args=[session.id]) in html
    assert "Hand the device to the patient" in html


def test_the_session_page_shows_a_supervisor_the_totals_without_actions(session):
    rate(session, patient=30, therapist=35)
    html = _panel(session, can_edit=False)
    assert "30/40" in html
    assert "35/40" in html
    assert "Hand the device" not in html


def test_the_rating_page_reads_as_much_for_30_sessions_as_for_3(
    client, therapist, alliance, django_assert_max_num_queries
):
    rated_sessions(alliance, [(36, 36)] * 3)
    session = make_session(alliance, days_ago=0.1)
    url = reverse("rating_therapist", args=[session.id])
    client.force_login(therapist)
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    rated_sessions(alliance, [(36, 36)] * 27)
    with django_assert_max_num_queries(len(three)):
        assert client.get(url).status_code == 200
