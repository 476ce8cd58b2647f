"""Reads of reminders: for the goal page, and the failures a therapist must know about."""

from django.db.models import F, QuerySet

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


def failed_reminders_for(*, therapist) -> QuerySet:
    """Reminders that could not be sent, on the therapist's own current caseload.

    Both kinds: their own digest, and their patients' (so they can ask in person). Shown while
    the review they were about is still to be held; recording it retires them.
    """
    return (
        ReviewReminder.objects.filter(
            status=Status.FAILED,
            goal__alliance__therapist=therapist,
            goal__alliance__clinic_id=therapist.clinic_id,
            goal__alliance__status=Alliance.Status.ACTIVE,
            goal__lifecycle_status=Lifecycle.ACTIVE,
            goal__next_review_on=F("due_on"),
        )
        .select_related("goal__alliance__patient")
        .order_by("due_on", "pk")
    )
