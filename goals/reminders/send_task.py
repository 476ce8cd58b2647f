"""The task that sends one person's reminders of one day (queued by the sweep)."""

import datetime

from celery import shared_task

from goals.reminders import sending


@shared_task(bind=True, max_retries=None, name="goals.tasks.send_review_reminders")
def send_review_reminders(self, recipient_id: int, day: str) -> str:
    """Send one recipient's reminders of one day (ISO date) in one email.

    The count of tries lives on the reminder rows, not in the task, so a redelivered or
    re-queued task carries on from where the others stopped.
    """
    on = datetime.date.fromisoformat(day)
    try:
        return sending.send_digest(recipient_id=recipient_id, day=on)
    except sending.RETRYABLE as error:
        tried = sending.record_failure(recipient_id=recipient_id, day=on, error=error)
        if tried is None:
            return sending.Outcome.NOTHING
        attempts, failed = tried
        if failed:
            return "failed"
        raise self.retry(countdown=sending.retry_delay(attempts), exc=error) from error
