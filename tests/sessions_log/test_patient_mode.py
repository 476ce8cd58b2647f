"""Patient mode: the therapist's device in the patient's hands shows the questions only."""

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone

from sessions_log.models import AllianceRating
from tests.conftest import ROLE_FIXTURES
from tests.factories import PASSWORD
from tests.sessions_log.rating_factories import make_session, rate, scores

MIDDLEWARE = "sessions_log.middleware.PatientModeMiddleware"
NOTE = "Discussed the argument with her sister at length."


@pytest.fixture(autouse=True)
def _patient_mode_middleware(settings):
    if MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]


@pytest.fixture
def session(alliance):
    return make_session(alliance, subjective=NOTE, assessment="Low mood.", plan="Next week.")


@pytest.fixture
def handed_over(client, therapist, session):
    """The therapist's browser, after they pressed 'Hand the device to the patient'."""
    client.force_login(therapist)
    response = client.post(reverse("patient_mode_start", args=[session.id]))
    assert response["Location"] == reverse("patient_mode_rate")
    return client


def answers(total: int = 32) -> dict:
    return {name: str(value) for name, value in scores(total).items()}


def test_handing_over_shows_the_four_questions_in_plain_words(handed_over):
    page = handed_over.get(reverse("patient_mode_rate")).text
    assert "We worked on what I wanted to work on" in page
    assert "The way we worked suited me" in page
    assert "I felt heard, understood and respected" in page
    assert "Overall, today&#x27;s session was right for me" in page


def test_the_questions_show_the_therapist_and_the_date(handed_over, session, clinic):
    page = handed_over.get(reverse("patient_mode_rate")).text
    day = timezone.localtime(session.starts_at, clinic.zone)
    assert "With Alice Therapist" in page
    assert dateformat.format(day, "l j F Y") in page


def test_the_questions_show_nothing_of_the_record(handed_over):
    page = handed_over.get(reverse("patient_mode_rate")).text
    for hidden in ("Patricia", "Quill", NOTE, "Caseload", "Log out", "alert", "Risk"):
        assert hidden not in page


@pytest.mark.parametrize(
    "url_name", ["caseload", "home", "patient_add", "review", "session_cosign_queue"]
)
def test_every_other_page_leads_back_to_the_questions(handed_over, url_name):
    response = handed_over.get(reverse(url_name))
    assert response["Location"] == reverse("patient_mode_rate")


def test_the_record_stays_out_of_reach(handed_over, session, alliance):
    for url in (
        reverse("alliance_detail", args=[alliance.id]),
        reverse("session_detail", args=[session.id]),
        reverse("session_edit", args=[session.id]),
    ):
        assert handed_over.get(url)["Location"] == reverse("patient_mode_rate")


def test_logging_out_is_not_possible_in_patient_mode(handed_over):
    response = handed_over.post(reverse("logout"))
    assert response["Location"] == reverse("patient_mode_rate")
    assert handed_over.get(reverse("patient_mode_rate")).status_code == 200


def test_static_files_are_not_held_back(handed_over, settings):
    response = handed_over.get(f"{settings.STATIC_URL}css/alliance.css")
    assert response.get("Location") != reverse("patient_mode_rate")


def test_the_patients_answers_are_recorded_as_theirs(handed_over, therapist):
    handed_over.post(reverse("patient_mode_rate"), answers(32))
    rating = AllianceRating.objects.get()
    assert (rating.rater, rating.total) == ("patient", 32)
    assert rating.in_patient_mode
    assert rating.entered_by == therapist


def test_after_answering_the_patient_is_asked_to_hand_the_device_back(handed_over):
    response = handed_over.post(reverse("patient_mode_rate"), answers(), follow=True)
    assert "Please hand the device back to Alice Therapist." in response.text


def test_a_strained_rating_shows_the_patient_no_alert(handed_over, clinic):
    response = handed_over.post(reverse("patient_mode_rate"), answers(12), follow=True)
    assert clinic.alert_cutoff > 12
    assert "alert" not in response.text.lower()
    assert "12/40" not in response.text


def test_an_unanswered_question_is_asked_again(handed_over):
    data = answers()
    del data["overall"]
    response = handed_over.post(reverse("patient_mode_rate"), data)
    assert "Please choose a number for each question." in response.text
    assert not AllianceRating.objects.exists()


def test_the_questions_are_not_shown_twice(handed_over):
    handed_over.post(reverse("patient_mode_rate"), answers())
    response = handed_over.get(reverse("patient_mode_rate"))
    assert response["Location"] == reverse("patient_mode_thanks")


def test_a_wrong_password_keeps_patient_mode(handed_over):
    response = handed_over.post(reverse("patient_mode_exit"), {"password": "guess"})
    assert "That is not your password." in response.text
    assert handed_over.get(reverse("caseload"))["Location"] == reverse("patient_mode_rate")


def test_the_therapists_password_ends_patient_mode(handed_over, session):
    response = handed_over.post(reverse("patient_mode_exit"), {"password": PASSWORD})
    assert response["Location"] == reverse("session_detail", args=[session.id])
    assert handed_over.get(reverse("caseload")).status_code == 200


def test_five_wrong_passwords_log_the_therapist_out(handed_over):
    for _ in range(5):
        response = handed_over.post(reverse("patient_mode_exit"), {"password": "guess"})
    assert response["Location"] == reverse("login")
    assert handed_over.get(reverse("caseload"))["Location"].startswith(reverse("login"))


def test_handing_over_takes_a_post(client, therapist, session):
    client.force_login(therapist)
    response = client.get(reverse("patient_mode_start", args=[session.id]))
    assert response.status_code == 405


START_STATUS = {
    "supervisor": 403,
    "patient_user": 403,
    "other_patient_user": 403,
    "clinic_admin": 403,
    "anonymous": 302,
}


@pytest.mark.parametrize("role", [r for r in ROLE_FIXTURES if r != "therapist"])
def test_only_the_therapist_hands_over_their_device(role, as_user, session):
    client = as_user(role)
    response = client.post(reverse("patient_mode_start", args=[session.id]))
    assert response.status_code == START_STATUS.get(role, 404)
    assert "patient_mode" not in client.session


def test_a_session_the_patient_has_rated_is_not_handed_over_again(client, therapist, session):
    rate(session, patient=36)
    client.force_login(therapist)
    response = client.post(reverse("patient_mode_start", args=[session.id]), follow=True)
    assert "This session has already been rated." in response.text
    assert "patient_mode" not in client.session


@pytest.mark.parametrize(
    "url_name", ["patient_mode_rate", "patient_mode_thanks", "patient_mode_exit"]
)
def test_patient_mode_pages_lead_home_when_it_is_off(client, therapist, url_name):
    client.force_login(therapist)
    assert client.get(reverse(url_name))["Location"] == reverse("home")


def test_the_questions_read_a_fixed_number_of_queries(handed_over, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert handed_over.get(reverse("patient_mode_rate")).status_code == 200
