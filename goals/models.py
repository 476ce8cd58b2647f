"""SMART goals agreed by patient and therapist, with progress, attainment scaling and reviews.

Status codes follow FHIR R4 Goal (lifecycleStatus, achievementStatus) so that an export is a
mapping, not a translation. Nothing here is ever deleted: a wrong goal is entered-in-error.
"""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from alliance.models.care import visible_records

# The wording of a goal: what both people agree to. Any change makes a new version.
WORDING_FIELDS = [
    "description",
    "measure",
    "baseline",
    "target",
    "unit",
    "direction",
    "steps",
    "resources",
    "barriers",
    "relevance",
    "target_date",
    "review_interval_days",
    "priority",
    "gas_minus_2",
    "gas_minus_1",
    "gas_0",
    "gas_plus_1",
    "gas_plus_2",
]
GAS_FIELDS = ["gas_minus_2", "gas_minus_1", "gas_0", "gas_plus_1", "gas_plus_2"]


class Lifecycle(models.TextChoices):
    """FHIR Goal.lifecycleStatus."""

    PROPOSED = "proposed", "Proposed"
    PLANNED = "planned", "Planned"
    ACCEPTED = "accepted", "Accepted"
    ACTIVE = "active", "Active"
    ON_HOLD = "on-hold", "On hold"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Stopped"
    ENTERED_IN_ERROR = "entered-in-error", "Entered in error"
    REJECTED = "rejected", "Rejected"


class Achievement(models.TextChoices):
    """FHIR Goal.achievementStatus."""

    IN_PROGRESS = "in-progress", "In progress"
    IMPROVING = "improving", "Improving"
    WORSENING = "worsening", "Worsening"
    NO_CHANGE = "no-change", "No change"
    ACHIEVED = "achieved", "Achieved"
    SUSTAINING = "sustaining", "Sustaining"
    NOT_ACHIEVED = "not-achieved", "Not achieved"
    NO_PROGRESS = "no-progress", "No progress"
    NOT_ATTAINABLE = "not-attainable", "Not attainable"


class Agreement(models.TextChoices):
    """The FHIR goal-acceptance extension's status, per person."""

    PENDING = "pending", "Not yet answered"
    AGREE = "agree", "Agrees"
    DISAGREE = "disagree", "Disagrees"


class Party(models.TextChoices):
    PATIENT = "patient", "Patient"
    THERAPIST = "therapist", "Therapist"


class Direction(models.TextChoices):
    INCREASE = "increase", "Higher is better"
    DECREASE = "decrease", "Lower is better"


class Priority(models.TextChoices):
    HIGH = "high-priority", "High"
    MEDIUM = "medium-priority", "Medium"
    LOW = "low-priority", "Low"


# Weights for Goal Attainment Scaling, from the goal's priority.
PRIORITY_WEIGHTS = {Priority.HIGH: 3, Priority.MEDIUM: 2, Priority.LOW: 1}

REVIEW_INTERVALS = [
    (7, "Every week"),
    (14, "Every 2 weeks"),
    (28, "Every 4 weeks"),
    (42, "Every 6 weeks"),
    (56, "Every 8 weeks"),
    (84, "Every 12 weeks"),
]


class GoalQuerySet(models.QuerySet):
    def visible_to(self, user) -> "GoalQuerySet":
        goals = visible_records(self, user)
        if getattr(user, "role", None) == "patient":
            # A patient never sees a draft or an entry made in error, even by its id.
            goals = goals.shared_with_patient()
        return goals

    def current(self) -> "GoalQuerySet":
        """Goals that are being worked on or agreed about (not ended, not errors)."""
        return self.filter(
            lifecycle_status__in=[Lifecycle.PROPOSED, Lifecycle.ACTIVE, Lifecycle.ON_HOLD]
        )

    def shared_with_patient(self) -> "GoalQuerySet":
        """What a patient may see: put forward for agreement, never drafts or errors."""
        return self.filter(proposed_at__isnull=False).exclude(
            lifecycle_status=Lifecycle.ENTERED_IN_ERROR
        )

    def review_overdue(self, today: datetime.date) -> "GoalQuerySet":
        return self.filter(lifecycle_status=Lifecycle.ACTIVE, next_review_on__lt=today)


class Goal(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: the (alliance, lifecycle_status) index leads with it.
    alliance = models.ForeignKey(
        "alliance.Alliance", on_delete=models.PROTECT, related_name="goals", db_index=False
    )

    # S: what exactly changes.
    description = models.TextField("What exactly will change", blank=True)
    # M: how it is measured.
    measure = models.CharField("How it is measured", max_length=200, blank=True)
    baseline = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=50, blank=True)
    direction = models.CharField(
        max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    # A: why it is attainable.
    steps = models.TextField("Steps", blank=True)
    resources = models.TextField("Resources and support", blank=True)
    barriers = models.TextField("Barriers and how to meet them", blank=True)
    # R: why it matters, in the patient's own words.
    relevance = models.TextField("Why it matters, in the patient's words", blank=True)
    # T: by when, and how often it is reviewed.
    target_date = models.DateField(null=True, blank=True)
    review_interval_days = models.PositiveSmallIntegerField(
        "Review", choices=REVIEW_INTERVALS, default=28
    )
    priority = models.CharField(max_length=20, choices=Priority.choices, default=Priority.MEDIUM)
    # Goal Attainment Scaling: five described levels, optional.
    gas_minus_2 = models.CharField("-2: much less than expected", max_length=300, blank=True)
    gas_minus_1 = models.CharField("-1: somewhat less than expected", max_length=300, blank=True)
    gas_0 = models.CharField("0: the expected outcome", max_length=300, blank=True)
    gas_plus_1 = models.CharField("+1: somewhat more than expected", max_length=300, blank=True)
    gas_plus_2 = models.CharField("+2: much more than expected", max_length=300, blank=True)

    lifecycle_status = models.CharField(
        max_length=20, choices=Lifecycle.choices, default=Lifecycle.PROPOSED
    )
    achievement_status = models.CharField(max_length=20, choices=Achievement.choices, blank=True)
    status_reason = models.TextField(blank=True)
    status_date = models.DateField(null=True, blank=True)

    expressed_by = models.CharField(max_length=10, choices=Party.choices)
    # A goal is a draft until it is put forward for agreement.
    proposed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    patient_agreement = models.CharField(
        max_length=10, choices=Agreement.choices, default=Agreement.PENDING
    )
    patient_comment = models.TextField(blank=True)
    patient_answered_at = models.DateTimeField(null=True, blank=True)
    # Set when the therapist recorded the patient's answer, given in a session.
    patient_answer_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    therapist_agreement = models.CharField(
        max_length=10, choices=Agreement.choices, default=Agreement.PENDING
    )
    therapist_comment = models.TextField(blank=True)
    therapist_answered_at = models.DateTimeField(null=True, blank=True)

    started_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)

    # Optimistic locking: every save through the services bumps it, so a second editor
    # working from an older page is told, not silently overwritten.
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["alliance", "lifecycle_status"]),
            models.Index(
                fields=["next_review_on"],
                condition=Q(lifecycle_status="active"),
                name="goal_active_review_idx",
            ),
            # The reminder sweep, one clinic at a time: its alliances first, then their goals
            # due for review, rather than every clinic's due goals for each clinic.
            models.Index(
                fields=["alliance", "next_review_on"],
                condition=Q(lifecycle_status="active"),
                name="goal_alliance_review_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        text = self.description.strip() or "Untitled goal"
        return text if len(text) <= 80 else text[:77].rstrip() + "…"

    @property
    def is_draft(self) -> bool:
        return self.proposed_at is None and self.lifecycle_status == Lifecycle.PROPOSED

    @property
    def is_agreed(self) -> bool:
        return (
            self.patient_agreement == Agreement.AGREE
            and self.therapist_agreement == Agreement.AGREE
        )

    @property
    def agreement_rows(self) -> list[tuple[str, str, str]]:
        return [
            ("Patient", self.patient_agreement, self.patient_comment),
            ("Therapist", self.therapist_agreement, self.therapist_comment),
        ]

    @property
    def is_open(self) -> bool:
        """Still changeable: not completed, stopped, rejected or entered in error."""
        return self.lifecycle_status in (Lifecycle.PROPOSED, Lifecycle.ACTIVE, Lifecycle.ON_HOLD)

    @property
    def has_gas(self) -> bool:
        return all(getattr(self, name).strip() for name in GAS_FIELDS)

    def gas_levels(self) -> list[tuple[int, str]]:
        return [
            (level, getattr(self, name))
            for level, name in zip(range(-2, 3), GAS_FIELDS, strict=True)
        ]

    def wording(self) -> dict:
        """The current wording as JSON-ready values, for versions and conflict display."""
        values = {}
        for name in WORDING_FIELDS:
            value = getattr(self, name)
            if isinstance(value, datetime.date):
                value = value.isoformat()
            elif isinstance(value, Decimal | float):
                # As stored (two places), so an unchanged number reads the same in every version.
                value = str(Decimal(value).quantize(Decimal("0.01")))
            elif value is not None and not isinstance(value, str | int):
                value = str(value)
            values[name] = value
        return values

    def review_overdue_on(self, today: datetime.date) -> bool:
        return (
            self.lifecycle_status == Lifecycle.ACTIVE
            and self.next_review_on is not None
            and self.next_review_on < today
        )


class GoalVersion(models.Model):
    """A wording both were asked to agree to; kept for ever."""

    # No index of its own: the goal_version_unique (goal, number) index leads with it.
    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, related_name="versions", db_index=False
    )
    number = models.PositiveIntegerField()
    wording = models.JSONField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "number"], name="goal_version_unique")
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"


class GoalProgress(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="progress")
    recorded_on = models.DateField()
    value = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    gas_level = models.SmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(-2), MaxValueValidator(2)]
    )
    reported_by = models.CharField(max_length=10, choices=Party.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    entered_in_error = models.BooleanField(default=False)

    class Meta:
        ordering = ["recorded_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(gas_level__isnull=False),
                name="progress_has_a_value_or_level",
            ),
            models.CheckConstraint(
                condition=Q(gas_level__isnull=True) | Q(gas_level__gte=-2, gas_level__lte=2),
                name="progress_gas_level_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Progress on {self.recorded_on}"


class GoalReview(models.Model):
    class Outcome(models.TextChoices):
        CONTINUE = "continue", "Continue as it is"
        REVISE = "revise", "Continue, and revise the wording"
        ACHIEVED = "achieved", "Achieved"
        DISCONTINUE = "discontinue", "Stop working on it"

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    next_review_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-created_at"]

    def __str__(self) -> str:
        return f"Review on {self.reviewed_on}"


# The reminder rows live beside the reminder code; imported here so Django registers them.
from goals.reminders.models import ReviewReminder  # noqa: E402

__all__ = ["ReviewReminder"]
