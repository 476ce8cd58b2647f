"""Reads of alliance ratings and alerts; fixed query counts whatever the number of sessions.

Every read starts from the access rule, `Alliance.objects.visible_to(user)`, or from an
alliance or session the caller has already fetched through it.
"""

from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from alliance.compiled_reads import CompiledRead
from alliance.models import Alliance
from alliance.models.care import visible_records
from alliance.models.users import CLINICIAN_ROLES
from sessions_log.charts import SessionTotals, alliance_chart
from sessions_log.models import AllianceAlert, AllianceRating, ErrorMark, Session
from sessions_log.models.ratings import Rater
from sessions_log.models.session import Attendance
from sessions_log.services.ratings import ITEMS


def _not_in_error(session_ref: str) -> Exists:
    """The session `session_ref` names has no entered-in-error mark (an anti-join)."""
    return ~Exists(ErrorMark.objects.filter(session=OuterRef(session_ref)))


def _ratings_of(alliance_id) -> QuerySet:
    return (
        AllianceRating.objects.filter(_not_in_error("session_id"), session__alliance_id=alliance_id)
        .order_by("session__starts_at", "session_id")
        .values("session_id", "session__starts_at", "rater", *ITEMS)
    )


def _alerts_of(alliance_id) -> QuerySet:
    # What the chart and the patient page's alerts show: not the session's note.
    return (
        AllianceAlert.objects.filter(_not_in_error("session_id"), alliance_id=alliance_id)
        .order_by("-session__starts_at")
        .values("session_id", "session__starts_at", "closed_at", *AllianceAlert.REASON_FIELDS)
    )


_RATINGS = CompiledRead(_ratings_of)
_ALERTS = CompiledRead(_alerts_of)


def _totals_by_session(alliance: Alliance) -> dict:
    """{session id: {"starts_at": ..., "patient": total, "therapist": total}}, oldest first."""
    sessions: dict = {}
    for rating in _RATINGS(alliance.pk):
        row = sessions.setdefault(rating["session_id"], {"starts_at": rating["session__starts_at"]})
        row[rating["rater"]] = sum(rating[item] for item in ITEMS)
    return sessions


def _alerts(alliance: Alliance) -> list[dict]:
    """The alliance's alerts, newest first, as rows of what the patient page shows of them
    (sessions_log/partials/alerts.html): the session's date, whether it is open, the reasons."""
    alerts = _ALERTS(alliance.pk)
    for alert in alerts:
        alert["session"] = {"starts_at": alert["session__starts_at"]}
        alert["is_open"] = alert["closed_at"] is None
    return alerts


def alliance_ratings_summary(*, alliance: Alliance) -> dict:
    """The chart, the values behind it and the open alerts, for the patient page."""
    clinic = alliance.clinic
    alerts = _alerts(alliance)
    state = {a["session_id"]: ("open" if a["is_open"] else "repaired") for a in alerts}
    rows = [
        SessionTotals(
            session_id=session_id,
            starts_at=row["starts_at"],
            day=timezone.localtime(row["starts_at"], clinic.zone).date(),
            patient=row.get(Rater.PATIENT),
            therapist=row.get(Rater.THERAPIST),
            alert=state.get(session_id),
        )
        for session_id, row in _totals_by_session(alliance).items()
    ]
    patient_totals = [row.patient for row in rows if row.patient is not None]
    therapist_totals = [row.therapist for row in rows if row.therapist is not None]
    return {
        "chart": alliance_chart(rows=rows, cutoff=clinic.alert_cutoff),
        "rows": rows,
        "cutoff": clinic.alert_cutoff,
        "latest_patient": patient_totals[-1] if patient_totals else None,
        "latest_therapist": therapist_totals[-1] if therapist_totals else None,
        "open_alerts": [alert for alert in alerts if alert["is_open"]],
    }


def open_alerts_for(*, user, therapist_ids: Iterable[int] | None = None) -> QuerySet:
    """Open alerts on the current alliances `user` may see (optionally of some therapists).

    For the therapist's home and the supervisor's review. Patients never see alerts; ended
    episodes of care drop out, since no later note can repair them.
    """
    if not user.is_authenticated or user.role not in CLINICIAN_ROLES:
        return AllianceAlert.objects.none()
    alerts = visible_records(AllianceAlert.objects, user).filter(
        alliance__status=Alliance.Status.ACTIVE,
        closed_at__isnull=True,
        session__error_mark__isnull=True,
    )
    if therapist_ids is not None:
        alerts = alerts.filter(alliance__therapist_id__in=list(therapist_ids))
    return alerts.select_related("session", "alliance__patient", "alliance__therapist").order_by(
        "-session__starts_at"
    )


def open_alert_counts_by_therapist(*, user, therapist_ids: Iterable[int]) -> dict[int, int]:
    """{therapist id: number of open alerts}, for the supervisor's review (one query)."""
    counts = (
        open_alerts_for(user=user, therapist_ids=therapist_ids)
        .order_by()
        .values("alliance__therapist_id")
        .annotate(count=Count("id"))
    )
    return {row["alliance__therapist_id"]: row["count"] for row in counts}


def session_ratings(*, session: Session) -> dict:
    """The session's two ratings and its alert, for the session page (two queries)."""
    ratings = {rating.rater: rating for rating in session.ratings.all()}
    return {
        "patient": ratings.get(Rater.PATIENT),
        "therapist": ratings.get(Rater.THERAPIST),
        "alert": AllianceAlert.objects.filter(session=session).first(),
        "attended": session.attendance == Attendance.ATTENDED,
    }
