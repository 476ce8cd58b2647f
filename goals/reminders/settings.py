"""Reminder knobs, read from Django settings at call time so that tests can change them."""

from django.conf import settings

DEFAULTS = {
    # Tries at sending one digest before its reminders are marked failed.
    "REMINDER_MAX_ATTEMPTS": 5,
    # The first retry waits this long; each further one twice as long as the one before.
    "REMINDER_RETRY_BASE_SECONDS": 60,
    "REMINDER_RETRY_MAX_SECONDS": 900,
    # A pending reminder untouched this long is queued again by the next sweep, in case its
    # message was lost (a broker restart, a publish that failed after the commit).
    "REMINDER_REQUEUE_AFTER_MINUTES": 60,
    # Digests (one recipient's email of one day) sent by one task: one message on the broker
    # and one mail connection for them all, instead of one each.
    "REMINDER_BATCH_SIZE": 100,
    # Emails are sent from a worker, with no request to take the host from.
    "SITE_URL": "http://127.0.0.1:8000",
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
