"""Goal-review reminders: the sweep that makes them, the digests that send them.

- sweep.py: which reviews are coming due in each clinic, one ReviewReminder per goal, due date
  and recipient, and their sending queued once the rows are committed.
- making.py: the rules of who is reminded of what, and the one statement per clinic that
  makes the missing rows.
- sending.py: one email per recipient and day, sent at most once per commit of the rows.
- send_task.py: the tasks; the sweep queues up to REMINDER_BATCH_SIZE digests to a task.
- selectors.py: reminders for the goal page and the therapist's home.
- settings.py: the knobs, each with a default.

Never lost: a reminder stays pending until an email carrying it has gone out (sent) or every
try has failed (failed, shown on the therapist's home). Its task is acknowledged only after
running (acks_late), so Redis gives a dead worker's message to another; and a pending
reminder untouched for REMINDER_REQUEUE_AFTER_MINUTES is queued again by the next sweep,
which also covers the development broker (`filesystem://`), which cannot redeliver.
"""
