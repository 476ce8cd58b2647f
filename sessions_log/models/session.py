"""A session on an alliance and its progress note. A signed note never changes.

Everything that happens to a note after signing (addenda, co-signature, supervisor comments,
an entered-in-error mark) lives in rows of its own, so the signed row itself is never
updated: Session.save() refuses, and on PostgreSQL a trigger refuses even raw SQL.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from alliance.models import Alliance
from alliance.models.care import visible_records


class SignedNoteError(Exception):
    """A signed note was about to change or disappear."""


class Modality(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video"
    PHONE = "phone", "Phone"


class Attendance(models.TextChoices):
    ATTENDED = "attended", "Attended"
    CANCELLED_PATIENT = "cancelled_patient", "Cancelled by the patient"
    CANCELLED_CLINIC = "cancelled_clinic", "Cancelled by the clinic"
    NO_SHOW = "no_show", "Did not attend"


class NoteFormat(models.TextChoices):
    SOAP = "soap", "SOAP (subjective, objective, assessment, plan)"
    DAP = "dap", "DAP (data, assessment, plan)"


class Risk(models.TextChoices):
    NONE = "none", "None identified"
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"


# The article's communication competencies and Mead & Bower's five dimensions.
COMMUNICATION = [
    ("active_listening", "Active listening"),
    ("empathy", "Empathy"),
    ("encouragement", "Encouragement"),
    ("friendliness", "Being friendly"),
    ("confidence", "Confidence"),
    ("body_language", "Body language"),
]
PATIENT_CENTRED = [
    ("biopsychosocial", "Biopsychosocial perspective"),
    ("patient_as_person", "The patient as a person"),
    ("shared_power", "Sharing power and responsibility"),
    ("therapeutic_alliance", "The therapeutic alliance"),
    ("clinician_as_person", "The clinician as a person"),
]

# What the signature covers: copied into signed_copy at signing.
NOTE_FIELDS = [
    "starts_at",
    "duration_minutes",
    "modality",
    "attendance",
    "note_format",
    "subjective",
    "objective",
    "data",
    "assessment",
    "plan",
    "homework",
    "next_steps",
    "risk_level",
    "risk_plan",
    "communication",
    "patient_centred",
    "repair",
]


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SessionQuerySet":
        return visible_records(self, user)

    def signed(self) -> "SessionQuerySet":
        return self.filter(signed_at__isnull=False)

    def drafts(self) -> "SessionQuerySet":
        return self.filter(signed_at__isnull=True)


class Session(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: the (alliance, starts_at) index leads with it.
    alliance = models.ForeignKey(
        Alliance, on_delete=models.PROTECT, related_name="sessions", db_index=False
    )
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=50)
    modality = models.CharField(max_length=10, choices=Modality.choices, default=Modality.IN_PERSON)
    attendance = models.CharField(
        max_length=20, choices=Attendance.choices, default=Attendance.ATTENDED
    )
    note_format = models.CharField(max_length=4, choices=NoteFormat.choices, default="soap")
    subjective = models.TextField(blank=True)
    objective = models.TextField(blank=True)
    data = models.TextField(blank=True)
    assessment = models.TextField(blank=True)
    plan = models.TextField(blank=True)
    homework = models.TextField("Homework", blank=True)
    next_steps = models.TextField("Next steps", blank=True)
    risk_level = models.CharField(max_length=10, choices=Risk.choices, default=Risk.NONE)
    risk_plan = models.TextField("Risk plan", blank=True)
    communication = models.JSONField(default=list, blank=True)
    patient_centred = models.JSONField(default=list, blank=True)
    # A rupture repaired: what was discussed and what changes. Closes open alliance alerts.
    repair = models.TextField("Alliance repair", blank=True)
    decisions = models.ManyToManyField(
        "decisions.DecisionTalk", related_name="sessions", blank=True
    )

    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_copy = models.JSONField(null=True, blank=True)
    # Set at signing from the therapist's supervision: the note waits for a co-signature.
    cosign_required = models.BooleanField(default=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped by every save of a draft, so that an old tab cannot overwrite a newer draft.
    revision = models.PositiveIntegerField(default=1)
    # Each opening of the note form has its own key. The key of the form that created the
    # draft makes creating it idempotent (an autosave and a press of Sign from the same new
    # form make one session); the key and count of the last save let that same form save
    # again without a conflict, while a save it sent earlier, arriving late, changes nothing.
    created_from = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    saved_from = models.UUIDField(null=True, blank=True, editable=False)
    saved_seq = models.PositiveIntegerField(default=0, editable=False)
    # A digest of the goal work and decisions the last save of the draft kept, so that a save
    # bringing the same leaves those rows alone without reading them; None when not known.
    # (Nullable, so that adding it keeps the table, and SQLite its triggers.)
    work_digest = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001

    objects = SessionQuerySet.as_manager()

    # True once the row is signed in the database; set by from_db() and save().
    _signed_when_loaded = False

    class Meta:
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["alliance", "-starts_at"]),
            models.Index(
                fields=["created_by", "created_at"],
                condition=Q(signed_at__isnull=True),
                name="session_draft_idx",
            ),
            # The caseload review's indicators, per alliance (alliance.indicators): notes left
            # unsigned, and signed notes that wait for a co-signature.
            models.Index(
                fields=["alliance", "created_at"],
                condition=Q(signed_at__isnull=True),
                name="session_unsigned_idx",
            ),
            models.Index(
                fields=["alliance"],
                condition=Q(cosign_required=True, signed_at__isnull=False),
                name="session_cosign_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Session on {self.starts_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self._signed_when_loaded:
            raise SignedNoteError("A signed note cannot be changed; add an addendum instead.")
        super().save(*args, **kwargs)
        self._signed_when_loaded = self.signed_at is not None

    def delete(self, *args, **kwargs):
        raise SignedNoteError("Notes are never deleted; mark a wrong one as entered in error.")

    @classmethod
    def from_db(cls, db, field_names, values):
        session = super().from_db(db, field_names, values)
        # What the database holds decides: a row loaded signed stays signed.
        session._signed_when_loaded = session.__dict__.get("signed_at") is not None
        return session

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    def note_sections(self) -> list[tuple[str, str]]:
        if self.note_format == NoteFormat.DAP:
            names = [("Data", "data"), ("Assessment", "assessment"), ("Plan", "plan")]
        else:
            names = [
                ("Subjective", "subjective"),
                ("Objective", "objective"),
                ("Assessment", "assessment"),
                ("Plan", "plan"),
            ]
        return [(label, getattr(self, name)) for label, name in names]


class SessionGoal(models.Model):
    """A goal worked on in the session, with the progress noted; it becomes goal progress
    when the note is signed."""

    # No index of its own: the session_goal_once (session, goal) index leads with it.
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="goal_work", db_index=False
    )
    goal = models.ForeignKey("goals.Goal", on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    gas_level = models.SmallIntegerField(null=True, blank=True)
    comment = models.CharField(max_length=300, blank=True)
    progress = models.OneToOneField(
        "goals.GoalProgress", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "goal"], name="session_goal_once")
        ]

    def __str__(self) -> str:
        return f"Work on {self.goal_id}"
