"""Alliance ratings and the alerts they raise (clinic cutoff, drop, gap).

A rating is written once and never changed. An alert is opened by the patient's rating of a
session and closed by a repair recorded in a later signed note (services.notes.session_sign).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from alliance.access import can_edit_alliance
from alliance.models import User
from sessions_log.models import AllianceAlert, AllianceRating, Session
from sessions_log.models.ratings import Rater
from sessions_log.models.session import Attendance

ITEMS = ("goals", "tasks", "bond", "overall")
ALREADY_RATED = "This session has already been rated."
NOT_ATTENDED = "Only a session that took place is rated."
NOT_YET = "A session is rated once it has begun."
EARLY = datetime.timedelta(minutes=5)  # a clock a little ahead is not a session in the future


def _check_rater(*, session: Session, by: User, rater: str, in_patient_mode: bool) -> None:
    """The patient rates in the portal; the therapist rates, or hands over their device."""
    alliance = session.alliance
    if rater == Rater.PATIENT and not in_patient_mode:
        if alliance.patient.portal_user_id != by.id:
            raise PermissionDenied("Only the patient rates the session in the portal.")
        return
    if rater not in (Rater.PATIENT, Rater.THERAPIST):
        raise ValueError(f"{rater!r} is not a rater")
    if rater == Rater.THERAPIST and in_patient_mode:
        raise ValueError("Patient mode records the patient's rating, not the therapist's.")
    if not can_edit_alliance(by, alliance):
        raise PermissionDenied("Only the patient's therapist rates this session.")


def _clean_scores(scores: dict) -> dict[str, int]:
    errors = {
        item: "Choose a number from 0 to 10."
        for item in ITEMS
        if type(scores.get(item)) is not int or not 0 <= scores[item] <= 10
    }
    if errors:
        raise ValidationError(errors)
    return {item: scores[item] for item in ITEMS}


def rating_problem(*, session: Session, rater: str) -> str | None:
    """Why `rater` cannot rate `session` now, in words for the page; None when they can."""
    if session.attendance != Attendance.ATTENDED:
        return NOT_ATTENDED
    if session.starts_at > timezone.now() + EARLY:
        return NOT_YET
    if AllianceRating.objects.filter(session=session, rater=rater).exists():
        return ALREADY_RATED
    return None


def rating_record(
    *, session: Session, by: User, rater: str, scores: dict, in_patient_mode: bool = False
) -> AllianceRating:
    """One rating per rater and session; either rating may open or extend an alert."""
    _check_rater(session=session, by=by, rater=rater, in_patient_mode=in_patient_mode)
    values = _clean_scores(scores)
    with transaction.atomic():
        # Both raters' ratings of one session are evaluated one after the other, so the
        # second always sees the first (the gap rule needs both).
        locked = Session.objects.select_for_update(of=("self",)).select_related("alliance__clinic")
        current = locked.get(pk=session.pk)
        problem = rating_problem(session=current, rater=rater)
        if problem:
            raise ValidationError(problem)
        try:
            with transaction.atomic():
                rating = AllianceRating.objects.create(
                    session=current,
                    rater=rater,
                    entered_by=by,
                    in_patient_mode=in_patient_mode,
                    **values,
                )
        except IntegrityError:
            raise ValidationError(ALREADY_RATED) from None
        evaluate_alert(session=current)
        if rater == Rater.PATIENT:
            _reevaluate_next(session=current)
    return rating


def _patient_ratings(alliance_id):
    return AllianceRating.objects.filter(
        rater=Rater.PATIENT,
        session__alliance_id=alliance_id,
        # A note entered in error (wrong patient, wrong day) says nothing about this alliance.
        session__error_mark__isnull=True,
    ).select_related("session")


def _previous_patient_rating(session: Session) -> AllianceRating | None:
    return (
        _patient_ratings(session.alliance_id)
        .filter(session__starts_at__lt=session.starts_at)
        .order_by("-session__starts_at")
        .first()
    )


def _reevaluate_next(*, session: Session) -> None:
    """A late rating of an earlier session is the 'previous' of the next rated one."""
    following = (
        _patient_ratings(session.alliance_id)
        .filter(session__starts_at__gt=session.starts_at)
        .order_by("session__starts_at")
        .first()
    )
    if following is not None:
        evaluate_alert(session=following.session)


def strain(*, session: Session) -> dict | None:
    """The alert rules applied to the session's ratings as they stand; None without strain."""
    ratings = {r.rater: r for r in session.ratings.all()}
    patient = ratings.get(Rater.PATIENT)
    if patient is None:
        return None
    clinic = session.alliance.clinic
    previous = _previous_patient_rating(session)
    therapist = ratings.get(Rater.THERAPIST)
    found = {
        "below_cutoff": patient.total < clinic.alert_cutoff,
        "dropped": previous is not None and previous.total - patient.total >= clinic.alert_drop,
        "gap": therapist is not None and abs(therapist.total - patient.total) >= clinic.alert_gap,
    }
    if not any(found.values()):
        return None
    return {
        **found,
        "patient_total": patient.total,
        "previous_total": previous.total if previous else None,
        "therapist_total": therapist.total if therapist else None,
    }


def evaluate_alert(*, session: Session) -> AllianceAlert | None:
    """Open the session's alert when its ratings show strain, or add the newly found reasons.

    An alert is never removed or reopened here: once raised it stays on record, and once a
    repair has closed it, it stays closed.
    """
    found = strain(session=session)
    alert = AllianceAlert.objects.filter(session=session).first()
    if found is None or (alert is not None and not alert.is_open):
        return alert
    if alert is None:
        return AllianceAlert.objects.create(session=session, alliance=session.alliance, **found)
    if found["dropped"] or not alert.dropped:
        # Keep the total that the recorded drop was measured from.
        alert.previous_total = found["previous_total"]
    for reason in ("below_cutoff", "dropped", "gap"):
        setattr(alert, reason, getattr(alert, reason) or found[reason])
    alert.therapist_total = found["therapist_total"]
    alert.save()
    return alert
