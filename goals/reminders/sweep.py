"""The sweep: which goal reviews are coming due, and who to tell.

Run by beat every few minutes and by `manage.py sweep_reminders`. For each clinic whose local
time has passed its reminder hour today, every active goal whose next review falls within the
clinic's lead time (or is overdue) gets one ReviewReminder per recipient for that review date:
the therapist, and the patient if they have a portal account and have not turned reminders
off. The rows are made in one statement per clinic (goals.reminders.making). The unique
constraint on (goal, due_on, recipient) makes a second sweep, or two sweeps at once, create
nothing more; an overdue review already reminded is not reminded again.

Sending is queued only once the rows are committed: one digest per recipient and day, up to
REMINDER_BATCH_SIZE digests in one task (goals.reminders.send_task).
"""

import dataclasses
import datetime
import logging

from django.db import transaction
from django.utils import timezone

from alliance.models import Clinic
from goals.models import ReviewReminder
from goals.reminders import settings as reminder_settings
from goals.reminders.making import make_reminders
from goals.reminders.send_task import send_review_reminder_batch

logger = logging.getLogger(__name__)

Status = ReviewReminder.Status


@dataclasses.dataclass
class ClinicSweep:
    clinic: Clinic
    # The clinic's date, or None while its reminder hour has not come yet today.
    day: datetime.date | None
    created: int = 0
    queued: int = 0


@dataclasses.dataclass
class SweepResult:
    clinics: list[ClinicSweep] = dataclasses.field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(c.created for c in self.clinics)

    @property
    def queued(self) -> int:
        return sum(c.queued for c in self.clinics)


def reminder_day(clinic: Clinic, now: datetime.datetime) -> datetime.date | None:
    """The clinic's date at `now` if its reminder hour has come, else None.

    Compared on the local wall clock, so a clinic west of UTC is still on yesterday's date,
    and on the day the clocks change the hour is the local one, not a fixed UTC offset. An
    hour skipped by the clocks going forward counts as passed.
    """
    local = timezone.localtime(now, clinic.zone)
    if local.hour < clinic.reminder_hour:
        return None
    return local.date()


def sweep(*, now: datetime.datetime | None = None) -> SweepResult:
    """Sweep every clinic; each in its own transaction, so one clinic's trouble is its own."""
    now = now or timezone.now()
    result = SweepResult()
    for clinic in Clinic.objects.order_by("pk"):
        day = reminder_day(clinic, now)
        outcome = ClinicSweep(clinic=clinic, day=day)
        if day is not None:
            outcome.created, outcome.queued = sweep_clinic(clinic=clinic, day=day, now=now)
        result.clinics.append(outcome)
    return result


@transaction.atomic
def sweep_clinic(*, clinic: Clinic, day: datetime.date, now: datetime.datetime) -> tuple[int, int]:
    """Create the clinic's missing reminders; queue their sending. (created, digests queued)"""
    # One statement makes every missing row (goals.reminders.making).
    made = make_reminders(clinic=clinic, day=day)
    to_send = {(recipient_id, day) for recipient_id in made}
    to_send |= _requeue_stale(clinic=clinic, day=day, now=now)
    _queue_sending(sorted(to_send))
    if made:
        logger.info("Reminder sweep: %s reminders created in clinic %s", len(made), clinic.pk)
    return len(made), len(to_send)


def _requeue_stale(
    *, clinic: Clinic, day: datetime.date, now: datetime.datetime
) -> set[tuple[int, datetime.date]]:
    """Pending reminders nobody has touched for a while: their message may have been lost.

    Sending them twice is harmless (the send locks the rows and skips what is sent), so the
    only cost of a false alarm is an empty task. They join today's email.
    """
    cutoff = now - datetime.timedelta(
        minutes=reminder_settings.get("REMINDER_REQUEUE_AFTER_MINUTES")
    )
    stale = ReviewReminder.objects.filter(
        goal__alliance__clinic=clinic,
        status=Status.PENDING,
        remind_on__lte=day,
        updated_at__lt=cutoff,
    )
    rows = list(stale.values_list("pk", "recipient_id"))
    if not rows:
        return set()
    # Touched, so that the next sweep does not queue them again while they wait their turn.
    # Filtered on status again, on the table itself: a send committing meanwhile wins.
    count = ReviewReminder.objects.filter(
        pk__in=[pk for pk, _ in rows], status=Status.PENDING
    ).update(remind_on=day, updated_at=now)
    logger.warning(
        "Reminder sweep: %s pending reminders in clinic %s queued again", count, clinic.pk
    )
    return {(recipient_id, day) for _, recipient_id in rows}


def _queue_sending(digests: list[tuple[int, datetime.date]]) -> None:
    """One task per REMINDER_BATCH_SIZE digests (recipient and day), not one per digest."""
    size = reminder_settings.get("REMINDER_BATCH_SIZE")
    for first in range(0, len(digests), size):
        batch = [
            [recipient_id, day.isoformat()] for recipient_id, day in digests[first : first + size]
        ]
        # After the commit: a rolled-back sweep queues nothing, and the worker never looks
        # for rows that are not there yet.
        send_review_reminder_batch.delay_on_commit(batch)
