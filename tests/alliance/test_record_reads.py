"""A record read through the access rule, compiled per kind of reader, finds exactly what
the ORM's own read through the rule finds, for every reader."""

import pytest
from django.contrib.auth.models import AnonymousUser

from alliance.access import get_alliance_or_404, get_record_or_404
from alliance.models import Alliance
from alliance.record_reads import RecordRead
from decisions.models import DecisionTalk
from goals.models import Goal
from sessions_log.models import Session
from tests.conftest import ROLE_FIXTURES
from tests.decisions.factories import DecisionTalkFactory
from tests.goals.factories import ActiveGoalFactory
from tests.sessions_log.factories import make_session


@pytest.fixture
def records(world):
    """A goal, a talk and a session in each of three alliances: Alice's, Bob's (same clinic)
    and Oscar's (another clinic)."""
    made = {}
    for name in ("alliance", "other_alliance", "outside_alliance"):
        alliance = world[name]
        made[name] = {
            Alliance: alliance,
            Goal: ActiveGoalFactory(alliance=alliance),
            DecisionTalk: DecisionTalkFactory(alliance=alliance),
            Session: make_session(alliance, days_ago=2),
        }
    return made


def _reader(request, role):
    if role == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(role)


def _orm(model, user, record_id):
    return model.objects.visible_to(user).filter(id=record_id).first()


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_every_reader_finds_what_the_rule_lets_them_see(request, records, role):
    user = _reader(request, role)
    found = 0
    for made in records.values():
        for model, record in made.items():
            expected = _orm(model, user, record.pk)
            if model is Alliance:
                read = _read_or_none(get_alliance_or_404, user, record.pk)
            else:
                read = _read_or_none(get_record_or_404, model.objects, user, record.pk)
            assert read == expected, (model.__name__, role)
            found += read is not None
    # Each reader sees their own (Alice's via her supervisor too; patients their own care).
    seen = {"therapist": 4, "supervisor": 4, "patient_user": 4}
    seen.update({"other_therapist": 4, "other_patient_user": 4, "outsider": 4})
    assert found == seen.get(role, 0)


def _read_or_none(function, *args):
    from django.http import Http404

    try:
        return function(*args)
    except Http404:
        return None


def test_a_deactivated_therapist_sees_nothing(records, therapist):
    therapist.is_active = False
    therapist.save()
    for model, record in records["alliance"].items():
        assert _orm(model, therapist, record.pk) is None
        if model is Alliance:
            assert _read_or_none(get_alliance_or_404, therapist, record.pk) is None
        else:
            assert _read_or_none(get_record_or_404, model.objects, therapist, record.pk) is None


def test_the_record_comes_with_its_alliance_in_one_query(
    records, therapist, django_assert_num_queries
):
    session = records["alliance"][Session]
    get_record_or_404(Session.objects, therapist, session.pk)  # compiled, on first use
    with django_assert_num_queries(1):
        read = get_record_or_404(Session.objects, therapist, session.pk)
        assert read.alliance.patient.display_name == session.alliance.patient.display_name
        assert read.alliance.clinic.time_zone == session.alliance.clinic.time_zone
        assert read.alliance.therapist.full_name == "Alice Therapist"


def test_it_is_built_for_stand_ins_once_per_role_and_run_for_every_reader(
    records, therapist, other_therapist
):
    built = []

    def build(reader, alliance_id):
        built.append((reader.role, reader.pk))
        return Alliance.objects.visible_to(reader).filter(id=alliance_id)

    read = RecordRead(build)
    mine, bobs = records["alliance"][Alliance], records["other_alliance"][Alliance]
    assert read(therapist, mine.pk) == mine
    assert read(other_therapist, bobs.pk) == bobs
    assert read(therapist, bobs.pk) is None and read(other_therapist, mine.pk) is None
    # Two stand-ins (the build is compiled twice), never a real reader.
    assert len(built) == 2 and {role for role, _ in built} == {"therapist"}
    assert not {pk for _, pk in built} & {therapist.pk, other_therapist.pk}


def test_a_record_is_read_through_a_manager_never_a_queryset_made_per_request(records, therapist):
    # Each manager's read is compiled and kept once; a queryset made per request would be
    # kept once per request.
    session = records["alliance"][Session]
    with pytest.raises(TypeError, match="manager"):
        get_record_or_404(Session.objects.filter(signed_at__isnull=True), therapist, session.pk)
    assert get_record_or_404(Session.objects, therapist, session.pk) == session
