"""The sweep: which goal reviews are coming due, and who to tell.

Run by beat every few minutes and by `manage.py sweep_reminders`. For each clinic whose local
time has passed its reminder hour today, every active goal whose next review falls within the
clinic's lead time (or is overdue) gets one ReviewReminder per recipient for that review date:
the therapist, and the patient if they have a portal account and have not turned reminders
off. The unique constraint on (goal, due_on, recipient) makes a second sweep, or two sweeps at
once, create nothing more; an overdue review already reminded is not reminded again.

Sending is queued only once the rows are committed, one task per recipient and day.
"""

import dataclasses
import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from alliance.models import Alliance, Clinic, User
from goals.models import Goal, Lifecycle, ReviewReminder
from goals.reminders import settings as reminder_settings
from goals.reminders.send_task import send_review_reminders

logger = logging.getLogger(__name__)

Audience = ReviewReminder.Audience
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


def recipients(goal: Goal) -> list[tuple[User, str]]:
    """Who is told of this goal's review: its therapist, and the patient if they want it."""
    people = []
    therapist = goal.alliance.therapist
    if therapist.is_active:
        people.append((therapist, Audience.THERAPIST))
    patient = goal.alliance.patient
    portal = patient.portal_user
    if portal is not None and portal.is_active and patient.review_reminders:
        people.append((portal, Audience.PATIENT))
    return people


def due_goals(*, clinic: Clinic, day: datetime.date):
    """Active goals of the clinic's current alliances with a review within the lead time."""
    horizon = day + datetime.timedelta(days=clinic.reminder_lead_days)
    return (
        Goal.objects.filter(
            alliance__clinic=clinic,
            alliance__status=Alliance.Status.ACTIVE,
            lifecycle_status=Lifecycle.ACTIVE,
            next_review_on__isnull=False,
            next_review_on__lte=horizon,
        )
        .select_related("alliance__therapist", "alliance__patient__portal_user")
        .order_by("pk")
    )


@transaction.atomic
def sweep_clinic(*, clinic: Clinic, day: datetime.date, now: datetime.datetime) -> tuple[int, int]:
    """Create the clinic's missing reminders; queue their sending. (created, digests queued)"""
    goals = list(due_goals(clinic=clinic, day=day))
    existing = set(
        ReviewReminder.objects.filter(goal__in=goals).values_list(
            "goal_id", "due_on", "recipient_id"
        )
    )
    created = []
    # Always in the same order (goal, then therapist before patient), so that two sweeps
    # inserting the same rows wait for each other instead of deadlocking.
    for goal in goals:
        for recipient, audience in recipients(goal):
            if (goal.pk, goal.next_review_on, recipient.pk) in existing:
                continue
            reminder = _create(goal=goal, recipient=recipient, audience=audience, day=day)
            if reminder is not None:
                created.append(reminder)

    to_send = {(r.recipient_id, r.remind_on) for r in created}
    to_send |= _requeue_stale(clinic=clinic, day=day, now=now)
    _queue_sending(sorted(to_send))
    if created:
        logger.info("Reminder sweep: %s reminders created in clinic %s", len(created), clinic.pk)
    return len(created), len(to_send)


def _create(*, goal: Goal, recipient: User, audience: str, day: datetime.date):
    """The new reminder, or None if another sweep made it first."""
    try:
        # A savepoint: a duplicate must not break the rest of the clinic's transaction.
        with transaction.atomic():
            return ReviewReminder.objects.create(
                goal=goal,
                due_on=goal.next_review_on,
                recipient=recipient,
                audience=audience,
                remind_on=day,
            )
    except IntegrityError:
        # Another sweep committed this (goal, due_on, recipient) meanwhile: nothing to do.
        return None


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


def _queue_sending(batches: list[tuple[int, datetime.date]]) -> None:
    for recipient_id, day in batches:
        # After the commit: a rolled-back sweep queues nothing, and the worker never looks
        # for rows that are not there yet.
        send_review_reminders.delay_on_commit(recipient_id, day.isoformat())
