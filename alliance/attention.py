"""What a therapist must act on, for the top of their home page: one query per kind."""

import datetime

from django.utils import timezone

from alliance.models import Alliance, User
from decisions.models import DecisionTalk
from goals.models import Agreement, Goal, Lifecycle
from sessions_log.models import AllianceAlert, Session

LIMIT = 50
DRAFT_AGE = datetime.timedelta(days=1)


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
            .order_by("next_review_on")[:LIMIT]
        ),
        "alerts": list(
            AllianceAlert.objects.filter(
                alliance__in=mine, closed_at__isnull=True, session__error_mark__isnull=True
            )
            .select_related("alliance__patient", "session")
            .order_by("-opened_at")[:LIMIT]
        ),
        "drafts": list(
            Session.objects.filter(
                alliance__in=mine,
                signed_at__isnull=True,
                created_at__lt=timezone.now() - DRAFT_AGE,
            )
            .select_related("alliance__patient")
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
            .order_by("-patient_agreement", "proposed_at")[:LIMIT]
        ),
        "decisions": list(
            DecisionTalk.objects.filter(alliance__in=mine)
            .due_for_review(today)
            .select_related("alliance__patient")
            .order_by("due_on")[:LIMIT]
        ),
    }
