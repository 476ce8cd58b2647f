"""A read compiled once gives, for every key, what the ORM's own read gives."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, OuterRef

from alliance.compiled_reads import CompiledRead
from sessions_log.models import ErrorMark, Session, SessionGoal
from tests.factories import AllianceFactory, PatientFactory
from tests.sessions_log.factories import make_session


def _sessions(alliance_id):
    return (
        Session.objects.filter(alliance_id=alliance_id)
        .annotate(is_error=Exists(ErrorMark.objects.filter(session=OuterRef("pk"))))
        .order_by("-starts_at")
        .values("id", "starts_at", "attendance", "signed_at", "is_error", "communication")
    )


@pytest.fixture
def two_alliances(therapist):
    first = AllianceFactory(therapist=therapist)
    second = AllianceFactory(therapist=therapist, patient=PatientFactory(clinic=therapist.clinic))
    for days in (3, 10, 17):
        make_session(first, days_ago=days, signed=True)
    wrong = make_session(second, days_ago=5, signed=True)
    ErrorMark.objects.create(session=wrong, marked_by=therapist, reason="Wrong patient")
    make_session(second, days_ago=1)
    return first, second


def test_each_key_gets_the_rows_the_orm_gives(two_alliances, django_assert_num_queries):
    read = CompiledRead(_sessions)
    for alliance in (*two_alliances, two_alliances[0]):
        with django_assert_num_queries(1):
            rows = read(alliance.pk)
        assert rows == list(_sessions(alliance.pk))
    first, second = (read(a.pk) for a in two_alliances)
    assert len(first) == 3 and len(second) == 2
    assert [row["is_error"] for row in second] == [False, True]
    # Values come back converted as the ORM converts them: aware datetimes, JSON, booleans.
    assert all(isinstance(row["starts_at"], datetime.datetime) for row in first)
    assert all(row["starts_at"].tzinfo is not None for row in first)
    assert isinstance(first[0]["communication"], list)


def test_it_is_built_once_per_connection(two_alliances):
    built = []

    def build(key):
        built.append(key)
        return _sessions(key)

    read = CompiledRead(build)
    for alliance in (*two_alliances, *two_alliances):
        read(alliance.pk)
    # Built twice, with two different stand-ins, never with a real key.
    assert len(built) == 2 and built[0] != built[1]
    assert not set(built) & {a.pk for a in two_alliances}


def test_a_key_with_no_rows_gets_none(two_alliances, other_alliance):
    assert CompiledRead(_sessions)(other_alliance.pk) == []


def test_a_read_that_does_not_use_its_key_is_refused(db):
    read = CompiledRead(lambda key: Session.objects.values("id"))
    with pytest.raises(ImproperlyConfigured, match="does not use its key"):
        read(AllianceFactory.build().pk)


def test_a_read_that_uses_its_key_in_another_form_is_refused(db):
    # The key's text, or a day computed from a date key, would keep the stand-in's value.
    by_text = CompiledRead(lambda key: Session.objects.filter(subjective=str(key)).values("id"))
    with pytest.raises(ImproperlyConfigured, match="does not use its key"):
        by_text(AllianceFactory.build().pk)

    def day_after(alliance_id, day):
        return Session.objects.filter(
            alliance_id=alliance_id, starts_at__date=day + datetime.timedelta(days=1)
        ).values("id")

    with pytest.raises(ImproperlyConfigured, match="does not use its key"):
        CompiledRead(day_after)(AllianceFactory.build().pk, datetime.date(2026, 1, 1))


def _sessions_with_alliance(alliance_id):
    return (
        Session.objects.filter(alliance_id=alliance_id)
        .select_related("alliance__patient")
        .annotate(is_error=Exists(ErrorMark.objects.filter(session=OuterRef("pk"))))
        .order_by("-starts_at")
    )


def test_a_read_of_a_model_gives_instances_as_the_orm_makes_them(
    two_alliances, django_assert_num_queries
):
    read = CompiledRead(_sessions_with_alliance)
    for alliance in two_alliances:
        expected = list(_sessions_with_alliance(alliance.pk))
        with django_assert_num_queries(1):
            sessions = read(alliance.pk)
            # What select_related loaded comes along, without a query of its own.
            names = [session.alliance.patient.display_name for session in sessions]
        assert names == [alliance.patient.display_name] * len(expected)
        assert sessions == expected
        for mine, theirs in zip(sessions, expected, strict=True):
            assert mine.is_error == theirs.is_error
            assert mine.starts_at == theirs.starts_at
            assert mine.communication == theirs.communication
            assert mine._state.adding is False and mine._state.db == "default"


def test_a_read_with_a_prefetch_is_refused(db):
    read = CompiledRead(lambda key: Session.objects.filter(pk=key).prefetch_related("addenda"))
    with pytest.raises(ImproperlyConfigured, match="no prefetch"):
        read(AllianceFactory.build().pk)


def test_columns_added_only_for_ordering_are_not_returned(two_alliances):
    def ids(alliance_id):
        return (
            Session.objects.filter(alliance_id=alliance_id)
            .order_by("-starts_at")
            .values("id")
            .distinct()
        )

    read = CompiledRead(ids)
    for alliance in two_alliances:
        assert read(alliance.pk) == list(ids(alliance.pk))


def _sessions_of_many(alliance_ids, newest, oldest):
    return (
        Session.objects.filter(
            alliance_id__in=alliance_ids, starts_at__lte=newest, starts_at__gte=oldest
        )
        .order_by("-starts_at")
        .values("id", "alliance_id", "starts_at")
    )


def test_lists_of_keys_and_moments_get_the_rows_the_orm_gives(
    two_alliances, other_alliance, django_assert_num_queries
):
    from django.utils import timezone

    read = CompiledRead(_sessions_of_many)
    first, second = two_alliances
    now = timezone.now()
    cases = [
        ([first.pk], now, now - datetime.timedelta(days=11)),
        ([first.pk, second.pk], now, now - datetime.timedelta(days=11)),
        (
            [second.pk, first.pk],
            now - datetime.timedelta(days=2),
            now - datetime.timedelta(days=30),
        ),
        ([other_alliance.pk, second.pk, first.pk], now, now - datetime.timedelta(days=4)),
    ]
    for ids, newest, oldest in cases:
        expected = list(_sessions_of_many(ids, newest, oldest))
        with django_assert_num_queries(1):
            assert read(ids, newest, oldest) == expected
    assert len(read([first.pk, second.pk], now, now - datetime.timedelta(days=11))) == 4
    # An empty list, a list longer than LONGEST_LIST, keys given as text: the ORM reads them.
    assert read([], now, now - datetime.timedelta(days=30)) == []
    many = [first.pk] + [AllianceFactory.build().pk for _ in range(20)]
    assert read(many, now, now - datetime.timedelta(days=30)) == list(
        _sessions_of_many(many, now, now - datetime.timedelta(days=30))
    )
    as_text = [str(first.pk)]
    assert read(as_text, now, now - datetime.timedelta(days=30)) == list(
        _sessions_of_many(as_text, now, now - datetime.timedelta(days=30))
    )


def test_integer_and_date_keys(two_alliances, therapist):
    def by_therapist(therapist_id, on_or_after):
        return (
            Session.objects.filter(
                alliance__therapist_id=therapist_id, starts_at__date__gte=on_or_after
            )
            .order_by("starts_at")
            .values("id")
        )

    read = CompiledRead(by_therapist)
    for days in (0, 4, 12, 40):
        day = datetime.date.today() - datetime.timedelta(days=days)
        assert read(therapist.pk, day) == list(by_therapist(therapist.pk, day))
    assert len(read(therapist.pk, datetime.date.today() - datetime.timedelta(days=40))) == 5


def test_a_key_shifted_onto_another_keys_place_is_refused(db):
    # Days after the first date key: with stand-ins a fixed step apart, some shift would land
    # on the second key's stand-in in both compilations and take that key's value.
    for days in (1, 2, 1000, 1007):

        def shifted(alliance_id, first, second, days=days):
            return Session.objects.filter(
                alliance_id=alliance_id,
                starts_at__date__gte=first,
                starts_at__date__lte=first + datetime.timedelta(days=days),
                updated_at__date__lte=second,
            ).values("id")

        with pytest.raises(ImproperlyConfigured, match="does not use its key"):
            CompiledRead(shifted)(
                AllianceFactory.build().pk, datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)
            )


def _goal_work(session_id):
    return SessionGoal.objects.filter(session_id=session_id).values("goal_id", "value")


def test_values_are_converted_on_every_run_not_only_the_first(alliance, active_goal):
    # Decimals need a converter on SQLite; the converters are found once, applied every time.
    sessions = [make_session(alliance, days_ago=days) for days in (1, 2)]
    for session, value in zip(sessions, ("2.50", "0.25"), strict=True):
        SessionGoal.objects.create(session=session, goal=active_goal, value=Decimal(value))
    read = CompiledRead(_goal_work)
    for session in (*sessions, sessions[0]):
        rows = read(session.pk)
        assert rows == list(_goal_work(session.pk))
        assert type(rows[0]["value"]) is Decimal
    assert [read(session.pk)[0]["value"] for session in sessions] == [
        Decimal("2.50"),
        Decimal("0.25"),
    ]
