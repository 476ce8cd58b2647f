"""The alliance measured each session (Bordin: goals, tasks, bond, plus overall; 0-10 each)
and the alerts raised when it looks strained."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

from sessions_log.models.session import Session

ITEMS = [
    ("goals", "We worked on what I wanted to work on", "Goals"),
    ("tasks", "The way we worked suited me", "Tasks"),
    ("bond", "I felt heard, understood and respected", "Bond"),
    ("overall", "Overall, today's session was right for me", "Overall"),
]
SCORE = [MaxValueValidator(10)]


class Rater(models.TextChoices):
    PATIENT = "patient", "Patient"
    THERAPIST = "therapist", "Therapist"


class AllianceRating(models.Model):
    # No index of its own: the one_rating_per_rater (session, rater) index leads with it.
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="ratings", db_index=False
    )
    rater = models.CharField(max_length=10, choices=Rater.choices)
    goals = models.PositiveSmallIntegerField(validators=SCORE)
    tasks = models.PositiveSmallIntegerField(validators=SCORE)
    bond = models.PositiveSmallIntegerField(validators=SCORE)
    overall = models.PositiveSmallIntegerField(validators=SCORE)
    # Who entered it: the patient in the portal, or on the therapist's device in patient mode.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    in_patient_mode = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "rater"], name="one_rating_per_rater"),
            models.CheckConstraint(
                condition=models.Q(goals__lte=10, tasks__lte=10, bond__lte=10, overall__lte=10),
                name="rating_items_0_to_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rater_display()} rating {self.total}/40"

    @property
    def total(self) -> int:
        return self.goals + self.tasks + self.bond + self.overall


class AllianceAlert(models.Model):
    """Strain worth raising with the patient; closed by a repair recorded in a later note."""

    # No index of its own: the (alliance, closed_at) index leads with it.
    alliance = models.ForeignKey(
        "alliance.Alliance", on_delete=models.PROTECT, related_name="alerts", db_index=False
    )
    session = models.OneToOneField(Session, on_delete=models.PROTECT, related_name="alert")
    below_cutoff = models.BooleanField(default=False)
    dropped = models.BooleanField(default=False)
    gap = models.BooleanField(default=False)
    patient_total = models.PositiveSmallIntegerField()
    previous_total = models.PositiveSmallIntegerField(null=True, blank=True)
    therapist_total = models.PositiveSmallIntegerField(null=True, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by_session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.PROTECT, related_name="repairs"
    )

    class Meta:
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["alliance", "closed_at"])]

    def __str__(self) -> str:
        return "Alliance alert"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    # The fields reasons() reads: a list that shows alerts loads these with .only().
    REASON_FIELDS = (
        "below_cutoff",
        "dropped",
        "gap",
        "patient_total",
        "previous_total",
        "therapist_total",
    )

    def reasons(self) -> list[str]:
        found = []
        if self.below_cutoff:
            found.append(f"total {self.patient_total}/40 is below the clinic's cutoff")
        if self.dropped:
            found.append(f"down from {self.previous_total} last time")
        if self.gap:
            found.append(f"the therapist rated {self.therapist_total}/40")
        return found
