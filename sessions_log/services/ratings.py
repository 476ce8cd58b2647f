"""Alliance ratings and the alerts they raise (clinic cutoff, drop, gap)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from alliance.models import User
from sessions_log.models import AllianceAlert, AllianceRating, Session
from sessions_log.models.ratings import Rater

ITEMS = ("goals", "tasks", "bond", "overall")


def rating_record(
    *, session: Session, by: User, rater: str, scores: dict, in_patient_mode: bool = False
) -> AllianceRating:
    """One rating per rater and session; the patient's may open an alliance alert."""
    alliance = session.alliance
    if rater == Rater.PATIENT and alliance.patient.portal_user_id == by.id:
        pass  # the patient, in the portal
    elif alliance.therapist_id == by.id and (rater == Rater.THERAPIST or in_patient_mode):
        pass  # the therapist's own rating, or the patient's on the therapist's device
    else:
        raise PermissionDenied("Only the patient and their therapist rate this session.")
    errors = {
        item: "Choose a number from 0 to 10."
        for item in ITEMS
        if not isinstance(scores.get(item), int) or not 0 <= scores[item] <= 10
    }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if AllianceRating.objects.filter(session=session, rater=rater).exists():
            raise ValidationError("This session has already been rated.")
        rating = AllianceRating.objects.create(
            session=session,
            rater=rater,
            entered_by=by,
            in_patient_mode=in_patient_mode,
            **{item: scores[item] for item in ITEMS},
        )
        evaluate_alert(session=session)
    return rating


def evaluate_alert(*, session: Session) -> AllianceAlert | None:
    """Open (or update) the session's alert when the patient's rating shows strain."""
    ratings = {r.rater: r for r in session.ratings.all()}
    patient = ratings.get(Rater.PATIENT)
    if patient is None:
        return None
    clinic = session.alliance.clinic
    previous = (
        AllianceRating.objects.filter(
            rater=Rater.PATIENT,
            session__alliance=session.alliance,
            session__starts_at__lt=session.starts_at,
        )
        .order_by("-session__starts_at")
        .first()
    )
    therapist = ratings.get(Rater.THERAPIST)
    below = patient.total < clinic.alert_cutoff
    dropped = previous is not None and previous.total - patient.total >= clinic.alert_drop
    gap = therapist is not None and abs(therapist.total - patient.total) >= clinic.alert_gap
    if not (below or dropped or gap):
        return None
    alert, _ = AllianceAlert.objects.update_or_create(
        session=session,
        defaults={
            "alliance": session.alliance,
            "below_cutoff": below,
            "dropped": dropped,
            "gap": gap,
            "patient_total": patient.total,
            "previous_total": previous.total if previous else None,
            "therapist_total": therapist.total if therapist else None,
        },
    )
    return alert
