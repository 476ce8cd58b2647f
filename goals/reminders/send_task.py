"""The tasks that send reminders: a batch of digests (queued by the sweep), or one digest.

A digest is one recipient's email of one day. Whichever task carries it, it is sent by
sending.send_digest in its own transaction, holding its rows' locks, so what was sent is never
sent again, and the count of tries lives on the rows: a redelivered, retried or re-queued task
carries on from where the others stopped.
"""

import contextlib
import datetime
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.mail import get_connection

from goals.reminders import sending

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=None, name="goals.tasks.send_review_reminders")
def send_review_reminders(self, recipient_id: int, day: str) -> str:
    """Send one recipient's reminders of one day (ISO date) in one email.

    No longer queued by the sweep (it queues batches); kept for messages already queued, and
    for sending one digest by hand.
    """
    on = datetime.date.fromisoformat(day)
    try:
        return sending.send_digest(recipient_id=recipient_id, day=on)
    except sending.RETRYABLE as error:
        tried = sending.record_failure(recipient_id=recipient_id, day=on, error=error)
        reason = sending.SendFailed(sending.describe_error(error))
    # Out of the except block, so that the mail error (whose text may name the address) is
    # not attached to the retry that Celery logs and reports: its kind and code only.
    if tried is None:
        return sending.Outcome.NOTHING
    attempts, failed = tried
    if failed:
        return "failed"
    raise self.retry(countdown=sending.retry_delay(attempts), exc=reason)


@shared_task(bind=True, max_retries=None, name="goals.tasks.send_review_reminder_batch")
def send_review_reminder_batch(self, digests: list[list]) -> dict[str, int]:
    """Send many digests, each [recipient id, ISO date], through one mail connection.

    Each digest succeeds or fails on its own: a mail server refusing one does not hold back
    the others, which are sent (and marked sent) as the batch goes on. The digests that failed
    and may be tried again are retried after the backoff, in this task's retry, which carries
    them alone. A digest that failed its last try is marked failed and left out. Any other
    error is logged (its kind only), the rest of the batch still sent, and then raised: those
    reminders stay pending and the sweep queues them again (REMINDER_REQUEUE_AFTER_MINUTES).
    """
    counts: dict[str, int] = {}
    retry: list[list] = []
    fewest_attempts = None
    unexpected = None
    mail = get_connection()
    try:
        for index, digest in enumerate(digests):
            try:
                outcome, attempts = _send_one(digest, mail=mail)
            except SoftTimeLimitExceeded:
                # Out of time (a mail server that hangs): this digest and the rest go on in
                # the retry. The one interrupted was rolled back with its transaction.
                retry.extend(digests[index:])
                break
            except Exception as error:  # noqa: BLE001 - raised once the others are sent
                # The kind of error only: its text may quote the data.
                logger.error(
                    "Review reminders to user %s for %s not sent: %s",
                    digest[0],
                    digest[1],
                    type(error).__name__,
                )
                unexpected = unexpected or error
                outcome, attempts = "error", None
            if attempts is not None:
                retry.append(digest)
                fewest_attempts = min(attempts, fewest_attempts or attempts)
            counts[outcome] = counts.get(outcome, 0) + 1
    finally:
        _close(mail)
    if retry:
        # The least-tried digest sets the wait; those tried more are tried a little early.
        raise self.retry(args=[retry], countdown=sending.retry_delay(fewest_attempts or 1))
    if unexpected is not None:
        # Its kind only: the error's own text may quote an address or the data.
        raise sending.SendFailed(sending.describe_error(unexpected))
    return counts


def _send_one(digest: list, *, mail) -> tuple[str, int | None]:
    """Send one digest of a batch: (what happened, its tries so far if it is to be retried)."""
    recipient_id, on = int(digest[0]), datetime.date.fromisoformat(digest[1])
    try:
        # send_digest opens the shared connection when it has something to send (once for
        # the batch; again after a failure closed it).
        return sending.send_digest(recipient_id=recipient_id, day=on, connection=mail), None
    except sending.RETRYABLE as error:
        _close(mail)  # a connection that failed is not used again
        tried = sending.record_failure(recipient_id=recipient_id, day=on, error=error)
    if tried is None:
        return sending.Outcome.NOTHING, None
    attempts, failed = tried
    return ("failed", None) if failed else ("retried", attempts)


def _close(mail) -> None:
    """Close the mail connection; one that is already broken may fail to say goodbye."""
    with contextlib.suppress(*sending.RETRYABLE):
        mail.close()
