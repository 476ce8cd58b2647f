"""Reads of sessions; fixed query counts whatever the number of sessions."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from alliance.access import check_can_edit, get_record_or_404
from alliance.models import Alliance, Supervision
from sessions_log.models import Cosignature, ErrorMark, PsychotherapyNote, Session


def get_session_or_404(user, session_id) -> Session:
    return get_record_or_404(Session.objects, user, session_id)


def get_session_for_write(user, session_id) -> Session:
    session = get_session_or_404(user, session_id)
    check_can_edit(user, session)
    return session


def private_note_for(*, session: Session, user) -> PsychotherapyNote | None:
    """The psychotherapy note, for its author alone: nobody else ever gets it."""
    return PsychotherapyNote.objects.filter(session=session, author=user).first()


# What the patient page's table of sessions shows (sessions_log/partials/alliance_sessions.html):
# never the note itself nor its signed copy. Reading another field there costs a query per row.
LISTED_FIELDS = ("starts_at", "attendance", "signed_at", "cosign_required")


def sessions_for_alliance(*, alliance: Alliance) -> QuerySet:
    return (
        Session.objects.filter(alliance=alliance)
        .only(*LISTED_FIELDS)
        .annotate(
            is_error=Exists(ErrorMark.objects.filter(session=OuterRef("pk"))),
            is_cosigned=Exists(Cosignature.objects.filter(session=OuterRef("pk"))),
            addenda_count=Count("addenda", distinct=True),
        )
        .order_by("-starts_at", "-pk")
    )


def sessions_listed(*, alliance: Alliance, limit: int | None) -> tuple[list[Session], bool]:
    """The alliance's newest `limit` sessions (every one when None), and whether there are
    more. One query either way: the row after the limit, if any, says there are more."""
    sessions = sessions_for_alliance(alliance=alliance)
    if limit is None:
        return list(sessions), False
    rows = list(sessions[: limit + 1])
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
