import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone, e.g. Europe/London.")


class Clinic(models.Model):
    """The tenant: nothing ever crosses from one clinic to another."""

    name = models.CharField(max_length=200)
    time_zone = models.CharField(
        max_length=64, default="Europe/London", validators=[validate_time_zone]
    )
    # A patient's session total (0-40) below this is an alliance alert.
    alert_cutoff = models.PositiveSmallIntegerField(default=36, validators=[MaxValueValidator(40)])
    # A fall of at least this many points from the patient's previous session is an alert.
    alert_drop = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    # A patient's total differing from the therapist's own rating by this much is an alert.
    alert_gap = models.PositiveSmallIntegerField(
        default=8, validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    default_note_format = models.CharField(
        max_length=4, choices=[("soap", "SOAP"), ("dap", "DAP")], default="soap"
    )
    reminder_hour = models.PositiveSmallIntegerField(
        default=8, validators=[MaxValueValidator(23)], help_text="Local hour reminders go out."
    )
    reminder_lead_days = models.PositiveSmallIntegerField(
        default=3, validators=[MaxValueValidator(60)], help_text="Days before a review to remind."
    )
    idle_logout_staff_minutes = models.PositiveSmallIntegerField(
        default=15, validators=[MinValueValidator(1), MaxValueValidator(480)]
    )
    idle_logout_patient_minutes = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(1), MaxValueValidator(480)]
    )
    staff_two_factor_required = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self):
        """The calendar date now in the clinic's own time zone."""
        from django.utils import timezone

        return timezone.localdate(timezone=self.zone)
