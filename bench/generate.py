"""Generate a clinic network into its own PostgreSQL database, with COPY.

    python -m bench.generate --therapists 200 --patients-per-therapist 50 --sessions-per-patient 40

Clinics of 20 therapists, one supervisor for every 8 therapists (a quarter of whose notes need
co-signing), a clinic admin each and one operator for the Django admin; every patient in one
episode of care (one in ten ended), 60% with a portal account. The database is dropped and
made again (its name must contain "bench"), migrated, loaded, then vacuumed and analysed.
Every user's password is `bench-pass-2026`.
"""

import argparse
import datetime
import json
import math
import random
import time
import zoneinfo

from bench import db

PASSWORD = "bench-pass-2026"  # noqa: S105 - a throwaway local benchmark database
THERAPISTS_PER_CLINIC = 20
THERAPISTS_PER_SUPERVISOR = 8


def parse(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("--database-url", default=db.database_url())
    parser.add_argument("--therapists", type=int, default=200)
    parser.add_argument("--patients-per-therapist", type=int, default=50)
    parser.add_argument("--sessions-per-patient", type=int, default=40)
    parser.add_argument("--goals-per-patient", type=int, default=4)
    parser.add_argument("--decisions-per-patient", type=float, default=1.5)
    parser.add_argument(
        "--all-goals-active",
        action="store_true",
        help="every goal active, reviews spread over ten weeks (the reminder sweep's data)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", action="store_true", help="print the result as JSON, last")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database if it holds this very dataset"
    )
    return parser.parse_args(argv)


def signature(args: argparse.Namespace) -> dict:
    keys = [
        "therapists",
        "patients_per_therapist",
        "sessions_per_patient",
        "goals_per_patient",
        "decisions_per_patient",
        "all_goals_active",
        "seed",
    ]
    return {key: getattr(args, key) for key in keys} | {"day": datetime.date.today().isoformat()}


class Network:
    def __init__(self, args):
        from django.contrib.auth.hashers import make_password
        from django.utils import timezone

        from bench.bulk import Loader
        from bench.records import Records

        self.args = args
        self.rng = random.Random(args.seed)
        self.load = Loader()
        self.zone = zoneinfo.ZoneInfo("Europe/London")
        self.now = timezone.now()
        self.today = timezone.localdate(timezone=self.zone)
        self.password = make_password(PASSWORD)
        self.records = Records(
            load=self.load, rng=self.rng, zone=self.zone, today=self.today, now=self.now,
            options=args,
        )  # fmt: skip

    def user(self, *, email, full_name, clinic_id, role, superuser=False) -> int:
        from alliance.models import User

        table = self.load[User]
        user_id = table.next_id()
        table.add(
            id=user_id, password=self.password, email=email, full_name=full_name,
            clinic_id=clinic_id, role=role, is_active=True, is_staff=superuser,
            is_superuser=superuser, date_joined=self.now,
        )  # fmt: skip
        return user_id

    def build(self) -> dict[str, int]:
        from alliance.models import Clinic, Supervision
        from bench.records import Clinic as ClinicRules

        args = self.args
        self.user(email="operator@bench.test", full_name="Bench Operator", clinic_id=None,
                  role="", superuser=True)  # fmt: skip
        clinics = max(1, math.ceil(args.therapists / THERAPISTS_PER_CLINIC))
        therapist_number = 0
        for number in range(clinics):
            clinic_id = self.load[Clinic].next_id()
            rules = ClinicRules(id=clinic_id, alert_cutoff=36, alert_drop=3, alert_gap=8)
            self.load[Clinic].add(
                id=clinic_id, name=f"Bench Clinic {number + 1:02d}", time_zone="Europe/London",
                alert_cutoff=rules.alert_cutoff, alert_drop=rules.alert_drop,
                alert_gap=rules.alert_gap, reminder_hour=0, staff_two_factor_required=False,
                created_at=self.now,
            )  # fmt: skip
            self.user(email=f"admin{number + 1:02d}@bench.test", full_name="Clinic Admin",
                      clinic_id=clinic_id, role="clinic_admin")  # fmt: skip
            here = range(
                number * args.therapists // clinics, (number + 1) * args.therapists // clinics
            )
            supervisor_id = None
            for index, _ in enumerate(here):
                therapist_number += 1
                if index % THERAPISTS_PER_SUPERVISOR == 0:
                    supervisor_id = self.user(
                        email=f"s{therapist_number:04d}@bench.test",
                        full_name=f"Supervisor {therapist_number:04d}",
                        clinic_id=clinic_id, role="supervisor",
                    )  # fmt: skip
                therapist_id = self.user(
                    email=f"t{therapist_number:04d}@bench.test",
                    full_name=f"Therapist {therapist_number:04d}",
                    clinic_id=clinic_id, role="therapist",
                )  # fmt: skip
                cosign = self.rng.random() < 0.25
                self.load[Supervision].add(
                    id=self.load[Supervision].next_id(), clinic_id=clinic_id,
                    supervisor_id=supervisor_id, therapist_id=therapist_id,
                    starts_on=self.today - datetime.timedelta(days=500),
                    requires_cosign=cosign, created_at=self.now,
                )  # fmt: skip
                for _ in range(args.patients_per_therapist):
                    self.patient(rules, therapist_id, supervisor_id, cosign)
        return self.load.finish()

    def patient(self, clinic, therapist_id, supervisor_id, cosign) -> None:
        from alliance.models import Alliance, Patient
        from bench import texts
        from bench.records import Person, new_uuid

        args, rng, load = self.args, self.rng, self.load
        number = load[Patient].rows + 1
        given, family = rng.choice(texts.GIVEN), rng.choice(texts.FAMILY)
        portal_user_id = None
        email = ""
        if rng.random() < 0.6:
            email = f"p{number:06d}@bench.test"
            portal_user_id = self.user(email=email, full_name=f"{given} {family}",
                                       clinic_id=clinic.id, role="patient")  # fmt: skip
        patient_id = new_uuid(rng)
        load[Patient].add(
            id=patient_id, clinic_id=clinic.id, given_name=given, family_name=family,
            preferred_name="", date_of_birth=datetime.date(1950, 1, 1)
            + datetime.timedelta(days=rng.randrange(365 * 55)),
            email=email, phone=f"07700 9{number % 100000:05d}", portal_user_id=portal_user_id,
            review_reminders=rng.random() < 0.9, created_at=self.now,
        )  # fmt: skip
        sessions = args.sessions_per_patient
        ended_on = None
        if number % 10 == 0:
            ended_on = self.today - datetime.timedelta(days=rng.randint(10, 200))
        end = ended_on or self.today
        started_on = end - datetime.timedelta(days=7 * sessions + 14 + rng.randint(0, 30))
        alliance_id = new_uuid(rng)
        load[Alliance].add(
            id=alliance_id, clinic_id=clinic.id, therapist_id=therapist_id, patient_id=patient_id,
            started_on=started_on, ended_on=ended_on, status="ended" if ended_on else "active",
            end_reason="completed" if ended_on else "",
            ended_by_id=therapist_id if ended_on else None, created_at=self.now,
        )  # fmt: skip
        person = Person(
            alliance_id=alliance_id, therapist_id=therapist_id, supervisor_id=supervisor_id,
            cosign=cosign, portal_user_id=portal_user_id, started_on=started_on,
            ended_on=ended_on, clinic=clinic,
        )  # fmt: skip
        goals = self.records.goals(person, args.goals_per_patient)
        attended = self.records.sessions(person, goals, sessions)
        talks = int(args.decisions_per_patient)
        talks += rng.random() < args.decisions_per_patient - talks
        self.records.talks(person, goals, attended, talks)


def _vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def main(argv=None) -> dict:
    args = parse(argv)
    wanted = signature(args)
    if args.keep and db.dataset(args.database_url) == wanted:
        # The same records; migrations made since (an index, say) still apply.
        db.setup_django(args.database_url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(f"generate: kept {args.database_url.rsplit('/', 1)[-1]} (same dataset)", flush=True)
        if args.json:
            print(json.dumps({"kept": True, "seconds": 0.0}))
        return {"kept": True, "seconds": 0.0}
    started = time.monotonic()
    db.recreate(args.database_url)
    db.setup_django(args.database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    migrated = time.monotonic()
    counts = Network(args).build()
    loaded = time.monotonic()
    _vacuum()
    db.mark(args.database_url, wanted)
    done = time.monotonic()
    result = {
        "kept": False,
        "seconds": round(done - started, 1),
        "migrate_seconds": round(migrated - started, 1),
        "load_seconds": round(loaded - migrated, 1),
        "vacuum_seconds": round(done - loaded, 1),
        "rows": counts,
        "total_rows": sum(counts.values()),
    }
    print(
        f"generate: {result['total_rows']:,} rows in {result['seconds']} s "
        f"(migrate {result['migrate_seconds']} s, load {result['load_seconds']} s, "
        f"vacuum+analyze {result['vacuum_seconds']} s)",
        flush=True,
    )
    for label, rows in sorted(counts.items()):
        print(f"  {label:32} {rows:>10,}")
    if args.json:
        print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
