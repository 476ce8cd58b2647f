"""A recipient's reminders of one day, locked, with what sending them needs: one fixed SQL
statement, written once per process.

The reminder worker reads these rows for every digest it sends. Built by the ORM, the
statement (six tables) cost more to compile and to turn into objects than the database took
to answer it. Here its text is made once: the tables and the columns read come from the
models; the joins and conditions name Django's own key columns (goal_id, recipient_id...),
which tests/goals/test_reminders_locked_rows.py holds against the ORM's read. Each row becomes
model instances through `Model.from_db`, with the same conversions the ORM applies. A field
not read here is deferred: reading it later costs a query, never a wrong value. On PostgreSQL
the read is prepared once per database session (`alliance.prepared_reads`).
"""

import datetime
import functools

from django.db import connection

from alliance import prepared_reads
from alliance.models import Alliance, Clinic, Patient, User
from goals.models import Goal, ReviewReminder

PENDING = ReviewReminder.Status.PENDING

# (alias, model, fields read; None: every concrete field), in the order they are selected.
TABLES = (
    ("r", ReviewReminder, None),
    ("g", Goal, ("id", "alliance_id", "lifecycle_status", "next_review_on")),
    ("a", Alliance, ("id", "status", "therapist_id", "patient_id")),
    # What deciding and writing the email reads: whether the patient still wants it, and
    # how they are greeted; the recipient's address, name and clinic's name.
    ("p", Patient, ("id", "portal_user_id", "review_reminders", "preferred_name", "given_name")),
    ("u", User, ("id", "email", "full_name", "is_active", "clinic_id")),
    ("c", Clinic, ("id", "name")),
)


def _fields(model, names):
    concrete = model._meta.concrete_fields
    if names is None:
        return list(concrete)
    return [f for f in concrete if f.attname in names]


@functools.cache
def _statement(vendor: str, pending_only: bool) -> tuple[str, list]:
    """The SELECT, and per table (alias, model, attnames, width, [(index, column, converters)])
    for the columns that have converters (on PostgreSQL, few do)."""
    quote = connection.ops.quote_name
    columns, layout = [], []
    for alias, model, names in TABLES:
        fields = _fields(model, names)
        columns += [f"{alias}.{quote(f.column)}" for f in fields]
        converted = []  # (index, column expression, its converters), as the ORM's compiler
        for index, field in enumerate(fields):
            col = field.get_col(alias)
            chain = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
            if chain:
                converted.append((index, col, chain))
        layout.append((alias, model, [f.attname for f in fields], len(fields), converted))
    table = {alias: quote(model._meta.db_table) for alias, model, _ in TABLES}
    status = " AND r.status = %s" if pending_only else ""
    lock = " FOR UPDATE OF r" if connection.features.has_select_for_update_of else ""
    sql = (
        f"SELECT {', '.join(columns)} FROM {table['r']} r"  # noqa: S608 - the models' own names
        f" INNER JOIN {table['g']} g ON g.id = r.goal_id"
        f" INNER JOIN {table['a']} a ON a.id = g.alliance_id"
        f" INNER JOIN {table['p']} p ON p.id = a.patient_id"
        f" INNER JOIN {table['u']} u ON u.id = r.recipient_id"
        f" LEFT OUTER JOIN {table['c']} c ON c.id = u.clinic_id"
        " WHERE r.recipient_id = %s AND (r.remind_on = %s OR (r.remind_on < %s AND r.status = %s))"
        f"{status} ORDER BY r.id{lock}"
    )
    return sql, layout


@functools.cache
def _prepared_name(vendor: str, pending_only: bool) -> str:
    return prepared_reads.new_name()


def _instances(row, layout, skip=()) -> dict:
    made, start = {}, 0
    for alias, model, attnames, width, converted in layout:
        values = list(row[start : start + width])
        start += width
        if alias in skip:
            continue
        for index, col, chain in converted:
            for convert in chain:
                values[index] = convert(values[index], col, connection)
        made[alias] = None if values[0] is None else model.from_db("default", attnames, values)
    return made


def locked_reminders(
    *, recipient_id: int, day: datetime.date, pending_only: bool = False
) -> list[ReviewReminder]:
    """The recipient's reminders for `day` (all of them, to see whether its email went out)
    and any still pending from earlier days, locked (SELECT ... FOR UPDATE OF the reminders)
    until the caller's transaction ends; each with its goal, the goal's alliance and patient,
    and the recipient with their clinic. Call inside a transaction."""
    sql, layout = _statement(connection.vendor, pending_only)
    on = connection.ops.adapt_datefield_value(day)
    params = [recipient_id, on, on, PENDING] + ([PENDING] if pending_only else [])
    with connection.cursor() as cursor:
        # On PostgreSQL, prepared once per database session (alliance.prepared_reads): the
        # planning of the six tables' join cost more than running it.
        name = _prepared_name(connection.vendor, pending_only)
        cursor.execute(prepared_reads.statement(connection, name, sql, params), params)
        rows = cursor.fetchall()
    reminders = []
    recipient = None
    skip = ()
    for row in rows:
        made = _instances(row, layout, skip=skip)
        reminder, goal, alliance = made["r"], made["g"], made["a"]
        if "p" in made:
            alliance.patient = made["p"]
        goal.alliance = alliance
        reminder.goal = goal
        if recipient is None:
            # The recipient and their clinic are the same on every row: made from the first.
            # A therapist's digest never looks at the patients (loaded if ever asked for).
            recipient = made["u"]
            recipient.clinic = made["c"]
            therapist = reminder.audience == ReviewReminder.Audience.THERAPIST
            skip = ("u", "c", "p") if therapist else ("u", "c")
        reminder.recipient = recipient
        reminders.append(reminder)
    return reminders


def mark_sent(reminders: list[ReviewReminder], *, day: datetime.date, now) -> None:
    """Mark the locked reminders sent with `day`'s email: one fixed statement, like the read."""
    ops, quote = connection.ops, connection.ops.quote_name
    ids = [reminder.pk for reminder in reminders]
    sql = (
        f"UPDATE {quote(ReviewReminder._meta.db_table)} SET status = %s, sent_at = %s,"  # noqa: S608 - the model's own name
        " remind_on = %s, attempts = attempts + 1, updated_at = %s"
        f" WHERE id IN ({', '.join(['%s'] * len(ids))})"
    )
    when = ops.adapt_datetimefield_value(now)
    params = [ReviewReminder.Status.SENT, when, ops.adapt_datefield_value(day), when, *ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
