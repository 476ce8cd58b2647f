"""With the demo clinic loaded, no demo login opens a patient outside its view by URL."""

import pytest
from django.test import Client
from django.urls import reverse

from alliance.models import Alliance, Supervision, User

DEMO_PASSWORD = "demo-pass-2026"
DEMO_LOGINS = [
    "therapist@demo.test",
    "therapist2@demo.test",
    "supervisor@demo.test",
    "patient@demo.test",
    "patient2@demo.test",
    "admin@demo.test",
    "other@elsewhere.test",
]


@pytest.fixture
def demo(demo_clinic):
    pass


def expected_visible(user: User) -> set:
    """The rule restated from DESIGN.md, independently of alliance.access."""
    if user.role == "therapist":
        return set(Alliance.objects.filter(therapist=user).values_list("id", flat=True))
    if user.role == "supervisor":
        supervisees = Supervision.objects.filter(supervisor=user, ends_on__isnull=True).values_list(
            "therapist_id", flat=True
        )
        return set(
            Alliance.objects.filter(therapist_id__in=[user.id, *supervisees]).values_list(
                "id", flat=True
            )
        )
    if user.role == "patient":
        return set(Alliance.objects.filter(patient__portal_user=user).values_list("id", flat=True))
    return set()


@pytest.mark.parametrize("email", DEMO_LOGINS)
def test_no_demo_login_opens_a_patient_outside_its_view(demo, email):
    user = User.objects.get(email=email)
    client = Client()
    assert client.login(username=email, password=DEMO_PASSWORD)
    visible = expected_visible(user)
    for alliance in Alliance.objects.all():
        status = client.get(reverse("alliance_detail", args=[alliance.id])).status_code
        if user.role == "clinic_admin":
            assert status == 403
        elif alliance.id in visible:
            assert status == (302 if user.role == "patient" else 200)
        else:
            assert status == 404, f"{email} opened {alliance}"
