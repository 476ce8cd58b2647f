"""The therapist's home and the patient page read as many queries for six patients (or
sessions) as for one, whatever they list.

Their lists read only the columns the templates show; a column left out and then read in a
template would cost a query per row, which these tests catch.
"""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance.models import Supervision
from decisions.models import DecisionTalk
from goals.models import Agreement, Goal
from sessions_log.models import Addendum, AllianceAlert, AllianceRating, ErrorMark, Session
from tests.factories import AllianceFactory
from tests.sessions_log.factories import make_session


def _queries(client, url: str, **params) -> tuple[int, str]:
    """Queries of a first visit: the page drawn in full, not from its copy."""
    client.get(url, params)  # the session's own bookkeeping happens once, here
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response.text


def _to_act_on(alliance) -> None:
    """One of each thing the home's "To act on" panel lists, on `alliance`."""
    today = alliance.clinic.today()
    therapist = alliance.therapist
    Goal.objects.create(
        alliance=alliance,
        created_by=therapist,
        expressed_by="therapist",
        description="Walk to the shop alone",
        lifecycle_status="active",
        next_review_on=today - datetime.timedelta(days=1),
    )
    Goal.objects.create(
        alliance=alliance,
        created_by=therapist,
        expressed_by="therapist",
        description="Sleep by eleven",
        lifecycle_status="proposed",
        proposed_at=timezone.now(),
        patient_agreement=Agreement.DISAGREE,
    )
    rated = make_session(alliance, days_ago=4, signed=True)
    AllianceAlert.objects.create(
        alliance=alliance,
        session=rated,
        below_cutoff=True,
        dropped=True,
        gap=True,
        patient_total=20,
        previous_total=31,
        therapist_total=35,
    )
    draft = make_session(alliance, days_ago=3)
    Session.objects.filter(pk=draft.pk).update(created_at=timezone.now() - datetime.timedelta(2))
    DecisionTalk.objects.create(
        alliance=alliance,
        question="Move house?",
        stage="review",
        due_on=today,
        created_by=therapist,
    )


def test_the_home_reads_as_much_for_six_patients_to_act_on_as_for_one(client, therapist):
    _to_act_on(AllianceFactory(therapist=therapist))
    client.force_login(therapist)
    one, _ = _queries(client, reverse("caseload"))
    for _ in range(5):
        _to_act_on(AllianceFactory(therapist=therapist))
    six, page = _queries(client, reverse("caseload"))
    assert six == one
    assert page.count("Walk to the shop alone") == 6 and page.count("Overdue") == 6
    assert page.count("Sleep by eleven") == 6 and page.count("Disagrees") == 6
    assert page.count("rated the session 20/40, below the clinic's cutoff and down from 31") == 6
    assert page.count("the therapist rated it 35/40") == 6
    assert page.count("/edit/") == 6 and page.count("Move house?") == 6


def _sessions(alliance, supervisor, start: int) -> None:
    """Four sessions: one with an addendum and both ratings, one waiting for co-signature
    with an open alert, one entered in error, one draft."""
    therapist = alliance.therapist
    amended = make_session(alliance, days_ago=start, signed=True)
    Addendum.objects.create(session=amended, author=therapist, reason="Late call", text="Fine.")
    for rater, score in (("patient", 9), ("therapist", 8)):
        AllianceRating.objects.create(
            session=amended,
            rater=rater,
            goals=score,
            tasks=score,
            bond=score,
            overall=score,
            entered_by=therapist,
        )
    Supervision.objects.filter(therapist=therapist).update(requires_cosign=True)
    waiting = make_session(alliance, days_ago=start + 1, signed=True)
    Supervision.objects.filter(therapist=therapist).update(requires_cosign=False)
    AllianceAlert.objects.create(
        alliance=alliance, session=waiting, dropped=True, patient_total=25, previous_total=33
    )
    wrong = make_session(alliance, days_ago=start + 2, signed=True)
    ErrorMark.objects.create(session=wrong, marked_by=therapist, reason="Wrong patient")
    make_session(alliance, days_ago=start + 3)


@pytest.mark.parametrize("params", [{}, {"sessions": "all"}])
def test_the_patient_page_reads_as_much_for_many_sessions_as_for_a_few(
    client, therapist, supervisor, alliance, params
):
    _sessions(alliance, supervisor, start=1)
    client.force_login(therapist)
    url = reverse("alliance_detail", args=[alliance.id])
    few, _ = _queries(client, url, **params)
    for n in range(1, 6):
        _sessions(alliance, supervisor, start=1 + 4 * n)
    many, page = _queries(client, url, **params)
    assert many == few
    # 24 sessions: the latest 20 are listed (five of each kind) unless all are asked for.
    listed = 6 if params else 5
    assert page.count("Signed, 1 addendum") == listed
    assert page.count("waiting for co-signature") == listed
    assert page.count(">Draft<") == listed
    assert page.count("Entered in error") == listed
    assert page.count("down from 33 last time") == 6  # the open alerts are all shown


def _header_state(state, alliance, patient_user):
    """Put the patient page's header in `state`; the page's reader for it."""
    if state == "portal joined":
        patient_user.set_password("a-long-enough-passphrase")
        patient_user.save()
    elif state == "portal invited":
        patient_user.set_unusable_password()
        patient_user.save()
    elif state == "no portal":
        type(alliance.patient).objects.filter(pk=alliance.patient_id).update(portal_user=None)
    elif state == "ended":
        type(alliance).objects.filter(pk=alliance.pk).update(
            status="ended", ended_on=alliance.clinic.today(), end_reason="completed"
        )


@pytest.mark.parametrize(
    "state", ["portal joined", "portal invited", "no portal", "ended", "read by the supervisor"]
)
def test_the_patient_page_reads_no_more_whatever_its_header_shows(
    client, therapist, supervisor, alliance, patient_user, state
):
    """The page reads only the columns its header shows: one shown but not read would cost
    a query of its own."""
    _sessions(alliance, supervisor, start=1)
    url = reverse("alliance_detail", args=[alliance.id])
    client.force_login(therapist)
    plain, _ = _queries(client, url)
    _header_state(state, alliance, patient_user)
    client.force_login(supervisor if state == "read by the supervisor" else therapist)
    count, page = _queries(client, url)
    assert count == plain
    expected = {
        "portal joined": "Uses the portal",
        "portal invited": "Invited, not yet joined",
        "no portal": "No portal account",
        "ended": "(therapy completed). Its record is kept and read-only.",
        "read by the supervisor": "record as their supervisor: read-only",
    }[state]
    assert expected in page


def test_the_patient_page_reads_as_much_for_goals_in_every_state_as_for_none(
    client, therapist, alliance
):
    url = reverse("alliance_detail", args=[alliance.id])
    client.force_login(therapist)
    none, _ = _queries(client, url)
    today = alliance.clinic.today()
    for status in ("proposed", "active", "on-hold", "completed", "cancelled", "entered-in-error"):
        goal = Goal.objects.create(
            alliance=alliance,
            created_by=therapist,
            expressed_by="patient",
            description=f"Goal {status}",
            lifecycle_status=status,
            proposed_at=None if status == "proposed" else timezone.now(),
            unit="walks",
            next_review_on=today - datetime.timedelta(days=1),
        )
        goal.progress.create(
            recorded_on=today, value=2, gas_level=1, reported_by="therapist", recorded_by=therapist
        )
    count, page = _queries(client, url)
    assert count == none
    assert page.count("2 walks (level +1)") == 6
    assert page.count(">Draft<") == 1 and page.count("Overdue") == 1
    assert "Goal attainment T-score" in page
