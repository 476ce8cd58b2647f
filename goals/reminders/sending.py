"""Sending reminders: one email per recipient and day, saying how many reviews, never what.

A therapist gets one digest a day listing how many of their goal reviews are coming up, not
one email per goal; a patient gets one asking them to record their progress before the review.
No email carries clinical detail: no goal wording, no patient name, no diagnosis. A count, a
date and a link to log in.

Exactly once, and where that ends
---------------------------------
`send_digest` locks the recipient's reminders of the day (SELECT ... FOR UPDATE), sends one
email, and marks them sent, in one transaction. Any second run of the same work (the broker
delivering the task again after a worker died, a sweep queueing it again, two sweeps at once)
waits for those locks, then finds nothing pending and sends nothing. A worker killed before
the mail server accepted the message rolls back with its connection: the reminders are still
pending, the broker delivers the task again (acks_late), and it sends them once.

One window cannot be closed: the mail server has accepted the message and the worker dies
before the commit, a matter of milliseconds. The reminders are still pending, so the next run
sends the email again. In that window delivery is at least once (a duplicate, never a loss);
no mail server takes part in a database transaction. Both copies carry the same Message-ID,
so mail stores that de-duplicate on it show one.

One email a day per recipient: reminders created after that day's email went out move to the
next day's.
"""

import datetime
import email.utils
import enum
import logging
import secrets
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from alliance.celery import longest_countdown
from alliance.models import Alliance
from goals.models import Lifecycle, ReviewReminder
from goals.reminders import digest_mime
from goals.reminders import settings as reminder_settings
from goals.reminders.locked_rows import locked_reminders, mark_sent

logger = logging.getLogger(__name__)

Status = ReviewReminder.Status
Audience = ReviewReminder.Audience

# A mail server refusing, dropping or timing out: worth trying again later.
RETRYABLE = (smtplib.SMTPException, OSError)


class Outcome(enum.StrEnum):
    SENT = "sent"
    NOTHING = "nothing to send"
    DEFERRED = "moved to the next day"


def still_wanted(reminder: ReviewReminder) -> bool:
    """Whether the review it is about is still to come and its recipient still wants it."""
    goal = reminder.goal
    alliance = goal.alliance
    if goal.lifecycle_status != Lifecycle.ACTIVE or goal.next_review_on != reminder.due_on:
        return False  # reviewed meanwhile, rescheduled, ended
    if alliance.status != Alliance.Status.ACTIVE or not reminder.recipient.is_active:
        return False
    if reminder.audience == Audience.PATIENT:
        patient = alliance.patient
        return patient.portal_user_id == reminder.recipient_id and patient.review_reminders
    return alliance.therapist_id == reminder.recipient_id


def send_digest(*, recipient_id: int, day: datetime.date, connection=None) -> Outcome:
    """Send the recipient's pending reminders of `day` in one email, at most once.

    Raises what the mail backend raises; nothing is marked then (see record_failure).
    `connection`: an open mail connection to send through (a batch shares one), else a new one.
    """
    now = timezone.now()
    with transaction.atomic():
        rows = locked_reminders(recipient_id=recipient_id, day=day)
        pending = [r for r in rows if r.status == Status.PENDING]
        moot = [r for r in pending if not still_wanted(r)]
        if moot:
            _update(moot, status=Status.CANCELLED, updated_at=now)
        due = [r for r in pending if r not in moot]
        if not due:
            return Outcome.NOTHING
        if any(r.status == Status.SENT and r.remind_on == day for r in rows):
            # The day's email has gone already: these go with the next day's.
            _update(due, remind_on=day + datetime.timedelta(days=1), updated_at=now)
            return Outcome.DEFERRED
        message = digest_message(reminders=due, day=day)
        if connection is not None:
            # Opened only now, when there is something to send: a digest that is moot
            # never meets the mail server, down or not. Already open: kept as it is.
            connection.open()
        message.connection = connection
        message.send()
        # Earlier days' stragglers now belong to this day's email.
        mark_sent(due, day=day, now=now)
    return Outcome.SENT


def record_failure(
    *, recipient_id: int, day: datetime.date, error: BaseException
) -> tuple[int, bool] | None:
    """Count a failed try on the pending reminders; mark them failed after the last one.

    Returns (attempts so far, failed for good), or None if nothing is pending any more.
    """
    now = timezone.now()
    with transaction.atomic():
        rows = locked_reminders(recipient_id=recipient_id, day=day, pending_only=True)
        if not rows:
            return None
        attempts = max(r.attempts for r in rows) + 1
        failed = attempts >= reminder_settings.get("REMINDER_MAX_ATTEMPTS")
        _update(
            rows,
            attempts=F("attempts") + 1,
            last_error=describe_error(error),
            status=Status.FAILED if failed else Status.PENDING,
            updated_at=now,
        )
    if failed:
        # Shown on the therapist's home (selectors.failed_reminders_for); said here too.
        logger.error(
            "Review reminders to user %s for %s failed after %s attempts: %s",
            recipient_id,
            day,
            attempts,
            describe_error(error),
        )
    return attempts, failed


def retry_delay(attempts: int) -> int:
    """Seconds before the next try: doubling each time, never past the visibility timeout."""
    base = reminder_settings.get("REMINDER_RETRY_BASE_SECONDS")
    delay = base * 2 ** max(attempts - 1, 0)
    return int(min(delay, reminder_settings.get("REMINDER_RETRY_MAX_SECONDS"), longest_countdown()))


class SendFailed(Exception):
    """A digest not sent, named by describe_error: safe to log."""


def describe_error(error: BaseException) -> str:
    """The kind of error and the SMTP code: nothing from the message, nothing clinical."""
    code = getattr(error, "smtp_code", None)
    text = type(error).__name__ + (f" {code}" if code else "")
    return text[:200]


def _update(rows: list[ReviewReminder], **fields) -> None:
    ReviewReminder.objects.filter(pk__in=[r.pk for r in rows]).update(**fields)


def _link(name: str) -> str:
    return reminder_settings.get("SITE_URL").rstrip("/") + reverse(name)


def message_id(*, recipient_id: int, day: datetime.date, first_pk: int) -> str:
    """The same for every try at one email, so that a duplicate can be recognised."""
    domain = email.utils.parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    return f"<review-reminders.{recipient_id}.{day:%Y%m%d}.{first_pk}@{domain or 'alliance'}>"


class DigestEmail(EmailMultiAlternatives):
    """A digest's email. Its message is made and written by `digest_mime` (the same bytes as
    Django's, at a fraction of the work) unless something in it is not plain. Either way its
    parts are parted by a boundary of its own: left unset, the standard library would draw
    one for every message and compile a pattern to search the text for it. 128 random bits
    cannot occur in the text."""

    def message(self):
        boundary = f"=={secrets.token_hex(16)}=="
        made = digest_mime.written(self, boundary)
        if made is not None:
            return made
        mime = super().message()
        if mime.is_multipart():  # always (text and HTML); a plain text part has no boundary
            mime.set_boundary(boundary)
        return mime


def digest_message(*, reminders: list[ReviewReminder], day: datetime.date) -> DigestEmail:
    """The email for one recipient's reminders of one day, plain text and HTML."""
    recipient = reminders[0].recipient
    dates = sorted(r.due_on for r in reminders)
    count = len(reminders)
    is_patient = reminders[0].audience == Audience.PATIENT
    # A patient is greeted as they asked to be called; their record is the goal's patient.
    name = reminders[0].goal.alliance.patient.addressed_as if is_patient else None
    context = {
        "name": name or recipient.get_short_name(),
        "clinic": recipient.clinic,
        "count": count,
        "first_due": dates[0],
        "overdue": sum(1 for d in dates if d < day),
        "day": day,
        "link": _link("portal" if is_patient else "home"),
        "settings_link": _link("portal_settings") if is_patient else "",
    }
    if is_patient:
        template = "goals/email/patient_reminder"
        subject = "Before your goal review: how are you getting on?"
    else:
        template = "goals/email/therapist_digest"
        subject = f"{count} goal review{'s' if count != 1 else ''} coming up"
    message = DigestEmail(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[recipient.email],
        headers={
            "Message-ID": message_id(
                recipient_id=recipient.pk, day=day, first_pk=min(r.pk for r in reminders)
            )
        },
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
