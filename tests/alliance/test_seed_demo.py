import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError

from alliance import selectors
from alliance.models import Alliance, Clinic, Patient, Role, Supervision, User

PASSWORD = "demo-pass-2026"

LOGINS = {
    "admin@demo.test": Role.CLINIC_ADMIN,
    "supervisor@demo.test": Role.SUPERVISOR,
    "therapist@demo.test": Role.THERAPIST,
    "therapist2@demo.test": Role.THERAPIST,
    "patient@demo.test": Role.PATIENT,
    "patient2@demo.test": Role.PATIENT,
    "other@elsewhere.test": Role.THERAPIST,
}
MODELS = [Clinic, User, Patient, Alliance, Supervision]


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _debug_on(settings):
    # pytest-django runs tests with DEBUG off; the command is meant for DEBUG on.
    settings.DEBUG = True


@pytest.fixture
def seeded(demo_clinic) -> None:
    """What seeding leaves (tests/test_demo_rows.py holds that the two are the same)."""


def _user(email: str) -> User:
    return User.objects.select_related("clinic").get(email=email)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_it_creates_the_demo_logins(seeded, rf):
    for email, role in LOGINS.items():
        user = authenticate(rf.post("/login/"), email=email, password=PASSWORD)
        assert user is not None, email
        assert user.role == role
        expected_clinic = "Elsewhere Clinic" if email.endswith("@elsewhere.test") else None
        assert user.clinic.name == (expected_clinic or "Riverside Therapy Centre")


def test_it_gives_the_demo_clinic_password_only_logins(seeded):
    clinic = _user("admin@demo.test").clinic
    assert clinic.time_zone == "Europe/London"
    assert clinic.staff_two_factor_required is False
    assert _user("other@elsewhere.test").clinic.staff_two_factor_required is False


def test_it_gives_everyone_a_full_name(seeded):
    assert not User.objects.filter(full_name="").exists()


def test_the_supervisor_supervises_both_therapists(seeded):
    supervisions = Supervision.objects.filter(
        supervisor=_user("supervisor@demo.test"), ends_on__isnull=True
    )
    cosign = {s.therapist.email: s.requires_cosign for s in supervisions}
    assert cosign == {"therapist@demo.test": False, "therapist2@demo.test": True}


def test_it_links_each_portal_user_to_a_patient_of_their_therapist(seeded):
    pairs = [
        ("patient@demo.test", "therapist@demo.test"),
        ("patient2@demo.test", "therapist2@demo.test"),
    ]
    for patient_email, therapist_email in pairs:
        patient = Patient.objects.get(portal_user=_user(patient_email))
        alliance = patient.alliances.get()
        assert alliance.therapist == _user(therapist_email)
        assert alliance.is_active


def test_each_therapist_has_several_active_patients(seeded):
    for email in ("therapist@demo.test", "therapist2@demo.test"):
        active = selectors.caseload(user=_user(email))
        assert active.count() >= 5
        assert any(a.patient.portal_user_id is None for a in active)
    assert Patient.objects.exclude(preferred_name="").count() >= 3


def test_therapist_has_an_ended_alliance(seeded):
    ended = selectors.caseload(user=_user("therapist@demo.test"), status=Alliance.Status.ENDED)
    assert ended.count() == 1
    # The patient moved on to a colleague rather than being left without anyone.
    assert ended.get().patient.alliances.active().exists()


def test_one_patient_is_left_without_a_therapist(seeded):
    clinic = _user("admin@demo.test").clinic
    unassigned = list(selectors.clinic_patients(clinic=clinic, unassigned_only=True))
    assert len(unassigned) == 1
    assert unassigned[0].alliances.get().status == Alliance.Status.ENDED


def test_the_other_clinic_has_its_own_therapist_and_patient(seeded):
    other = _user("other@elsewhere.test")
    assert other.clinic != _user("therapist@demo.test").clinic
    assert other.clinic.time_zone != "Europe/London"
    alliance = Alliance.objects.get(therapist=other)
    assert alliance.is_active
    assert alliance.patient.clinic == other.clinic


def test_running_twice_changes_nothing(seeded):
    counts = _counts()
    hashes = dict(User.objects.values_list("email", "password"))

    seed()

    assert _counts() == counts
    assert dict(User.objects.values_list("email", "password")) == hashes


def test_it_keeps_a_changed_password(seeded):
    user = _user("therapist@demo.test")
    user.set_password("a-new-secret-passphrase")
    user.save()

    seed()

    assert _user("therapist@demo.test").check_password("a-new-secret-passphrase")


def test_it_refuses_an_email_taken_outside_the_demo(db):
    clinic = Clinic.objects.create(name="Somewhere Real")
    User.objects.create_user(
        "admin@demo.test", "x", full_name="Real Admin", clinic=clinic, role=Role.THERAPIST
    )

    with pytest.raises(CommandError, match="admin@demo.test"):
        seed()
    assert not Clinic.objects.filter(name="Riverside Therapy Centre").exists()


def test_it_refuses_without_debug(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        seed()
    assert User.objects.count() == 0


def test_it_runs_without_debug_when_forced(db, settings):
    settings.DEBUG = False

    seed(force=True)

    assert User.objects.filter(email="therapist@demo.test").exists()


def test_it_prints_the_logins_and_password(db):
    printed = seed()
    lines = printed.splitlines()
    for email, role in LOGINS.items():
        line = next(line for line in lines if email in line)
        assert role.label in line
    assert PASSWORD in printed
