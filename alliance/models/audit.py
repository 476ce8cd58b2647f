"""The audit trail: who read or changed which record, when and from where.

Rows are written once and never changed or removed: the model refuses here, and on
PostgreSQL a trigger refuses UPDATE and DELETE even by raw SQL (migration 0005). A row names
records by id and pages by URL name; it never holds clinical text.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit events are never changed.")

    def delete(self):
        raise TypeError("Audit events are never removed.")

    def for_patient(self, patient) -> "AuditQuerySet":
        return self.filter(patient=patient)


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        READ = "read", "Read"
        CHANGE = "change", "Change"
        DENIED = "denied", "Refused"
        EXPORT = "export", "Export"
        LOGIN = "login", "Logged in"
        LOGOUT = "logout", "Logged out"
        LOGIN_FAILED = "login_failed", "Failed login"
        LOCKED_OUT = "locked_out", "Locked out"
        TWO_FACTOR = "two_factor", "Two-factor"
        ADMIN = "admin", "Django admin"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    # No index of its own: the (actor, at) index leads with it.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # The actor's role and clinic when it happened (either may change later).
    actor_role = models.CharField(max_length=20, blank=True)
    clinic = models.ForeignKey(
        "alliance.Clinic", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The patient whose record it was, so that a clinic admin can ask who opened it.
    # No index of its own: the (patient, at) index leads with it.
    patient = models.ForeignKey(
        "alliance.Patient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    record_type = models.CharField(max_length=40, blank=True)
    record_id = models.CharField(max_length=64, blank=True)
    url_name = models.CharField(max_length=100, blank=True)
    method = models.CharField(max_length=8, blank=True)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    # A fixed description (e.g. "idle logout"); never what anyone typed.
    detail = models.CharField(max_length=200, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["patient", "at"]),
            models.Index(fields=["actor", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.url_name or ''}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Audit events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events are never removed.")
