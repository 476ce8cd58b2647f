"""Alliance alerts: the clinic's cutoff, drop and gap; closed by a repair; who sees them."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from sessions_log.models import AllianceAlert
from sessions_log.selectors_ratings import open_alert_counts_by_therapist, open_alerts_for
from sessions_log.services import notes
from tests.conftest import ROLE_FIXTURES
from tests.factories import AllianceFactory, PatientFactory, SupervisionFactory, UserFactory
from tests.sessions_log.rating_factories import make_session, rate, rated_sessions


@pytest.fixture
def clinic_rules(clinic):
    """Cutoff 30, drop 3, gap 6: far enough apart to test each rule on its own."""
    clinic.alert_cutoff, clinic.alert_drop, clinic.alert_gap = 30, 3, 6
    clinic.save()
    return clinic


def alert_of(session) -> AllianceAlert | None:
    return AllianceAlert.objects.filter(session=session).first()


def test_a_total_below_the_cutoff_opens_an_alert(alliance, clinic_rules):
    session = rate(make_session(alliance), patient=29)
    alert = alert_of(session)
    assert alert.is_open
    assert (alert.below_cutoff, alert.dropped, alert.gap) == (True, False, False)


def test_a_total_at_the_cutoff_opens_no_alert(alliance, clinic_rules):
    assert alert_of(rate(make_session(alliance), patient=30)) is None


def test_a_drop_from_the_previous_session_opens_an_alert(alliance, clinic_rules):
    _, latest = rated_sessions(alliance, [(38, None), (35, None)])
    alert = alert_of(latest)
    assert alert.dropped
    assert (alert.previous_total, alert.patient_total) == (38, 35)


def test_a_drop_smaller_than_the_clinics_opens_no_alert(alliance, clinic_rules):
    _, latest = rated_sessions(alliance, [(38, None), (36, None)])
    assert alert_of(latest) is None


def test_the_drop_is_measured_from_the_previous_rated_session(alliance, clinic_rules):
    _, _, latest = rated_sessions(alliance, [(40, None), (None, 35), (37, None)])
    assert alert_of(latest).previous_total == 40


def test_the_first_rating_has_nothing_to_drop_from(alliance, clinic_rules):
    assert alert_of(rate(make_session(alliance), patient=31)) is None


def test_a_late_rating_of_an_earlier_session_shows_the_next_drop(alliance, clinic_rules):
    earlier, later = rated_sessions(alliance, [(None, None), (34, None)])
    rate(earlier, patient=39)
    assert alert_of(later).dropped


def test_a_gap_opens_an_alert_when_the_therapist_rates_last(alliance, clinic_rules):
    session = rate(make_session(alliance), patient=32, therapist=38)
    alert = alert_of(session)
    assert alert.gap
    assert alert.therapist_total == 38


def test_a_gap_opens_an_alert_when_the_patient_rates_last(alliance, clinic_rules):
    session = rate(make_session(alliance), therapist=26)
    rate(session, patient=32)
    assert alert_of(session).gap


def test_a_gap_smaller_than_the_clinics_opens_no_alert(alliance, clinic_rules):
    assert alert_of(rate(make_session(alliance), patient=32, therapist=37)) is None


def test_the_therapists_rating_alone_opens_no_alert(alliance, clinic_rules):
    assert alert_of(rate(make_session(alliance), therapist=10)) is None


def test_a_gap_adds_to_an_alert_already_open(alliance, clinic_rules):
    session = rate(make_session(alliance), patient=20, therapist=35)
    alert = alert_of(session)
    assert (alert.below_cutoff, alert.gap) == (True, True)
    assert AllianceAlert.objects.count() == 1


def test_the_clinics_own_cutoff_decides(alliance, clinic):
    clinic.alert_cutoff = 36
    clinic.save()
    assert alert_of(rate(make_session(alliance), patient=35)).below_cutoff


def test_a_repair_in_a_later_signed_note_closes_the_alert(alliance, clinic_rules, therapist):
    strained = rate(make_session(alliance, days_ago=7), patient=20)
    later = make_session(alliance, assessment="Better.", plan="Go on.", repair="We talked it over.")
    notes.session_sign(session=later, by=therapist)
    alert = alert_of(strained)
    assert not alert.is_open
    assert alert.closed_by_session == later


def test_a_note_without_a_repair_leaves_the_alert_open(alliance, clinic_rules, therapist):
    strained = rate(make_session(alliance, days_ago=7), patient=20)
    later = make_session(alliance, assessment="Better.", plan="Go on.")
    notes.session_sign(session=later, by=therapist)
    assert alert_of(strained).is_open


def test_a_repaired_alert_is_not_reopened_by_a_late_rating(alliance, clinic_rules, therapist):
    strained = rate(make_session(alliance, days_ago=7), patient=20)
    later = make_session(alliance, assessment="Better.", plan="Go on.", repair="Talked.")
    notes.session_sign(session=later, by=therapist)
    rate(strained, therapist=38)
    alert = alert_of(strained)
    assert not alert.is_open
    assert not alert.gap


def test_a_session_entered_in_error_is_not_the_previous_rating(alliance, clinic_rules, therapist):
    wrong, latest = rated_sessions(alliance, [(40, None), (None, None)])
    notes.session_mark_error(session=wrong, by=therapist, reason="Wrong patient")
    rate(latest, patient=35)
    assert alert_of(latest) is None


# Who sees open alerts: the therapist's home and the supervisor's review.


@pytest.fixture
def strained(world, clinic_rules):
    return rate(make_session(world["alliance"]), patient=20)


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_open_alerts_are_shown_only_to_the_therapist_and_their_supervisor(role, request, strained):
    user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    seen = list(open_alerts_for(user=user))
    assert seen == ([strained.alert] if role in ("therapist", "supervisor") else [])


def test_an_ended_episode_of_care_leaves_the_home_list(strained, alliance, therapist):
    alliance.status, alliance.ended_on = "ended", alliance.started_on
    alliance.save()
    assert not open_alerts_for(user=therapist).exists()


def test_the_review_counts_open_alerts_per_supervised_therapist(strained, supervisor, therapist):
    counts = open_alert_counts_by_therapist(user=supervisor, therapist_ids=[therapist.id])
    assert counts == {therapist.id: 1}


def test_the_review_counts_nothing_outside_the_supervisors_view(strained, therapist):
    stranger = UserFactory(clinic=therapist.clinic, role="supervisor")
    assert open_alert_counts_by_therapist(user=stranger, therapist_ids=[therapist.id]) == {}


def test_the_alert_list_says_why_in_words(strained, therapist):
    html = render_to_string(
        "sessions_log/partials/alerts.html",
        {"alerts": open_alerts_for(user=therapist), "user": therapist},
    )
    assert "Patricia Quill" in html
    assert "The patient rated the session 20/40, below the clinic's cutoff." in html


def _supervised_alerts(supervisor, clinic, count: int) -> None:
    """`count` strained alliances of another supervised therapist."""
    colleague = UserFactory(clinic=clinic)
    SupervisionFactory(supervisor=supervisor, therapist=colleague)
    for _ in range(count):
        alliance = AllianceFactory(therapist=colleague, patient=PatientFactory(clinic=clinic))
        rate(make_session(alliance), patient=20)


def _render_review_alerts(supervisor) -> str:
    alerts = open_alerts_for(user=supervisor)
    context = {"alerts": alerts, "user": supervisor}
    return render_to_string("sessions_log/partials/alerts.html", context)


def test_the_alert_list_reads_as_much_for_30_alerts_as_for_3(
    supervisor, clinic_rules, django_assert_max_num_queries
):
    _supervised_alerts(supervisor, clinic_rules, 3)
    with CaptureQueriesContext(connection) as three:
        html = _render_review_alerts(supervisor)
    assert html.count("<li") == 3
    _supervised_alerts(supervisor, clinic_rules, 27)
    with django_assert_max_num_queries(len(three)):
        html = _render_review_alerts(supervisor)
    assert html.count("<li") == 30
