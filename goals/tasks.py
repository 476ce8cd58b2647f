"""Celery tasks of goals: thin wrappers that take ids and call goals.reminders.

Every task is safe to run twice: the broker delivers again whatever a dead worker left
unacknowledged (CELERY_TASK_ACKS_LATE), and the sweep queues again what it finds stale.
"""

import logging

from celery import shared_task

from goals.reminders import sweep

# The sending tasks are defined beside the sweep that queues them; imported here so Celery
# finds them with the rest.
from goals.reminders.send_task import (
    send_review_reminder_batch,
    send_review_reminders,
)

__all__ = ["send_review_reminder_batch", "send_review_reminders", "sweep_review_reminders"]

logger = logging.getLogger(__name__)


@shared_task
def sweep_review_reminders() -> int:
    """Create the reminders coming due and queue their sending; the number created."""
    return sweep.sweep().created
