"""What a therapist must act on, for the top of their home page: one query per kind.

Each list reads only the columns alliance/partials/attention.html shows (a goal has about 40,
a session its whole note); a field left out here and read in the template would cost one
query per row, which the home page's query-count tests catch.
"""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from alliance.models import Alliance, User
from decisions.models import DecisionTalk
from goals.models import Agreement, Goal, Lifecycle
from sessions_log.models import AllianceAlert, ErrorMark, Session

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


def attention_for(*, therapist: User) -> dict:
    today = therapist.clinic.today()
    mine = Alliance.objects.visible_to(therapist).active().filter(therapist=therapist)
    return {
        "today": today,
        "reviews": list(
            Goal.objects.filter(
                alliance__in=mine,
                lifecycle_status=Lifecycle.ACTIVE,
                next_review_on__lte=today + datetime.timedelta(days=7),
            )
            .select_related("alliance__patient")
            .only(*PATIENT, "description", "next_review_on")
            .order_by("next_review_on")[:LIMIT]
        ),
        "alerts": list(
            AllianceAlert.objects.filter(
                ~Exists(ErrorMark.objects.filter(session=OuterRef("session_id"))),
                alliance__in=mine,
                closed_at__isnull=True,
            )
            .select_related("alliance__patient", "session")
            .only(*PATIENT, *AllianceAlert.REASON_FIELDS, "session", "session__starts_at")
            .order_by("-opened_at")[:LIMIT]
        ),
        "drafts": list(
            Session.objects.filter(
                alliance__in=mine,
                signed_at__isnull=True,
                created_at__lt=timezone.now() - DRAFT_AGE,
            )
            .select_related("alliance__patient")
            # signed_at too: Session.from_db reads it to know whether the row may be saved.
            .only(*PATIENT, "starts_at", "signed_at")
            .order_by("starts_at")[:LIMIT]
        ),
        "unanswered": list(
            Goal.objects.filter(
                alliance__in=mine,
                lifecycle_status=Lifecycle.PROPOSED,
                proposed_at__isnull=False,
                patient_agreement__in=[Agreement.PENDING, Agreement.DISAGREE],
            )
            .select_related("alliance__patient")
            .only(*PATIENT, "description", "patient_agreement")
            .order_by("-patient_agreement", "proposed_at")[:LIMIT]
        ),
        "decisions": list(
            DecisionTalk.objects.filter(alliance__in=mine)
            .due_for_review(today)
            .select_related("alliance__patient")
            .only(*PATIENT, "question", "due_on")
            .order_by("due_on")[:LIMIT]
        ),
    }
