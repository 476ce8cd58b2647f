from django.core.management.base import BaseCommand

from goals.reminders.sweep import sweep


class Command(BaseCommand):
    help = (
        "Run the goal-review reminder sweep now (beat runs it every few minutes): create the "
        "reminders coming due in each clinic past its reminder hour and queue their sending. "
        "Safe to run again: it never makes a reminder twice."
    )

    def handle(self, *args, **options):
        result = sweep()
        for outcome in result.clinics:
            clinic = outcome.clinic
            if outcome.day is None:
                self.stdout.write(
                    f"{clinic.name}: waiting for its reminder hour "
                    f"({clinic.reminder_hour:02d}:00 {clinic.time_zone})"
                )
            else:
                self.stdout.write(
                    f"{clinic.name}: {outcome.created} created, {outcome.queued} emails queued"
                )
        self.stdout.write(f"{result.created} reminders created")
