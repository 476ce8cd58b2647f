"""Reads of sessions; fixed query counts whatever the number of sessions."""

import functools

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from alliance import row_locks
from alliance.access import check_can_edit, get_record_or_404, record_or_404
from alliance.compiled_reads import CompiledRead
from alliance.models import Alliance, Supervision
from alliance.record_reads import RecordRead
from sessions_log.models import Addendum, Cosignature, ErrorMark, PsychotherapyNote, Session
from sessions_log.models.session import Attendance


def get_session_or_404(user, session_id) -> Session:
    return get_record_or_404(Session.objects, user, session_id)


def get_session_for_write(user, session_id) -> Session:
    session = get_session_or_404(user, session_id)
    check_can_edit(user, session)
    return session


def _draft_to_save(reader, session_id) -> QuerySet:
    own_note = PsychotherapyNote.objects.filter(session=OuterRef("pk"), author_id=reader.id)
    as_begun = Session.objects.filter(pk=OuterRef("pk"))
    return (
        Session.objects.visible_to(reader)
        .select_related("alliance")
        .annotate(
            own_private_note=Subquery(own_note.values("text")[:1]),
            revision_as_begun=Subquery(as_begun.values("revision")[:1]),
        )
        .select_for_update(of=("self",))
        .filter(id=session_id)
    )


_DRAFT_TO_SAVE = RecordRead(_draft_to_save)


def get_draft_to_save(user, session_id) -> Session:
    """For a save inside its transaction (`transaction.atomic`): the session, read through the
    access rule with its row locked until the transaction ends (`alliance.row_locks`), 404
    outside the caller's view and 403 unless they write it.

    The caller's own private note comes with it (`private_note_as_locked`: its author's id and
    its text, None when there is none), unless the read had to wait for the lock while another
    save changed the draft. PostgreSQL then gives the draft's row as that save left it, but
    the rest of the read (the note) as it was when the read began: the revision, read both
    ways, tells the two apart, and the save reads the note again.
    """
    session = record_or_404(_DRAFT_TO_SAVE, user, session_id)
    check_can_edit(user, session)
    row_locks.mark_locked(session)
    if session.revision_as_begun == session.revision:
        session.private_note_as_locked = (user.pk, session.own_private_note)
    return session


def private_note_for(*, session: Session, user) -> PsychotherapyNote | None:
    """The psychotherapy note, for its author alone: nobody else ever gets it."""
    return PsychotherapyNote.objects.filter(session=session, author=user).first()


# What the patient page's table of sessions shows (sessions_log/partials/alliance_sessions.html):
# never the note itself nor its signed copy.
LISTED_FIELDS = ("id", "starts_at", "attendance", "signed_at", "cosign_required")


def _sessions_of(alliance_id) -> QuerySet:
    addenda = (
        Addendum.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(count=Count("*"))
        .values("count")
    )
    return (
        Session.objects.filter(alliance_id=alliance_id)
        .annotate(
            is_error=Exists(ErrorMark.objects.filter(session=OuterRef("pk"))),
            is_cosigned=Exists(Cosignature.objects.filter(session=OuterRef("pk"))),
            # Counted per listed session (an index probe each), not by joining every addendum.
            addenda_count=Coalesce(Subquery(addenda, output_field=IntegerField()), 0),
        )
        .order_by("-starts_at", "-pk")
        .values(*LISTED_FIELDS, "is_error", "is_cosigned", "addenda_count")
    )


_ATTENDANCE = dict(Attendance.choices)


@functools.cache
def _listing(limit: int | None) -> CompiledRead:
    if limit is None:
        return CompiledRead(_sessions_of)
    return CompiledRead(lambda alliance_id: _sessions_of(alliance_id)[: limit + 1])


def sessions_listed(*, alliance: Alliance, limit: int | None) -> tuple[list[dict], bool]:
    """The alliance's newest `limit` sessions (every one when None), as rows of what the
    patient page lists, and whether there are more. One query either way: the row after the
    limit, if any, says there are more."""
    rows = _listing(limit)(alliance.pk)
    for row in rows:
        row["attendance_label"] = _ATTENDANCE.get(row["attendance"], row["attendance"])
    if limit is None:
        return rows, False
    return rows[:limit], len(rows) > limit


def cosign_queue(*, supervisor) -> QuerySet:
    """Signed notes of current supervisees that wait for this supervisor's co-signature."""
    today = supervisor.clinic.today()
    supervisees = (
        Supervision.objects.current(today)
        .filter(supervisor=supervisor, requires_cosign=True)
        .values("therapist_id")
    )
    return (
        Session.objects.visible_to(supervisor)
        .filter(
            Q(alliance__therapist_id__in=supervisees),
            signed_at__isnull=False,
            cosign_required=True,
            cosignature__isnull=True,
            error_mark__isnull=True,
        )
        .select_related("alliance__patient", "alliance__therapist")
        .order_by("signed_at")
    )
