"""Making a clinic's missing reminders: one statement, whatever the number of goals.

The rules (which goals, who is told) are written once, as the queryset `candidates()`: every
active goal of the clinic's current alliances whose next review falls within the clinic's
lead time (or is overdue), once for its therapist if their account is active, and once for
the patient if they have an active portal account and want reminders; minus the reminders
that exist already for that goal, review date and person.

On PostgreSQL and SQLite 3.35+ that query feeds one

    INSERT INTO goals_reviewreminder (...) SELECT ... ORDER BY goal, therapist first
    ON CONFLICT (goal_id, due_on, recipient_id) DO NOTHING RETURNING recipient_id

so the rows are made by the database, and only those this statement made come back. The
unique constraint, not the NOT EXISTS, is the guarantee: a second sweep running at the same
moment cannot see this one's uncommitted rows, so it tries the same inserts, waits on them,
and skips them once they are committed. Both insert in the same order (goal, then therapist
before patient), so the one that comes second waits instead of deadlocking.
"""

import datetime

from django.db import connection
from django.db.models import Exists, F, OuterRef, QuerySet, Value
from django.utils import timezone

from alliance.models import Alliance, Clinic
from goals.models import Goal, Lifecycle, ReviewReminder

Audience = ReviewReminder.Audience

# Who is told of a goal's review, in the order of their rows: the path from the goal to the
# person, their audience, and what they must be to be told.
RECIPIENTS = (
    ("alliance__therapist", Audience.THERAPIST, {"alliance__therapist__is_active": True}),
    (
        "alliance__patient__portal_user",
        Audience.PATIENT,
        {
            # Only a patient with a portal account (the join on it leaves out the others)...
            "alliance__patient__portal_user__is_active": True,
            # ...who has not turned review reminders off.
            "alliance__patient__review_reminders": True,
        },
    ),
)


def due_goals(*, clinic: Clinic, day: datetime.date) -> QuerySet:
    """Active goals of the clinic's current alliances with a review within the lead time."""
    horizon = day + datetime.timedelta(days=clinic.reminder_lead_days)
    return Goal.objects.filter(
        alliance__clinic=clinic,
        alliance__status=Alliance.Status.ACTIVE,
        lifecycle_status=Lifecycle.ACTIVE,
        next_review_on__isnull=False,
        next_review_on__lte=horizon,
    )


def candidates(*, clinic: Clinic, day: datetime.date) -> QuerySet:
    """The reminders still to make, as rows (r_goal, r_due, r_recipient, r_audience, r_rank).

    r_rank orders the recipients of one goal: the therapist's row before the patient's.
    """
    goals = due_goals(clinic=clinic, day=day).order_by()
    branches = [
        goals.filter(_not_reminded(path), **who).values(
            r_goal=F("pk"),
            r_due=F("next_review_on"),
            r_recipient=F(path),
            r_audience=Value(audience.value),
            r_rank=Value(rank),
        )
        for rank, (path, audience, who) in enumerate(RECIPIENTS)
    ]
    return branches[0].union(*branches[1:], all=True)


def _not_reminded(recipient_path: str) -> Exists:
    return ~Exists(
        ReviewReminder.objects.filter(
            goal=OuterRef("pk"),
            due_on=OuterRef("next_review_on"),
            recipient=OuterRef(recipient_path),
        )
    )


def make_reminders(*, clinic: Clinic, day: datetime.date) -> list[int]:
    """Make the clinic's missing reminders, to go out with `day`'s email (the clinic's date).

    Returns the recipient of each reminder made here, in the order made: none that another
    sweep made. Must run inside the caller's transaction (see sweep.sweep_clinic).
    """
    if not connection.features.can_return_rows_from_bulk_insert:
        return _make_without_returning(clinic=clinic, day=day)
    select, select_params = candidates(clinic=clinic, day=day).query.sql_with_params()
    meta = ReviewReminder._meta
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(meta.get_field(name).column)

    now = timezone.now()  # what auto_now_add and auto_now would have set
    constants = {
        "remind_on": day,
        "status": ReviewReminder.Status.PENDING.value,
        "attempts": 0,
        "last_error": "",
        "created_at": now,
        "updated_at": now,
    }
    constant_params = [
        meta.get_field(name).get_db_prep_save(value, connection)
        for name, value in constants.items()
    ]
    table = quote(meta.db_table)
    columns = ", ".join(
        column(name) for name in ["goal", "due_on", "recipient", "audience", *constants]
    )
    placeholders = ", ".join(["%s"] * len(constants))
    unique = ", ".join(column(name) for name in ("goal", "due_on", "recipient"))
    # Only quoted names from the model, and Django's own compiled query; values are parameters.
    sql = (
        f"INSERT INTO {table} ({columns}) "  # noqa: S608
        f"SELECT c.r_goal, c.r_due, c.r_recipient, c.r_audience, {placeholders} "
        f"FROM ({select}) AS c "
        # SQLite needs a WHERE to tell the upsert's ON from a join's.
        f"WHERE 1 = 1 ORDER BY c.r_goal, c.r_rank "
        f"ON CONFLICT ({unique}) DO NOTHING "
        f"RETURNING {column('recipient')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*constant_params, *select_params])
        return [recipient_id for (recipient_id,) in cursor.fetchall()]


def _make_without_returning(*, clinic: Clinic, day: datetime.date) -> list[int]:
    """The same rows for a database without INSERT ... RETURNING (SQLite before 3.35).

    Read, then insert: sound only because SQLite's transactions here begin IMMEDIATE
    (alliance.settings), holding the database's one write lock from the start, so no other
    sweep can insert between this read and this insert. The unique constraint still holds
    whatever happens (ignore_conflicts skips what exists).
    """
    rows = list(candidates(clinic=clinic, day=day).order_by("r_goal", "r_rank"))
    ReviewReminder.objects.bulk_create(
        [
            ReviewReminder(
                goal_id=row["r_goal"],
                due_on=row["r_due"],
                recipient_id=row["r_recipient"],
                audience=row["r_audience"],
                remind_on=day,
            )
            for row in rows
        ],
        ignore_conflicts=True,
    )
    return [row["r_recipient"] for row in rows]
