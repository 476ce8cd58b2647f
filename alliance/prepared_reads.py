"""PostgreSQL: each compiled read prepared once per database session, planned once.

PostgreSQL plans every statement it is sent. For the small indexed reads of a record page,
planning took longer than running them (0.2-0.9 ms each, against 0.1-0.8). A compiled read
(`alliance.compiled_reads`) sends the same statement every time, so on PostgreSQL it is
prepared once per database session with a generic plan (`plan_cache_mode`, set when a
connection opens: it applies to prepared statements only, which only this module makes), and
run with EXECUTE.

A statement is used only when PostgreSQL reads each of its parameters as the type of the
value given for it (a UUID as uuid, a date as date...); any other, and any statement that
cannot be prepared, is run as it is. Preparing happens outside the debug cursor (like the
connection's own set-up), inside a savepoint when a transaction is open, so a failure
leaves the transaction as it was. Prepared statements belong to the database session: behind
a pooler that hands sessions from one client to another per transaction, turn this off with
`ALLIANCE_PREPARED_READS=0`.
"""

import datetime
import decimal
import itertools
import re
import uuid

from django.conf import settings

_names = itertools.count(1)
_STATE = "_alliance_prepared_reads"
# For each kind of value passed as a parameter: the type to declare for it, and the types
# PostgreSQL may infer for it. A bool before an int, a datetime before a date; choices are str.
_TYPES = {
    bool: ("boolean", {"boolean"}),
    int: ("bigint", {"smallint", "integer", "bigint", "numeric"}),
    str: ("text", {"text", "character varying", "character"}),
    uuid.UUID: ("uuid", {"uuid"}),
    datetime.datetime: ("timestamp with time zone", {"timestamp with time zone"}),
    datetime.date: ("date", {"date"}),
    decimal.Decimal: ("numeric", {"numeric"}),
    float: ("double precision", {"double precision", "real", "numeric"}),
}


def _kind(value) -> tuple[str, set[str]] | None:
    return next((entry for kind, entry in _TYPES.items() if isinstance(value, kind)), None)


def enabled(connection) -> bool:
    return connection.vendor == "postgresql" and settings.ALLIANCE_PREPARED_READS


def on_connect(sender, connection, **kwargs) -> None:
    """A new PostgreSQL session plans its prepared statements once, whatever the values."""
    if enabled(connection):
        with connection.connection.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_generic_plan")


def new_name() -> str:
    return f"alliance_read_{next(_names)}"


def _numbered(sql: str) -> str:
    """The statement with PostgreSQL's numbered parameters instead of the driver's %s."""
    numbers = itertools.count(1)
    return re.sub(r"%%|%s", lambda m: "%" if m.group() == "%%" else f"${next(numbers)}", sql)


def _fits(types: list[str], params) -> bool:
    return len(types) == len(params) and all(
        _kind(value) is not None and kind in _kind(value)[1]
        for kind, value in zip(types, params, strict=True)
    )


def statement(connection, name: str, sql: str, params) -> str:
    """What to send for `sql` with `params` (stand-ins of the values it will be run with):
    an EXECUTE of the statement prepared as `name` in this database session, or `sql`."""
    if not enabled(connection):
        return sql
    raw = connection.connection
    state = connection.__dict__.get(_STATE)
    if state is None or state[0] is not raw:
        # A new database session (first use, or reconnected): nothing is prepared in it.
        state = connection.__dict__[_STATE] = (raw, {})
    prepared = state[1]
    if name not in prepared:
        import psycopg2.extensions as pg

        status = raw.info.transaction_status
        if status not in (pg.TRANSACTION_STATUS_IDLE, pg.TRANSACTION_STATUS_INTRANS):
            return sql  # a failed transaction: the statement fails as it would have
        # Inside atomic() psycopg2 has autocommit off and begins the transaction with the next
        # statement, which is this one: it needs the savepoint as much as an open one does.
        in_transaction = status != pg.TRANSACTION_STATUS_IDLE or not raw.autocommit
        prepared[name] = _prepare(raw, name, sql, params, in_transaction)
    return prepared[name] or sql


def _prepared_types(cursor, name: str, body: str, declared: list[str]) -> list[str]:
    types = f" ({', '.join(declared)})" if declared else ""
    cursor.execute(f"PREPARE {name}{types} AS {body}")
    cursor.execute(
        "SELECT parameter_types::text[] FROM pg_prepared_statements WHERE name = %s", [name]
    )
    return cursor.fetchone()[0]


def _prepare(raw, name: str, sql: str, params, in_transaction: bool) -> str | None:
    """Prepare, letting PostgreSQL infer each parameter's type. Where it infers another type
    than the value's (a constant in a select list, as `EXISTS (SELECT 1 ...)` has, is read as
    text), prepare again declaring the value's own type there."""
    import psycopg2

    body = _numbered(sql)
    fits = False
    with raw.cursor() as cursor:
        if in_transaction:
            cursor.execute("SAVEPOINT alliance_prepare")
        try:
            declared = ["unknown"] * len(params)
            types = _prepared_types(cursor, name, body, declared)
            if not _fits(types, params):
                cursor.execute(f"DEALLOCATE {name}")
                if all(_kind(value) for value in params):
                    for index, (kind, value) in enumerate(zip(types, params, strict=True)):
                        if kind not in _kind(value)[1]:
                            declared[index] = _kind(value)[0]
                    types = _prepared_types(cursor, name, body, declared)
                    fits = _fits(types, params)
                    if not fits:
                        cursor.execute(f"DEALLOCATE {name}")
            else:
                fits = True
        except psycopg2.Error:
            if in_transaction:
                cursor.execute("ROLLBACK TO SAVEPOINT alliance_prepare")
        if in_transaction:
            cursor.execute("RELEASE SAVEPOINT alliance_prepare")
    if not fits:
        return None
    return f"EXECUTE {name}({', '.join(['%s'] * len(params))})"
