"""The database triggers that move a therapist's CaseloadStamp whenever a row their caseload
pages read is inserted, changed or removed. Each app's migrations install them on its own
tables (alliance/0008 and 0009, goals/0004, sessions_log/0005
and 0006, decisions/0002).

A table is described by the columns its rows are read by and a query that names the
therapists of some rows, `{rows}` standing for those rows. PostgreSQL runs it once per
statement over the statement's old and new rows; SQLite (development) once per row.
"""

from dataclasses import dataclass

STAMPS = "alliance_caseloadstamp"


@dataclass(frozen=True)
class Path:
    columns: tuple[str, ...]
    therapists: str


def _through(*joins: str, column: str) -> Path:
    return Path((column,), "SELECT a.therapist_id FROM {rows} r " + " ".join(joins))  # noqa: S608 - fixed table names


ALLIANCE_ITSELF = Path(("therapist_id",), "SELECT r.therapist_id FROM {rows} r")
PATIENT = Path(
    ("id",), "SELECT a.therapist_id FROM {rows} r JOIN alliance_alliance a ON a.patient_id = r.id"
)
# A user row: a patient's portal account (whether they have joined shows on the patient page),
# or anyone's own (a clinician's name shows on their patients' pages, whatever their role now).
USER = Path(
    ("id",),
    "SELECT a.therapist_id FROM {rows} r JOIN alliance_patient p ON p.portal_user_id = r.id "
    "JOIN alliance_alliance a ON a.patient_id = p.id "
    "UNION SELECT r.id FROM {rows} r",
)
BY_ALLIANCE = _through("JOIN alliance_alliance a ON a.id = r.alliance_id", column="alliance_id")
BY_SESSION = _through(
    "JOIN sessions_log_session s ON s.id = r.session_id",
    "JOIN alliance_alliance a ON a.id = s.alliance_id",
    column="session_id",
)
BY_GOAL = _through(
    "JOIN goals_goal g ON g.id = r.goal_id",
    "JOIN alliance_alliance a ON a.id = g.alliance_id",
    column="goal_id",
)
# Reminders show on a caseload page only once they have failed (the home page's warning).
FAILED_REMINDER = Path(
    ("goal_id", "status"),
    BY_GOAL.therapists + " WHERE r.status = 'failed'",
)
BY_TALK = _through(
    "JOIN decisions_decisiontalk t ON t.id = r.talk_id",
    "JOIN alliance_alliance a ON a.id = t.alliance_id",
    column="talk_id",
)

# The new version is the clock in microseconds, or one more than the last if that is later:
# it always grows, and a database restored from a backup never hands out a version again
# that a copy made before the restore was keyed by.
_CLOCK = {
    "postgresql": "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint",
    "sqlite": "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)",
}
# Each therapist once per statement (an upsert may not touch a row twice), and only then the
# clock, which PostgreSQL reads again for every row. "WHERE true" lets SQLite tell the
# SELECT from the ON CONFLICT clause.
_BUMP = (
    "INSERT INTO {stamps} (therapist_id, version) "
    "SELECT therapist_id, {clock} FROM ("
    "SELECT DISTINCT therapist_id FROM ({therapists}) moved WHERE therapist_id IS NOT NULL"
    ") once WHERE true {order}"
    "ON CONFLICT (therapist_id) DO UPDATE SET version = {greatest}({stamps}.version + 1, {clock})"
)
# PostgreSQL: (event, transition tables named, the rows the therapists are read from)
_PG_EVENTS = {
    "ins": ("INSERT", "NEW TABLE AS new_rows", ["new_rows"]),
    "upd": ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows", ["old_rows", "new_rows"]),
    "del": ("DELETE", "OLD TABLE AS old_rows", ["old_rows"]),
}
_SQLITE_EVENTS = {
    "ins": ("INSERT", ["NEW"]),
    "upd": ("UPDATE", ["OLD", "NEW"]),
    "del": ("DELETE", ["OLD"]),
}


def _bump(vendor: str, path: Path, sources: list[str], order: str) -> str:
    therapists = " UNION ".join(path.therapists.format(rows=source) for source in sources)
    greatest = "GREATEST" if vendor == "postgresql" else "max"
    return _BUMP.format(
        stamps=STAMPS, therapists=therapists, order=order, clock=_CLOCK[vendor], greatest=greatest
    )


def _sqlite_row(path: Path, row: str) -> str:
    return "(SELECT " + ", ".join(f"{row}.{c} AS {c}" for c in path.columns) + ")"


def install(schema_editor, table: str, path: Path) -> None:
    execute = schema_editor.execute
    for suffix in _PG_EVENTS:
        name = f"{table}_stamp_{suffix}"
        if schema_editor.connection.vendor == "postgresql":
            event, referencing, sources = _PG_EVENTS[suffix]
            # Stamps are taken in therapist order, so two writers never wait on each other
            # in opposite orders.
            bump = _bump("postgresql", path, sources, order="ORDER BY therapist_id ")
            execute(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ "
                f"BEGIN {bump}; RETURN NULL; END; $$ LANGUAGE plpgsql;",
                params=None,
            )
            execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}();",
                params=None,
            )
        else:
            event, rows = _SQLITE_EVENTS[suffix]
            bump = _bump("sqlite", path, [_sqlite_row(path, row) for row in rows], order="")
            execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {bump}; END;", params=None
            )


def remove(schema_editor, table: str) -> None:
    for suffix in _PG_EVENTS:
        name = f"{table}_stamp_{suffix}"
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table};", params=None)
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}();", params=None)
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};", params=None)


def operations(tables: dict[str, Path]):
    """The migration operation that installs (and on the way back removes) these triggers."""
    from django.db import migrations

    def forward(apps, schema_editor):
        for table, path in tables.items():
            install(schema_editor, table, path)

    def backward(apps, schema_editor):
        for table in tables:
            remove(schema_editor, table)

    return migrations.RunPython(forward, backward)
