"""What a therapist must act on, for the top of their home page: one query per kind, each
through the access rule and limited to the reader's own open care.

Each list reads only the columns alliance/partials/attention.html shows (a goal has about 40,
a session its whole note); a field left out here and read in the template would cost one
query per row, which the home page's query-count tests catch.
"""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from alliance.models import Alliance, User
from alliance.models.care import visible_records
from alliance.record_reads import ReaderRead
from decisions.models import DecisionTalk
from goals.models import Agreement, Goal, Lifecycle
from sessions_log.models import AllianceAlert, ErrorMark, Session

# At most this many items a list. Each list's order ends with the key: the same rows in the
# same order on every visit.
LIMIT = 50
DRAFT_AGE = datetime.timedelta(days=1)
# The patient's display name, through the record's alliance.
PATIENT = (
    "alliance",
    "alliance__patient",
    "alliance__patient__given_name",
    "alliance__patient__preferred_name",
    "alliance__patient__family_name",
)


def _own_active(queryset, reader):
    # The rule on the record's own join to its alliance; then the reader's own open care
    # (a supervisor sees supervisees' records too, which are not theirs to act on).
    return visible_records(queryset, reader).filter(
        alliance__therapist=reader, alliance__status=Alliance.Status.ACTIVE
    )


def _reviews(reader, soon: datetime.date):
    return (
        _own_active(Goal.objects.all(), reader)
        .filter(lifecycle_status=Lifecycle.ACTIVE, next_review_on__lte=soon)
        .select_related("alliance__patient")
        .only(*PATIENT, "description", "next_review_on")
        .order_by("next_review_on", "pk")[:LIMIT]
    )


def _alerts(reader):
    return (
        _own_active(AllianceAlert.objects.all(), reader)
        .filter(
            ~Exists(ErrorMark.objects.filter(session=OuterRef("session_id"))),
            closed_at__isnull=True,
        )
        .select_related("alliance__patient", "session")
        .only(*PATIENT, *AllianceAlert.REASON_FIELDS, "session", "session__starts_at")
        .order_by("-opened_at", "pk")[:LIMIT]
    )


def _drafts(reader, made_before: datetime.datetime):
    return (
        _own_active(Session.objects.all(), reader)
        .filter(signed_at__isnull=True, created_at__lt=made_before)
        .select_related("alliance__patient")
        # signed_at too: Session.from_db reads it to know whether the row may be saved.
        .only(*PATIENT, "starts_at", "signed_at")
        .order_by("starts_at", "pk")[:LIMIT]
    )


def _unanswered(reader):
    return (
        _own_active(Goal.objects.all(), reader)
        .filter(
            lifecycle_status=Lifecycle.PROPOSED,
            proposed_at__isnull=False,
            patient_agreement__in=[Agreement.PENDING, Agreement.DISAGREE],
        )
        .select_related("alliance__patient")
        .only(*PATIENT, "description", "patient_agreement")
        .order_by("-patient_agreement", "proposed_at", "pk")[:LIMIT]
    )


def _decisions(reader, today: datetime.date):
    return (
        _own_active(DecisionTalk.objects.all(), reader)
        .due_for_review(today)
        .select_related("alliance__patient")
        .only(*PATIENT, "question", "due_on")
        .order_by("due_on", "pk")[:LIMIT]
    )


# Each read compiled (and on PostgreSQL prepared) once per kind of reader: on a first visit
# the database spent longer planning these five than running them.
_REVIEWS = ReaderRead(_reviews)
_ALERTS = ReaderRead(_alerts)
_DRAFTS = ReaderRead(_drafts)
_UNANSWERED = ReaderRead(_unanswered)
_DECISIONS = ReaderRead(_decisions)


def attention_for(*, therapist: User) -> dict:
    today = therapist.clinic.today()
    return {
        "today": today,
        "reviews": _REVIEWS(therapist, today + datetime.timedelta(days=7)),
        "alerts": _ALERTS(therapist),
        "drafts": _DRAFTS(therapist, timezone.now() - DRAFT_AGE),
        "unanswered": _UNANSWERED(therapist),
        "decisions": _DECISIONS(therapist, today),
    }
