"""The caseload indicators supervisors review, per alliance, in one query for any caseload.

Each indicator is a correlated subquery on the alliance row, so a caseload of 40 patients
or of 4,000 is read in the same single query.
"""

import datetime

from django.db.models import (
    Count,
    DateTimeField,
    F,
    IntegerField,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from decisions.models import DecisionTalk
from goals.models import Goal, Lifecycle
from sessions_log.models import AllianceAlert, AllianceRating, Session

UNSIGNED_AFTER = datetime.timedelta(hours=72)
INDICATORS = [
    "overdue_reviews",
    "unsigned_notes",
    "awaiting_cosign",
    "open_alerts",
    "decisions_due",
]


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().values("alliance").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_indicators(alliances: QuerySet, *, today: datetime.date) -> QuerySet:
    here = OuterRef("pk")
    stale = timezone.now() - UNSIGNED_AFTER
    latest_rating = (
        AllianceRating.objects.filter(session__alliance=here, rater="patient")
        .order_by("-session__starts_at")
        .annotate(total=F("goals") + F("tasks") + F("bond") + F("overall"))
        .values("total")[:1]
    )
    last_session = (
        Session.objects.filter(alliance=here)
        .order_by()
        .values("alliance")
        .annotate(last=Max("starts_at"))
        .values("last")
    )
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
                alliance=here,
                signed_at__isnull=False,
                cosign_required=True,
                cosignature__isnull=True,
                error_mark__isnull=True,
            )
        ),
        open_alerts=_count(
            AllianceAlert.objects.filter(
                alliance=here, closed_at__isnull=True, session__error_mark__isnull=True
            )
        ),
        decisions_due=_count(DecisionTalk.objects.filter(alliance=here).due_for_review(today)),
        last_session=Subquery(last_session, output_field=DateTimeField()),
        latest_patient_score=Subquery(latest_rating, output_field=IntegerField()),
    )


def summarise(rows) -> dict:
    """Totals over alliance rows: counts add up, the last session is the latest, and the
    score is the mean of each patient's latest rating."""
    rows = list(rows)
    scores = [r.latest_patient_score for r in rows if r.latest_patient_score is not None]
    sessions = [r.last_session for r in rows if r.last_session is not None]
    summary = {name: sum(getattr(r, name) for r in rows) for name in INDICATORS}
    summary["active_patients"] = len(rows)
    summary["last_session"] = max(sessions) if sessions else None
    summary["mean_patient_score"] = round(sum(scores) / len(scores), 1) if scores else None
    return summary
