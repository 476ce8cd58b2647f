"""On PostgreSQL a compiled read is prepared once per database session and run with EXECUTE,
giving the same rows; a statement that cannot be prepared, or whose parameters PostgreSQL
would read as other types, is run as it is, and a failed preparation leaves an open
transaction usable."""

import datetime

import pytest
from django.db import connection, connections, transaction
from django.db.models import BooleanField, DurationField, Value
from django.test.utils import CaptureQueriesContext

from alliance import prepared_reads
from alliance.compiled_reads import CompiledRead
from sessions_log.models import Session
from tests.factories import AllianceFactory, PatientFactory
from tests.sessions_log.factories import make_session

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


def _sessions(alliance_id):
    return Session.objects.filter(alliance_id=alliance_id).order_by("starts_at").values("id")


@pytest.fixture
def two_alliances(therapist):
    first = AllianceFactory(therapist=therapist)
    second = AllianceFactory(therapist=therapist, patient=PatientFactory(clinic=therapist.clinic))
    for days in (3, 10):
        make_session(first, days_ago=days)
    make_session(second, days_ago=4)
    return first, second


def _run(read, *keys) -> tuple[list, str]:
    with CaptureQueriesContext(connection) as queries:
        rows = read(*keys)
    assert len(queries) == 1
    return rows, queries[0]["sql"]


def test_a_compiled_read_runs_prepared_with_the_same_rows(two_alliances):
    read = CompiledRead(_sessions)
    for alliance in (*two_alliances, *two_alliances):
        rows, sql = _run(read, alliance.pk)
        assert rows == list(_sessions(alliance.pk))
        assert sql.startswith("EXECUTE alliance_read_")
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"


def test_a_new_database_session_prepares_again(two_alliances):
    read = CompiledRead(_sessions)
    first = two_alliances[0]
    assert _run(read, first.pk)[1].startswith("EXECUTE")
    wrapper = connections["default"]
    raw = wrapper.connection
    with wrapper.cursor() as cursor:  # as if the session had been replaced
        cursor.execute("DEALLOCATE ALL")
    wrapper.__dict__.pop(prepared_reads._STATE)
    rows, sql = _run(read, first.pk)
    assert sql.startswith("EXECUTE") and rows == list(_sessions(first.pk))
    assert wrapper.connection is raw


def test_a_constant_read_as_text_is_declared_as_what_it_is(two_alliances):
    # PostgreSQL reads a constant in a select list as text: it is declared as the value's
    # type instead, so the rows hold what the ORM's own read gives.
    def flagged(alliance_id):
        return _sessions(alliance_id).annotate(flag=Value(True, output_field=BooleanField()))

    read = CompiledRead(flagged)
    for _ in range(2):
        rows, sql = _run(read, two_alliances[0].pk)
        assert sql.startswith("EXECUTE")
        assert rows == list(flagged(two_alliances[0].pk))
        assert [row["flag"] for row in rows] == [True, True]


def test_a_parameter_of_another_kind_runs_the_statement_as_it_is(two_alliances):
    # A duration is not among the kinds prepared reads declare.
    def with_a_margin(alliance_id):
        margin = Value(datetime.timedelta(minutes=10), output_field=DurationField())
        return _sessions(alliance_id).annotate(margin=margin)

    read = CompiledRead(with_a_margin)
    rows, sql = _run(read, two_alliances[0].pk)
    assert sql.startswith("SELECT")
    assert rows == list(with_a_margin(two_alliances[0].pk))
    assert rows[0]["margin"] == datetime.timedelta(minutes=10)


def test_a_statement_that_cannot_be_prepared_leaves_the_transaction_usable(two_alliances):
    with transaction.atomic():
        sent = prepared_reads.statement(
            connection, prepared_reads.new_name(), "SELECT no_such_column FROM nowhere", []
        )
        assert sent == "SELECT no_such_column FROM nowhere"
        read = CompiledRead(_sessions)
        rows, sql = _run(read, two_alliances[1].pk)
        assert sql.startswith("EXECUTE") and len(rows) == 1


def test_it_can_be_turned_off(two_alliances, settings):
    settings.ALLIANCE_PREPARED_READS = False
    rows, sql = _run(CompiledRead(_sessions), two_alliances[0].pk)
    assert sql.startswith("SELECT") and len(rows) == 2


@pytest.mark.django_db(transaction=True)
def test_a_failed_preparation_as_a_transactions_first_statement_leaves_it_usable(therapist):
    # Outside any test transaction: atomic() turns autocommit off and the preparation is the
    # statement that begins the transaction.
    connection.close()
    with transaction.atomic():
        sent = prepared_reads.statement(
            connection, prepared_reads.new_name(), "SELECT no_such_column FROM nowhere", []
        )
        assert sent == "SELECT no_such_column FROM nowhere"
        alliance = AllianceFactory(therapist=therapist)
        make_session(alliance, days_ago=1)
        rows, sql = _run(CompiledRead(_sessions), alliance.pk)
        assert sql.startswith("EXECUTE") and len(rows) == 1
