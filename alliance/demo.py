"""The demo clinics that `manage.py seed_demo` builds: staff, supervision, caseloads.

Every function looks its rows up by a natural key (clinic name, user email, patient name and
date of birth) and creates only what is missing, so a second run changes nothing: no
duplicates, no reset passwords, no undoing what someone did while trying the demo.
"""

import datetime
from dataclasses import dataclass
from datetime import date

from django.core.management.base import CommandError

from alliance import services
from alliance.models import Alliance, Clinic, Patient, Role, Supervision, User
from decisions import demo as decision_demo
from goals import demo as goal_demo
from sessions_log import demo as session_demo

# Printed by `make run` for anyone to read: never put real data in these accounts.
PASSWORD = "demo-pass-2026"  # noqa: S105 - the shared demo password, printed on purpose

DEMO_CLINIC = "Riverside Therapy Centre"
OTHER_CLINIC = "Elsewhere Clinic"


@dataclass(frozen=True)
class DemoPatient:
    given_name: str
    family_name: str
    date_of_birth: date
    days_in_care: int
    preferred_name: str = ""
    phone: str = ""

    def details(self) -> dict:
        return {
            "given_name": self.given_name,
            "family_name": self.family_name,
            "preferred_name": self.preferred_name,
            "date_of_birth": self.date_of_birth,
            "phone": self.phone,
        }


# Invented people; phone numbers come from Ofcom's range reserved for drama (07700 900xxx).
# Patients with a portal account: (email, their therapist's key in seed_staff, who).
PORTAL_PATIENTS = [
    ("patient@demo.test", "therapist", DemoPatient("Jordan", "Blake", date(1994, 3, 12), 120)),
    (
        "patient2@demo.test",
        "therapist2",
        DemoPatient("Margaret", "Hughes", date(1961, 11, 2), 90, "Maggie"),
    ),
]
THERAPIST_PATIENTS = [
    DemoPatient("Aisha", "Rahman", date(1990, 2, 14), 210, phone="07700 900112"),
    DemoPatient("Daniel", "Kowalski", date(1985, 9, 30), 150, "Dan", "07700 900245"),
    DemoPatient("Eleanor", "Fitzgerald", date(1972, 6, 8), 96, "Nell", "07700 900318"),
    DemoPatient("Kwame", "Asante", date(2001, 12, 19), 61, phone="07700 900427"),
    DemoPatient("Sophie", "Laurent", date(1998, 4, 25), 33, phone="07700 900533"),
    DemoPatient("Gareth", "Pryce", date(1967, 1, 11), 12, phone="07700 900641"),
]
THERAPIST2_PATIENTS = [
    DemoPatient("Mei Lin", "Chen", date(1993, 8, 3), 240, "Mei", "07700 900154"),
    DemoPatient("Oluwaseun", "Adeyemi", date(1989, 5, 17), 182, "Seun", "07700 900266"),
    DemoPatient("Hannah", "Goldberg", date(1979, 10, 29), 120, phone="07700 900379"),
    DemoPatient("Rory", "McAllister", date(2003, 3, 6), 75, phone="07700 900482"),
    DemoPatient("Fatima", "Begum", date(1983, 7, 22), 40, phone="07700 900594"),
    DemoPatient("Liam", "O'Connor", date(1995, 11, 14), 9, phone="07700 900608"),
]
# Started with therapist@, moved to therapist2@: an ended alliance on the first caseload.
TRANSFERRED_PATIENT = DemoPatient("Chloe", "Barnes", date(1991, 1, 27), 200, phone="07700 900719")
TRANSFERRED_DAYS_AGO = 45
# Her episode with therapist2@ ended and nobody has taken her on yet: the admin's to assign.
UNASSIGNED_PATIENT = DemoPatient(
    "Ruth", "Abernathy", date(1958, 9, 9), 160, "Ruthie", "07700 900826"
)
UNASSIGNED_DAYS_AGO = 12


def seed_clinic(*, name: str, time_zone: str) -> Clinic:
    clinic = Clinic.objects.filter(name=name).order_by("id").first()
    if clinic is None:
        # Two-factor off so that the demo logins work with the password alone.
        # Reminders at any hour (0), so that a first sweep in the demo finds reviews due.
        clinic = Clinic.objects.create(
            name=name, time_zone=time_zone, staff_two_factor_required=False, reminder_hour=0
        )
    return clinic


def seed_user(*, clinic: Clinic, email: str, full_name: str, role: str) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return User.objects.create_user(
            email, PASSWORD, full_name=full_name, clinic=clinic, role=role
        )
    if user.clinic_id != clinic.id or user.role != role:
        # Printing this login as a demo account would mislead whoever tries it.
        raise CommandError(
            f"{email} already exists outside the demo ({user.clinic}, role {user.role!r}); "
            "remove or rename it before seeding the demo."
        )
    return user


def seed_supervision(
    *, supervisor: User, therapist: User, starts_on: date, requires_cosign: bool
) -> None:
    current = Supervision.objects.filter(
        supervisor=supervisor, therapist=therapist, ends_on__isnull=True
    )
    if not current.exists():
        services.supervision_start(
            supervisor=supervisor,
            therapist=therapist,
            starts_on=starts_on,
            requires_cosign=requires_cosign,
        )


def seed_patient(
    *, therapist: User, person: DemoPatient, today: date, **extra
) -> tuple[Patient, bool]:
    """The patient, with an alliance with `therapist` if they are new; and whether they are."""
    patient = Patient.objects.filter(
        clinic_id=therapist.clinic_id,
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
    ).first()
    if patient is not None:
        return patient, False
    alliance = services.patient_add(
        therapist=therapist,
        started_on=today - datetime.timedelta(days=person.days_in_care),
        **person.details(),
        **extra,
    )
    return alliance.patient, True


def seed_staff(clinic: Clinic) -> dict[str, User]:
    people = [
        ("admin", "admin@demo.test", "Amara Whitfield", Role.CLINIC_ADMIN),
        ("supervisor", "supervisor@demo.test", "Helen Marsh", Role.SUPERVISOR),
        ("therapist", "therapist@demo.test", "Priya Raman", Role.THERAPIST),
        ("therapist2", "therapist2@demo.test", "Tom Ellery", Role.THERAPIST),
    ]
    return {
        key: seed_user(clinic=clinic, email=email, full_name=name, role=role)
        for key, email, name, role in people
    }


def seed_supervisions(staff: dict[str, User], today: date) -> None:
    seed_supervision(
        supervisor=staff["supervisor"],
        therapist=staff["therapist"],
        starts_on=today - datetime.timedelta(days=400),
        requires_cosign=False,
    )
    # Tom is newly qualified: his signed notes wait for Helen's co-signature.
    seed_supervision(
        supervisor=staff["supervisor"],
        therapist=staff["therapist2"],
        starts_on=today - datetime.timedelta(days=250),
        requires_cosign=True,
    )


def seed_portal_patients(clinic: Clinic, staff: dict[str, User], today: date) -> list[User]:
    users = []
    for email, therapist_key, person in PORTAL_PATIENTS:
        therapist = staff[therapist_key]
        user = seed_user(
            clinic=clinic,
            email=email,
            full_name=f"{person.given_name} {person.family_name}",
            role=Role.PATIENT,
        )
        seed_patient(therapist=therapist, person=person, today=today, portal_user=user, email=email)
        users.append(user)
    return users


def seed_patients(staff: dict[str, User], today: date) -> None:
    for person in THERAPIST_PATIENTS:
        seed_patient(therapist=staff["therapist"], person=person, today=today)
    for person in THERAPIST2_PATIENTS:
        seed_patient(therapist=staff["therapist2"], person=person, today=today)


def seed_past_episodes(staff: dict[str, User], today: date) -> None:
    patient, created = seed_patient(
        therapist=staff["therapist"], person=TRANSFERRED_PATIENT, today=today
    )
    if created:
        services.patient_assign(
            patient=patient,
            therapist=staff["therapist2"],
            by=staff["admin"],
            starts_on=today - datetime.timedelta(days=TRANSFERRED_DAYS_AGO),
        )
    patient, created = seed_patient(
        therapist=staff["therapist2"], person=UNASSIGNED_PATIENT, today=today
    )
    if created:
        services.alliance_end(
            alliance=Alliance.objects.get(patient=patient),
            by=staff["therapist2"],
            ended_on=today - datetime.timedelta(days=UNASSIGNED_DAYS_AGO),
            reason=Alliance.EndReason.OTHER,
        )


# Which goals each demo patient has: the stories in goals.demo.seed_goals.
GOAL_STORIES = {
    ("Jordan", "Blake"): "portal",
    ("Aisha", "Rahman"): "overdue",
    ("Daniel", "Kowalski"): "disagreed",
    ("Eleanor", "Fitzgerald"): "ended",
    ("Margaret", "Hughes"): "review-this-week",
    ("Mei Lin", "Chen"): "overdue",
}


def seed_clinical(clinic: Clinic, today: date) -> None:
    """Goals (and later decisions and sessions) on the demo patients' current alliances."""
    alliances = (
        Alliance.objects.active()
        .filter(clinic=clinic)
        .select_related("patient__portal_user", "therapist", "clinic")
    )
    for alliance in alliances:
        story = GOAL_STORIES.get((alliance.patient.given_name, alliance.patient.family_name))
        if story:
            goal_demo.seed_goals(alliance=alliance, kind=story, today=today)
    priya = sorted(
        (a for a in alliances if a.therapist.email == "therapist@demo.test"),
        key=lambda a: a.started_on,
    )
    decision_demo.seed_decisions(therapist_alliances=priya, today=today)
    session_demo.seed_clinic_sessions(
        alliances=list(alliances),
        today=today,
        strained_patient="Daniel Kowalski",
        draft_patient="Sophie Laurent",
    )


def seed_elsewhere() -> list[User]:
    """A second clinic, so that nothing crossing between clinics can hide in the demo."""
    clinic = seed_clinic(name=OTHER_CLINIC, time_zone="America/Toronto")
    therapist = seed_user(
        clinic=clinic, email="other@elsewhere.test", full_name="Olivia Grant", role=Role.THERAPIST
    )
    person = DemoPatient("Luc", "Tremblay", date(1988, 7, 21), 70, phone="+1 416 555 0134")
    seed_patient(therapist=therapist, person=person, today=clinic.today())
    return [therapist]


def seed_demo() -> list[User]:
    """Build (or complete) the demo; the demo logins, in the order to print them."""
    clinic = seed_clinic(name=DEMO_CLINIC, time_zone="Europe/London")
    today = clinic.today()
    staff = seed_staff(clinic)
    seed_supervisions(staff, today)
    patients = seed_portal_patients(clinic, staff, today)
    seed_patients(staff, today)
    seed_past_episodes(staff, today)
    seed_clinical(clinic, today)
    return [*staff.values(), *patients, *seed_elsewhere()]
