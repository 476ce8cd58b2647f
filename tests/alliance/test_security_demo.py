"""Tried as a new user would, on the demo clinic: each demo login, through the real login
form, edits the address bar to every goal, decision talk and session note of the demo that
is not in its view, and is told nothing (404; 403 for the clinic admin, who sees no records)."""

import pytest
from django.test import Client
from django.urls import reverse

from alliance.models import Alliance, User
from decisions.models import DecisionTalk
from goals.models import Goal
from sessions_log.models import Session
from tests.alliance.test_demo_access import DEMO_LOGINS, DEMO_PASSWORD

CLINICIAN_PAGES = [
    (Alliance, "alliance_detail"),
    (Goal, "goal_detail"),
    (DecisionTalk, "decision_talk"),
    (Session, "session_detail"),
]
PATIENT_PAGES = [(Goal, "portal_goal"), (DecisionTalk, "portal_decision")]


@pytest.fixture
def demo(demo_clinic):
    pass


@pytest.mark.parametrize("email", DEMO_LOGINS)
def test_no_demo_login_reaches_another_record_by_editing_urls(demo, email):
    user = User.objects.get(email=email)
    client = Client()
    response = client.post(reverse("login"), {"username": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, "the demo logs in with a password alone"
    visible = Alliance.objects.visible_to(user).values_list("id", flat=True)
    pages = PATIENT_PAGES if user.is_patient else CLINICIAN_PAGES
    tried = 0
    for model, name in pages:
        outside = "id__in" if model is Alliance else "alliance__in"
        records = model.objects.exclude(**{outside: visible}).values_list("id", flat=True)
        for record_id in records:
            status = client.get(reverse(name, args=[record_id])).status_code
            expected = 404 if user.role != "clinic_admin" else 403
            assert status == expected, f"{email} opened {name} {record_id}"
            tried += 1
    assert tried
