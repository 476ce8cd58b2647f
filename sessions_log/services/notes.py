"""Writing, signing and correcting session notes."""

import datetime
import hashlib
import json
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from alliance import row_locks
from alliance.access import is_supervising
from alliance.compiled_reads import CompiledRead
from alliance.models import Supervision, User
from goals import services as goal_services
from goals.selectors import goals_to_work_on
from sessions_log.models import (
    Addendum,
    AllianceAlert,
    Cosignature,
    ErrorMark,
    PsychotherapyNote,
    Session,
    SessionGoal,
    SupervisorComment,
)
from sessions_log.models.session import NOTE_FIELDS, Attendance, Risk


class DraftConflict(Exception):
    def __init__(self, current: Session):
        super().__init__("The draft was saved elsewhere after this page was opened.")
        self.current = current


def _own_open(session: Session, by: User) -> None:
    if session.alliance.therapist_id != by.id:
        raise PermissionDenied("Only the patient's therapist writes this note.")
    if session.is_signed:
        raise ValidationError("This note is signed: add an addendum instead.")


class StaleSave(Exception):
    """A save sent earlier by the same form arrived after a later one: it changes nothing."""

    def __init__(self, current: Session):
        super().__init__("A later save from the same page has already been kept.")
        self.current = current


def session_start(
    *,
    alliance,
    by: User,
    starts_at: datetime.datetime | None = None,
    page_key: uuid.UUID | None = None,
) -> Session:
    """A new draft. With the key of the form it comes from, a second call from the same form
    (its autosave and its Sign button, or a double click) returns the same draft."""
    if alliance.therapist_id != by.id or not alliance.is_active:
        raise PermissionDenied("Only the patient's therapist logs sessions, while care goes on.")
    if page_key is not None:
        existing = _started_from(alliance, by, page_key)
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return Session.objects.create(
                alliance=alliance,
                created_by=by,
                starts_at=starts_at or timezone.now().replace(second=0, microsecond=0),
                note_format=alliance.clinic.default_note_format,
                created_from=page_key,
            )
    except IntegrityError:
        # The same form's other request created it a moment ago.
        existing = _started_from(alliance, by, page_key) if page_key else None
        if existing is None:
            raise ValidationError("This form is out of date: reload the page.") from None
        return existing


def _started_from(alliance, by: User, page_key: uuid.UUID) -> Session | None:
    return Session.objects.filter(alliance=alliance, created_by=by, created_from=page_key).first()


def session_started_from(*, alliance, by: User, page_key: str | None) -> Session | None:
    """The draft an earlier request from this new-note form created, if any."""
    try:
        key = uuid.UUID(str(page_key))
    except ValueError:
        return None
    return _started_from(alliance, by, key)


def _locked(session_id) -> QuerySet:
    return Session.objects.select_for_update().select_related("alliance").filter(pk=session_id)


def _goal_work_of(session_id) -> QuerySet:
    return SessionGoal.objects.filter(session_id=session_id).values(
        "goal_id", "value", "gas_level", "comment"
    )


def _decisions_of(session_id) -> QuerySet:
    return Session.decisions.through.objects.filter(session_id=session_id).values("decisiontalk_id")


def _own_private_note_of(session_id, author_id) -> QuerySet:
    return PsychotherapyNote.objects.filter(session_id=session_id, author_id=author_id).values(
        "text"
    )


# Read on saves of a draft, compiled once (alliance.compiled_reads): the draft's row, locked
# for the rest of the save; the goal work, decisions and private note it holds, to compare.
_LOCKED_DRAFT = CompiledRead(_locked)
_GOAL_WORK = CompiledRead(_goal_work_of)
_DECISIONS_DISCUSSED = CompiledRead(_decisions_of)
_OWN_PRIVATE_NOTE = CompiledRead(_own_private_note_of)


def session_save_draft(
    *,
    session: Session,
    by: User,
    fields: dict,
    expected_revision: int,
    goal_work: list[dict] | None = None,
    decision_ids: list | None = None,
    private_note: str | None = None,
    page_key: uuid.UUID | None = None,
    page_seq: int = 0,
) -> Session:
    """Save the draft as typed; nothing is checked for completeness until signing.

    A save from another page than the last one must name the revision it started from
    (DraftConflict otherwise). The page that saved last may save again whatever revision it
    holds, as long as this save is not older than the one kept (StaleSave otherwise).

    A `session` the caller read with its row locked, in the transaction that is still open
    (`selectors.get_draft_to_save`, `alliance.row_locks`), is current and is not read again;
    the save is then part of the caller's transaction, and a failure rolls all of it back (the
    caller makes no query after one). Any other `session` is read again, locked, here.
    """
    locked = row_locks.locked_here(session)
    with transaction.atomic(savepoint=not locked):
        if locked:
            current = session
        else:
            rows = _LOCKED_DRAFT(session.pk)
            if not rows:
                raise Session.DoesNotExist("No such draft.")
            current = rows[0]
        _own_open(current, by)
        if page_key is not None and current.saved_from == page_key:
            if page_seq < current.saved_seq:
                raise StaleSave(current)
        elif current.revision != expected_revision:
            raise DraftConflict(current)
        current.saved_from, current.saved_seq = page_key, page_seq
        for name, value in fields.items():
            if name not in NOTE_FIELDS:
                raise ValueError(f"{name} is not part of a session note")
            setattr(current, name, value)
        current.revision += 1
        saved = [*fields, "saved_from", "saved_seq", "revision", "updated_at"]
        # Goal work and decisions as the last save kept them are left alone, unread.
        digest = _work_digest(goal_work, decision_ids)
        work_moves = digest is None or digest != current.work_digest
        if work_moves:
            current.work_digest = digest
            saved.append("work_digest")
        current.save(update_fields=saved)
        if work_moves and goal_work is not None:
            _replace_goal_work(current, goal_work)
        if work_moves and decision_ids is not None:
            kept = {row["decisiontalk_id"] for row in _DECISIONS_DISCUSSED(current.pk)}
            if kept != set(decision_ids):  # an autosave of the text leaves them alone
                current.decisions.set(decision_ids)
        if private_note is not None:
            _keep_private_note(current, by, private_note)
    return current


def _work_digest(goal_work: list[dict] | None, decision_ids: list | None) -> str | None:
    """The goal work and decisions a save brings, as a digest; None when it leaves either of
    them as it is (the digest of what is kept is then no longer known)."""
    if goal_work is None or decision_ids is None:
        return None
    work = sorted(
        [str(w["goal"].id), _number(w["value"]), _number(w["gas_level"]), w["comment"]]
        for w in goal_work
    )
    talks = sorted(str(talk) for talk in decision_ids)
    return hashlib.sha256(json.dumps([work, talks]).encode()).hexdigest()


def _number(value) -> str:
    # 2, 2.0 and 2.00 are one value, as the database keeps it.
    return "" if value is None else format(Decimal(value).normalize(), "f")


def _keep_private_note(session: Session, by: User, text: str) -> None:
    # The session row is locked: no other save of this note runs meanwhile. The note as the
    # draft's locked read found it, when that read is known to be current
    # (selectors.get_draft_to_save); else read now, after the lock was taken.
    author, known = getattr(session, "private_note_as_locked", (None, None))
    if author == by.pk:
        kept = [] if known is None else [{"text": known}]
    else:
        kept = _OWN_PRIVATE_NOTE(session.pk, by.pk)
    if text == (kept[0]["text"] if kept else ""):
        return  # as kept (or none kept, none typed): left alone
    if kept:
        PsychotherapyNote.objects.filter(session=session, author=by).update(
            text=text, updated_at=timezone.now()
        )
    else:
        PsychotherapyNote.objects.create(session=session, author=by, text=text)
    if author == by.pk:  # what the draft knows of its note is what was just written
        session.private_note_as_locked = (by.pk, text)


def _replace_goal_work(session: Session, goal_work: list[dict]) -> None:
    wanted = {w["goal"].id: (w["value"], w["gas_level"], w["comment"]) for w in goal_work}
    kept = {
        row["goal_id"]: (row["value"], row["gas_level"], row["comment"])
        for row in _GOAL_WORK(session.pk)
    }
    if kept == wanted:
        return  # as saved before: an autosave of the note's text leaves it alone
    allowed = {goal.id for goal in goals_to_work_on(alliance_id=session.alliance_id)}
    if any(work["goal"].id not in allowed for work in goal_work):
        raise ValidationError("Progress is noted on this patient's agreed goals only.")
    session.goal_work.all().delete()  # drafts only: the signed copy is what lasts
    SessionGoal.objects.bulk_create(SessionGoal(session=session, **work) for work in goal_work)


def sign_problems(session: Session) -> dict[str, str]:
    """What must be right before a note is signed, field by field."""
    problems = {}
    if session.starts_at > timezone.now() + datetime.timedelta(minutes=5):
        problems["starts_at"] = "A session is signed after it has happened."
    if session.attendance == Attendance.ATTENDED:
        sections = [text for _, text in session.note_sections()]
        if not any(text.strip() for text in sections):
            problems["assessment"] = "Write the note before signing it."
        if not session.plan.strip():
            problems["plan"] = "Write the plan before signing."
    if session.risk_level != Risk.NONE and not session.risk_plan.strip():
        problems["risk_plan"] = "A risk above none needs a plan."
    return problems


def session_sign(*, session: Session, by: User) -> Session:
    """Lock the note: its copy is kept, goal progress is recorded, repairs close alerts."""
    with transaction.atomic():
        current = (
            Session.objects.select_for_update()
            .select_related("alliance__clinic", "alliance__patient")
            .get(pk=session.pk)
        )
        _own_open(current, by)
        problems = sign_problems(current)
        if problems:
            raise ValidationError(problems)
        day = timezone.localtime(current.starts_at, current.alliance.clinic.zone).date()
        for work in current.goal_work.select_related("goal"):
            if work.value is None and work.gas_level is None:
                continue
            progress = goal_services.progress_record(
                goal=work.goal,
                by=by,
                party="therapist",
                recorded_on=day,
                value=work.value,
                gas_level=work.gas_level,
                note=work.comment,
            )
            SessionGoal.objects.filter(pk=work.pk).update(progress=progress)
        current.signed_copy = {
            **{name: _jsonable(getattr(current, name)) for name in NOTE_FIELDS},
            "goal_work": [
                {
                    "goal": str(w.goal_id),
                    "value": _jsonable(w.value),
                    "gas_level": w.gas_level,
                    "comment": w.comment,
                }
                for w in current.goal_work.all()
            ],
        }
        current.signed_at = timezone.now()
        current.signed_by = by
        current.cosign_required = (
            Supervision.objects.current(current.alliance.clinic.today())
            .filter(therapist=by, requires_cosign=True)
            .exists()
        )
        current.save()
        if current.repair.strip():
            AllianceAlert.objects.filter(
                alliance=current.alliance,
                closed_at__isnull=True,
                session__starts_at__lt=current.starts_at,
            ).update(closed_at=current.signed_at, closed_by_session=current)
    return current


def _jsonable(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)


def addendum_add(*, session: Session, by: User, reason: str, text: str) -> Addendum:
    if session.alliance.therapist_id != by.id:
        raise PermissionDenied("Only the note's author adds to it.")
    if not session.is_signed:
        raise ValidationError("A draft is edited directly; addenda follow a signed note.")
    errors = {}
    if not reason.strip():
        errors["reason"] = "Say why the note needs an addendum."
    if not text.strip():
        errors["text"] = "Write the addendum."
    if errors:
        raise ValidationError(errors)
    return Addendum.objects.create(
        session=session, author=by, reason=reason.strip(), text=text.strip()
    )


def session_mark_error(*, session: Session, by: User, reason: str) -> ErrorMark:
    if session.alliance.therapist_id != by.id:
        raise PermissionDenied("Only the note's author marks it as entered in error.")
    if hasattr(session, "error_mark"):
        raise ValidationError("This note is already marked as entered in error.")
    if not reason.strip():
        raise ValidationError({"reason": "Say what was wrong, for whoever reads the record."})
    return ErrorMark.objects.create(session=session, marked_by=by, reason=reason.strip())


def session_cosign(*, session: Session, by: User, comment: str = "") -> Cosignature:
    if not is_supervising(by, session.alliance):
        raise PermissionDenied("Only the therapist's supervisor co-signs.")
    if not session.is_signed or not session.cosign_required:
        raise ValidationError("This note is not waiting for a co-signature.")
    if Cosignature.objects.filter(session=session).exists():
        raise ValidationError("This note is already co-signed.")
    with transaction.atomic():
        if comment.strip():
            SupervisorComment.objects.create(session=session, author=by, text=comment.strip())
        return Cosignature.objects.create(session=session, supervisor=by, comment=comment.strip())


def supervisor_comment(*, session: Session, by: User, text: str) -> SupervisorComment:
    if not is_supervising(by, session.alliance):
        raise PermissionDenied("Only the therapist's supervisor comments on a note.")
    if not text.strip():
        raise ValidationError({"text": "Write the comment."})
    return SupervisorComment.objects.create(session=session, author=by, text=text.strip())
