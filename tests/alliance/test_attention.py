"""The home page's "To act on" lists, read through the access rule (compiled for therapists,
the ORM's own for supervisors): each clinician finds their own open care's items, in order,
and nothing of anyone else's care, of ended care or of another clinic."""

import datetime

import pytest
from django.db.models import Exists, OuterRef
from django.utils import timezone

from alliance import attention
from alliance.attention import DRAFT_AGE, attention_for
from alliance.models import Alliance
from decisions.models import DecisionTalk
from goals.models import Agreement, Goal, Lifecycle
from sessions_log.models import AllianceAlert, ErrorMark, Session
from tests.alliance.test_page_queries import _to_act_on
from tests.factories import AllianceFactory
from tests.sessions_log.factories import make_session

LISTS = ("reviews", "alerts", "drafts", "unanswered", "decisions")


def _expected(clinician) -> dict[str, list]:
    """What each list holds, asked of the ORM in the plainest terms: the clinician's own
    active alliances in their clinic, each list's conditions, its order and its limit."""
    today = clinician.clinic.today()
    mine = Alliance.objects.filter(
        clinic_id=clinician.clinic_id, therapist=clinician, status=Alliance.Status.ACTIVE
    )
    no_error = ~Exists(ErrorMark.objects.filter(session=OuterRef("session_id")))
    lists = {
        "reviews": Goal.objects.filter(
            alliance__in=mine,
            lifecycle_status=Lifecycle.ACTIVE,
            next_review_on__lte=today + datetime.timedelta(days=7),
        ).order_by("next_review_on", "pk"),
        "alerts": AllianceAlert.objects.filter(
            no_error, alliance__in=mine, closed_at__isnull=True
        ).order_by("-opened_at", "pk"),
        "drafts": Session.objects.filter(
            alliance__in=mine,
            signed_at__isnull=True,
            created_at__lt=timezone.now() - DRAFT_AGE,
        ).order_by("starts_at", "pk"),
        "unanswered": Goal.objects.filter(
            alliance__in=mine,
            lifecycle_status=Lifecycle.PROPOSED,
            proposed_at__isnull=False,
            patient_agreement__in=[Agreement.PENDING, Agreement.DISAGREE],
        ).order_by("-patient_agreement", "proposed_at", "pk"),
        "decisions": DecisionTalk.objects.filter(alliance__in=mine)
        .due_for_review(today)
        .order_by("due_on", "pk"),
    }
    return {name: [row.pk for row in rows[:50]] for name, rows in lists.items()}


def _found(clinician) -> dict[str, list]:
    found = attention_for(therapist=clinician)
    return {name: [row.pk for row in found[name]] for name in LISTS}


@pytest.fixture
def everyones_care(world, therapist, supervisor, outsider):
    """Items to act on in the therapist's care (two episodes), another therapist's, the
    supervisor's own, an ended episode of the therapist's and another clinic's."""
    for alliance in (world["alliance"], AllianceFactory(therapist=therapist)):
        _to_act_on(alliance)
    _to_act_on(world["other_alliance"])
    _to_act_on(world["outside_alliance"])
    _to_act_on(AllianceFactory(therapist=supervisor))
    ended = AllianceFactory(therapist=therapist)
    _to_act_on(ended)
    Alliance.objects.filter(pk=ended.pk).update(
        status=Alliance.Status.ENDED, ended_on=ended.clinic.today()
    )
    # What does not belong on the lists, in the therapist's own care: a draft made today,
    # an alert on a session entered in error, a closed alert, a goal agreed.
    alliance = world["alliance"]
    make_session(alliance, days_ago=0)
    wrong = make_session(alliance, days_ago=6, signed=True)
    ErrorMark.objects.create(session=wrong, marked_by=therapist, reason="Wrong patient")
    AllianceAlert.objects.create(alliance=alliance, session=wrong, gap=True, patient_total=20)
    closed = make_session(alliance, days_ago=7, signed=True)
    AllianceAlert.objects.create(
        alliance=alliance, session=closed, gap=True, patient_total=20, closed_at=timezone.now()
    )
    Goal.objects.filter(alliance=alliance, lifecycle_status="proposed").update(
        patient_agreement=Agreement.AGREE
    )
    return world


@pytest.mark.parametrize("clinician", ["therapist", "other_therapist", "supervisor", "outsider"])
def test_each_clinician_finds_their_own_open_care_only(request, everyones_care, clinician):
    user = request.getfixturevalue(clinician)
    expected = _expected(user)
    assert all(expected[name] for name in LISTS)  # something on every list
    # Twice: the compiled read's first run (compiled there) and a later one.
    assert _found(user) == expected
    assert _found(user) == expected


def test_the_therapists_lists_hold_both_episodes_and_leave_the_rest_out(everyones_care, therapist):
    found = attention_for(therapist=therapist)
    assert {row.alliance.therapist_id for name in LISTS for row in found[name]} == {therapist.pk}
    assert {row.alliance.status for name in LISTS for row in found[name]} == {"active"}
    assert len(found["reviews"]) == 2 and len(found["alerts"]) == 2
    assert len(found["drafts"]) == 2 and len(found["decisions"]) == 2
    assert len(found["unanswered"]) == 1  # the first episode's proposal was agreed


def test_an_inactive_clinician_finds_nothing(everyones_care, therapist):
    therapist.is_active = False
    assert all(items == [] for items in _found(therapist).values())


def test_a_list_longer_than_its_limit_is_cut_at_the_same_items_every_time(therapist, alliance):
    due = alliance.clinic.today()
    Goal.objects.bulk_create(
        Goal(
            alliance=alliance,
            created_by=therapist,
            expressed_by="therapist",
            description=f"Goal {n}",
            lifecycle_status="active",
            next_review_on=due,
        )
        for n in range(55)
    )
    expected = _expected(therapist)["reviews"]
    assert len(expected) == 50
    assert _found(therapist)["reviews"] == expected
    assert _found(therapist)["reviews"] == expected


def test_a_therapists_lists_are_compiled_once_a_supervisors_read_by_the_orm(
    monkeypatch, everyones_care, therapist, supervisor
):
    attention_for(therapist=therapist)  # compiled here, or by an earlier test
    readers = []
    build = attention._REVIEWS.build
    monkeypatch.setattr(
        attention._REVIEWS,
        "build",
        lambda reader, *keys: readers.append(reader) or build(reader, *keys),
    )
    assert _found(therapist)["reviews"] == _expected(therapist)["reviews"]
    assert _found(supervisor)["reviews"] == _expected(supervisor)["reviews"]
    # The therapist's read ran compiled (nothing built); the supervisor's was built for them.
    assert readers == [supervisor]
