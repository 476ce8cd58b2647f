from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from alliance import demo


class Command(BaseCommand):
    help = (
        "Create the demo clinics, staff and patients (safe to run again: it only adds what is "
        "missing) and print the demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG off. The demo accounts share a published password.",
        )

    def handle(self, *args, force: bool = False, **options):
        # Accounts with a password printed for all to see have no place on a real server.
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts whose password is published, so it refuses to run "
                "with DEBUG off. Pass --force if this really is a demo server."
            )
        with transaction.atomic():
            logins = demo.seed_demo()

        width = max(len(user.email) for user in logins)
        self.stdout.write(self.style.SUCCESS("Demo logins:"))
        for user in logins:
            self.stdout.write(
                f"  {user.email:<{width}}  {user.get_role_display():<12}  {user.clinic.name}"
            )
        self.stdout.write(f"Password for every demo login: {demo.PASSWORD}")
