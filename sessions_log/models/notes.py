"""What follows a signed note: addenda, co-signature, comments, an error mark; and the
private psychotherapy note that only its author ever reads."""

from django.conf import settings
from django.db import models

from sessions_log.models.session import Session, SignedNoteError


class AppendOnly(models.Model):
    """Rows that are written once and never changed or removed."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise SignedNoteError(f"{self._meta.verbose_name} cannot be changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SignedNoteError(f"{self._meta.verbose_name} is never removed.")


class Addendum(AppendOnly):
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=300)
    text = models.TextField()

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "addenda"

    def __str__(self) -> str:
        return f"Addendum of {self.created_at:%Y-%m-%d}"


class Cosignature(AppendOnly):
    session = models.OneToOneField(Session, on_delete=models.PROTECT, related_name="cosignature")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Co-signed {self.created_at:%Y-%m-%d}"


class SupervisorComment(AppendOnly):
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment of {self.created_at:%Y-%m-%d}"


class ErrorMark(AppendOnly):
    """The note was entered in error (wrong patient, wrong day): kept, shown struck through."""

    session = models.OneToOneField(Session, on_delete=models.PROTECT, related_name="error_mark")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=300)

    def __str__(self) -> str:
        return "Entered in error"


class PsychotherapyNote(models.Model):
    """Process notes kept apart from the record: only the author reads them, ever."""

    session = models.OneToOneField(
        Session, on_delete=models.PROTECT, related_name="psychotherapy_note"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "Psychotherapy note"
