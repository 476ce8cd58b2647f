"""The review reminder rows (registered with Django through goals.models)."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReviewReminder(models.Model):
    """One reminder of one goal review, for one person: the therapist, or the patient.

    The unique constraint on (goal, due_on, recipient) is what makes a second sweep, or two
    sweeps at once, harmless. A recipient's pending reminders of one day (`remind_on`, the
    clinic's calendar) go out together in one email; see goals.reminders.sending.
    """

    class Audience(models.TextChoices):
        THERAPIST = "therapist", "Therapist"
        PATIENT = "patient", "Patient"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Could not be sent"
        # Nothing to send any more: the review moved, the goal ended, the patient opted out.
        CANCELLED = "cancelled", "Not needed"

    # No index of its own: the review_reminder_once (goal, due_on, recipient) index leads with it.
    goal = models.ForeignKey(
        "goals.Goal", on_delete=models.PROTECT, related_name="reminders", db_index=False
    )
    # The review date this reminder is about (the goal's next_review_on when it was made).
    due_on = models.DateField()
    # No index of its own: the (recipient, remind_on, status) index leads with it.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    audience = models.CharField(max_length=10, choices=Audience.choices)
    # The clinic's day whose email carries it: one email per recipient and day.
    remind_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The kind of error and the SMTP code only: never clinical text, never the message.
    last_error = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set on every change; a pending reminder left untouched too long is queued again.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-due_on", "audience"]
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "due_on", "recipient"], name="review_reminder_once"
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False)
                | (~Q(status="sent") & Q(sent_at__isnull=True)),
                name="review_reminder_sent_at_when_sent",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "remind_on", "status"]),
            models.Index(
                fields=["remind_on"], condition=Q(status="pending"), name="reminder_pending_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder of the review on {self.due_on} ({self.get_status_display()})"
