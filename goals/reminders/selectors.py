"""Reads of reminders: for the goal page, and the failures a therapist must know about."""

from django.db.models import F, QuerySet

from alliance.compiled_reads import CompiledRead
from alliance.models import Alliance
from goals.models import Goal, Lifecycle, ReviewReminder

Status = ReviewReminder.Status


def goal_reminders(*, goal: Goal) -> QuerySet:
    """The reminders of this goal's reviews that went out, or could not."""
    return (
        goal.reminders.filter(status__in=[Status.SENT, Status.FAILED])
        .select_related("recipient")
        .order_by("-due_on", "audience")
    )


def _failed_on_caseload(therapist_id: int, clinic_id: int) -> QuerySet:
    return (
        ReviewReminder.objects.filter(
            status=Status.FAILED,
            goal__alliance__therapist_id=therapist_id,
            goal__alliance__clinic_id=clinic_id,
            goal__alliance__status=Alliance.Status.ACTIVE,
            goal__lifecycle_status=Lifecycle.ACTIVE,
            goal__next_review_on=F("due_on"),
        )
        .select_related("goal__alliance__patient")
        .order_by("due_on", "pk")
    )


# Read on every first visit of the home page, almost always to find nothing: compiled once,
# and on PostgreSQL prepared, so that finding nothing costs no planning.
_FAILED_ON_CASELOAD = CompiledRead(_failed_on_caseload)


def failed_reminders_for(*, therapist) -> list[ReviewReminder]:
    """Reminders that could not be sent, on the therapist's own current caseload.

    Both kinds: their own digest, and their patients' (so they can ask in person). Shown while
    the review they were about is still to be held; recording it retires them.
    """
    return _FAILED_ON_CASELOAD(therapist.pk, therapist.clinic_id)
