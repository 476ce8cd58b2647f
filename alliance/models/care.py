import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from alliance.models.users import Role


class Patient(models.Model):
    """The clinical person. Never deleted: an episode of care ends, the person stays."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: the (clinic, family_name, given_name) index leads with it.
    clinic = models.ForeignKey(
        "alliance.Clinic", on_delete=models.PROTECT, related_name="patients", db_index=False
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    portal_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="patient_record",
    )
    # The patient's own choice, in the portal: emails asking for progress before a review.
    review_reminders = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(fields=["clinic", "family_name", "given_name"]),
            # The Django admin's list order (Meta.ordering, then -pk to be deterministic): a
            # page of patients is read from this index instead of sorting every patient.
            models.Index(
                fields=["family_name", "given_name", "-id"], name="patient_name_order_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.preferred_name and self.preferred_name != self.given_name:
            return f"{self.given_name} ({self.preferred_name}) {self.family_name}"
        return f"{self.given_name} {self.family_name}"

    @property
    def addressed_as(self) -> str:
        return self.preferred_name or self.given_name


class SupervisionQuerySet(models.QuerySet):
    def current(self, on) -> "SupervisionQuerySet":
        """In force on the date `on`: started, and not ended before it."""
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class Supervision(models.Model):
    """A supervisor oversees a therapist's caseload between two dates."""

    clinic = models.ForeignKey("alliance.Clinic", on_delete=models.PROTECT, related_name="+")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervisions_given"
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervisions_received"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    # Pre-licensed therapists' signed notes wait for their supervisor's co-signature.
    requires_cosign = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisor=F("therapist")), name="supervision_not_self"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="supervision_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} supervises {self.therapist}"

    def is_current(self, on) -> bool:
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


def current_supervisees(user) -> models.QuerySet:
    """Ids of the therapists `user` supervises today (clinic time), in their clinic."""
    return (
        Supervision.objects.current(user.clinic.today())
        .filter(supervisor=user, clinic_id=user.clinic_id)
        .values("therapist_id")
    )


def access_rule(user, through: str = "") -> Q | None:
    """The access rule: which alliances `user` may see, as a condition on an alliance reached
    `through` a relation ("alliance__" from a goal, talk or session; "" on an alliance
    itself). None: they see none. Every clinical query starts here.

    A record outside the rule answers 404; what the caller may *do* with a record inside it
    is decided in alliance.access. Applied to the record's own join to its alliance, the
    rule costs no subquery and no second visit to the alliances.
    """
    if not user.is_authenticated or not user.is_active or user.clinic_id is None:
        return None
    # Nothing crosses from one clinic to another, whatever the role.
    mine = Q(**{f"{through}clinic_id": user.clinic_id})
    if user.role == Role.THERAPIST:
        return mine & Q(**{f"{through}therapist": user})
    if user.role == Role.SUPERVISOR:
        # Their own caseload, plus read-only access to their current supervisees'.
        supervised = Q(**{f"{through}therapist_id__in": current_supervisees(user)})
        return mine & (Q(**{f"{through}therapist": user}) | supervised)
    if user.role == Role.PATIENT:
        return mine & Q(**{f"{through}patient__portal_user": user})
    # Clinic admins manage people and assignments, never clinical content.
    return None


def visible_records(queryset: models.QuerySet, user) -> models.QuerySet:
    """The records (goals, talks, sessions...) of the alliances `user` may see."""
    rule = access_rule(user, "alliance__")
    return queryset.none() if rule is None else queryset.filter(rule)


class AllianceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AllianceQuerySet":
        """The alliances `user` may see (`access_rule`)."""
        rule = access_rule(user)
        return self.none() if rule is None else self.filter(rule)

    def active(self) -> "AllianceQuerySet":
        return self.filter(status=Alliance.Status.ACTIVE)


class Alliance(models.Model):
    """One therapist with one patient over one episode of care.

    Every goal, decision talk and session belongs to an Alliance, so one rule decides access
    to all of them.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    class EndReason(models.TextChoices):
        COMPLETED = "completed", "Therapy completed"
        PATIENT_WITHDREW = "patient_withdrew", "Patient chose to stop"
        TRANSFERRED = "transferred", "Transferred to another therapist"
        REFERRED_ON = "referred_on", "Referred to another service"
        OTHER = "other", "Other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey("alliance.Clinic", on_delete=models.PROTECT, related_name="+")
    # No index of its own: the (therapist, status) index leads with it.
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="alliances", db_index=False
    )
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="alliances")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AllianceQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["therapist", "patient"],
                condition=Q(status="active"),
                name="one_active_alliance_per_pair",
            ),
            models.CheckConstraint(
                condition=(Q(status="active") & Q(ended_on__isnull=True))
                | (Q(status="ended") & Q(ended_on__isnull=False)),
                name="alliance_end_date_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="alliance_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["therapist", "status"])]

    def __str__(self) -> str:
        return f"{self.patient} with {self.therapist}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE
