"""The caseload indicators supervisors review, per alliance, in one query for any caseload.

Each indicator is a correlated subquery on the alliance row, so a caseload of 40 patients
or of 4,000 is read in the same single query.
"""

import datetime

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from decisions.models import DecisionTalk
from goals.models import Goal, Lifecycle
from sessions_log.models import AllianceAlert, AllianceRating, Cosignature, ErrorMark, Session

UNSIGNED_AFTER = datetime.timedelta(hours=72)
INDICATORS = [
    "overdue_reviews",
    "unsigned_notes",
    "awaiting_cosign",
    "open_alerts",
    "decisions_due",
]
# Everything with_indicators() adds to an alliance row: what the review pages show.
FIELDS = [*INDICATORS, "last_session", "latest_patient_score"]


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().values("alliance").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _not_in_error(session_ref: str) -> Exists:
    """True when the session `session_ref` names has no entered-in-error mark.

    NOT EXISTS rather than a LEFT JOIN ... IS NULL: inside a count per alliance, the join
    made PostgreSQL hash a scan of every error mark once per alliance.
    """
    return ~Exists(ErrorMark.objects.filter(session=OuterRef(session_ref)))


def with_indicators(alliances: QuerySet, *, today: datetime.date) -> QuerySet:
    here = OuterRef("pk")
    stale = timezone.now() - UNSIGNED_AFTER
    latest_rating = (
        AllianceRating.objects.filter(session__alliance=here, rater="patient")
        .order_by("-session__starts_at")
        .annotate(total=F("goals") + F("tasks") + F("bond") + F("overall"))
        .values("total")[:1]
    )
    # The newest session's start, read from the (alliance, -starts_at) index: no aggregate.
    last_session = Session.objects.filter(alliance=here).order_by("-starts_at").values("starts_at")
    return alliances.annotate(
        overdue_reviews=_count(
            Goal.objects.filter(
                alliance=here, lifecycle_status=Lifecycle.ACTIVE, next_review_on__lt=today
            )
        ),
        unsigned_notes=_count(
            Session.objects.filter(alliance=here, signed_at__isnull=True, created_at__lt=stale)
        ),
        awaiting_cosign=_count(
            Session.objects.filter(
                _not_in_error("pk"),
                ~Exists(Cosignature.objects.filter(session=OuterRef("pk"))),
                alliance=here,
                signed_at__isnull=False,
                cosign_required=True,
            )
        ),
        open_alerts=_count(
            AllianceAlert.objects.filter(
                _not_in_error("session_id"), alliance=here, closed_at__isnull=True
            )
        ),
        decisions_due=_count(DecisionTalk.objects.filter(alliance=here).due_for_review(today)),
        last_session=Subquery(last_session[:1], output_field=DateTimeField()),
        latest_patient_score=Subquery(latest_rating, output_field=IntegerField()),
    )


def indicator_values(alliances: QuerySet, *, today: datetime.date) -> QuerySet:
    """Only the indicators and the therapist of each alliance, as dicts: no model rows."""
    return with_indicators(alliances, today=today).order_by().values("therapist_id", *FIELDS)


def summarise(rows) -> dict:
    """Totals over indicator_values() rows: counts add up, the last session is the latest,
    and the score is the mean of each patient's latest rating."""
    rows = list(rows)
    scores = [r["latest_patient_score"] for r in rows if r["latest_patient_score"] is not None]
    sessions = [r["last_session"] for r in rows if r["last_session"] is not None]
    summary = {name: sum(r[name] for r in rows) for name in INDICATORS}
    summary["active_patients"] = len(rows)
    summary["last_session"] = max(sessions) if sessions else None
    summary["mean_patient_score"] = round(sum(scores) / len(scores), 1) if scores else None
    return summary
