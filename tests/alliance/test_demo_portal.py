import pytest

from alliance import portal
from alliance.models import User


@pytest.fixture
def jordan(demo_clinic):
    return User.objects.get(email="patient@demo.test")


def test_the_demo_patient_has_goals_to_agree_to_and_progress_to_add(jordan):
    (group,) = portal.portal_home(user=jordan)
    assert group.waiting, "a goal waits for the patient's agreement"
    assert group.agreed, "an agreed goal to record progress on"
    assert group.talks, "a decision made together"


def test_the_demo_patient_has_a_session_to_rate(jordan):
    assert portal.sessions_to_rate(user=jordan)
