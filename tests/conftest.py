"""Fixed people, reused everywhere (healthchecks style).

In the clinic: alice (therapist) and bob (another therapist), each with one patient who has
a portal account (patricia for alice, peter for bob); charlie supervises alice; dana is a
supervisor who supervises nobody; ada is the clinic admin. In another clinic: oscar, a
therapist with a patient of his own.
"""

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest
from django.test import Client

from alliance.models import Role
from tests.factories import (
    AllianceFactory,
    ClinicFactory,
    PatientFactory,
    SupervisionFactory,
    UserFactory,
)

# Goal fixtures (draft_goal, proposed_goal, active_goal, gas_goal, today) and the demo clinic
# (demo_clinic) for every app's tests.
pytest_plugins = ["tests.goals.fixtures", "tests.demo_rows"]


@pytest.fixture(scope="session", autouse=True)
def _release_stray_connections(django_db_setup, django_db_blocker):
    """Let the test database be dropped at the end of the run on PostgreSQL.

    A request thread of the browser tests' live server can leave its connection idle behind
    it; PostgreSQL then refuses to drop the database while that session exists.
    """
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture(autouse=True)
def _no_pages_from_earlier_tests():
    """Each test's database starts again (and SQLite hands out the same ids again), so copies
    of pages kept by alliance.page_cache in an earlier test would be another world's."""
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _login_with_a_request(monkeypatch):
    """django-axes counts failures per request; Django's test client logs in without one."""
    original = Client.login

    def login(self, **credentials):
        request = HttpRequest()
        request.META["REMOTE_ADDR"] = "127.0.0.1"
        credentials.setdefault("request", request)
        return original(self, **credentials)

    monkeypatch.setattr(Client, "login", login)


@pytest.fixture
def clinic(db):
    return ClinicFactory(name="Riverside Therapy", time_zone="Europe/London")


@pytest.fixture
def other_clinic(db):
    return ClinicFactory(name="Elsewhere Clinic", time_zone="America/Los_Angeles")


@pytest.fixture
def therapist(clinic):
    return UserFactory(email="alice@example.org", full_name="Alice Therapist", clinic=clinic)


@pytest.fixture
def other_therapist(clinic):
    return UserFactory(email="bob@example.org", full_name="Bob Therapist", clinic=clinic)


@pytest.fixture
def supervisor(clinic, therapist):
    user = UserFactory(
        email="charlie@example.org",
        full_name="Charlie Supervisor",
        clinic=clinic,
        role=Role.SUPERVISOR,
    )
    SupervisionFactory(supervisor=user, therapist=therapist)
    return user


@pytest.fixture
def unrelated_supervisor(clinic):
    return UserFactory(
        email="dana@example.org",
        full_name="Dana Supervisor",
        clinic=clinic,
        role=Role.SUPERVISOR,
    )


@pytest.fixture
def clinic_admin(clinic):
    return UserFactory(
        email="ada@example.org", full_name="Ada Admin", clinic=clinic, role=Role.CLINIC_ADMIN
    )


@pytest.fixture
def patient_user(clinic):
    return UserFactory(
        email="patricia@example.org",
        full_name="Patricia Patient",
        clinic=clinic,
        role=Role.PATIENT,
    )


@pytest.fixture
def other_patient_user(clinic):
    return UserFactory(
        email="peter@example.org", full_name="Peter Patient", clinic=clinic, role=Role.PATIENT
    )


@pytest.fixture
def alliance(therapist, patient_user):
    patient = PatientFactory(
        clinic=therapist.clinic,
        given_name="Patricia",
        family_name="Quill",
        portal_user=patient_user,
    )
    return AllianceFactory(therapist=therapist, patient=patient)


@pytest.fixture
def other_alliance(other_therapist, other_patient_user):
    patient = PatientFactory(
        clinic=other_therapist.clinic,
        given_name="Peter",
        family_name="Rook",
        portal_user=other_patient_user,
    )
    return AllianceFactory(therapist=other_therapist, patient=patient)


@pytest.fixture
def outsider(other_clinic):
    return UserFactory(email="oscar@example.org", full_name="Oscar Outsider", clinic=other_clinic)


@pytest.fixture
def operator(db):
    """A superuser: the only kind of user the Django admin lets in."""
    from alliance.models import User

    return User.objects.create_superuser(
        "ops@example.org", "an operator passphrase", full_name="Ops"
    )


@pytest.fixture
def outside_alliance(outsider):
    patient = PatientFactory(clinic=outsider.clinic, given_name="Olga", family_name="Far")
    return AllianceFactory(therapist=outsider, patient=patient)


@pytest.fixture
def world(
    alliance, other_alliance, outside_alliance, supervisor, unrelated_supervisor, clinic_admin
):
    """Everyone and everything above, for tests that sweep across roles."""
    return {
        "alliance": alliance,
        "other_alliance": other_alliance,
        "outside_alliance": outside_alliance,
    }


ROLE_FIXTURES = [
    "therapist",
    "other_therapist",
    "supervisor",
    "unrelated_supervisor",
    "patient_user",
    "other_patient_user",
    "clinic_admin",
    "outsider",
    "anonymous",
]


@pytest.fixture
def as_user(request, world):
    """A client logged in as the role fixture named by the test's `role` parameter."""

    def login(role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return login
