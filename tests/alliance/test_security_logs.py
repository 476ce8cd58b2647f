"""A full flow with a unique marker in every piece of clinical text, and logging turned up to
DEBUG on every logger: no marker, no password ever reaches a log record."""

import datetime
import logging

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alliance.models import Alliance, AuditEvent
from goals.models import Goal
from sessions_log.models import Session
from tests.factories import PASSWORD

MARK = "zq7MARKER"


def marker(name: str) -> str:
    return f"{MARK}-{name}"


@pytest.fixture
def every_logger_at_debug(caplog):
    loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    before = {logger: logger.level for logger in loggers}
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    yield caplog
    for logger, level in before.items():
        logger.setLevel(level)


def logged_text(caplog) -> str:
    parts = []
    for record in caplog.records:
        parts.append(record.getMessage())
        parts.append(repr(record.args))
        parts.append(record.exc_text or "")
        parts.append(repr(getattr(record, "request", "")))
    return "\n".join(parts)


def test_a_full_flow_logs_no_clinical_text(every_logger_at_debug, therapist, patient_user):
    caplog = every_logger_at_debug
    today = therapist.clinic.today()
    clinician = Client()
    # Log in through the form, with one failure first.
    clinician.post(reverse("login"), {"username": therapist.email, "password": marker("typo")})
    assert (
        clinician.post(
            reverse("login"), {"username": therapist.email, "password": PASSWORD}
        ).status_code
        == 302
    )
    # A new patient.
    response = clinician.post(
        reverse("patient_add"),
        {
            "given_name": marker("given"),
            "family_name": marker("family"),
            "preferred_name": "",
            "date_of_birth": "1990-04-01",
            "email": "",
            "phone": "",
            "started_on": today.isoformat(),
        },
    )
    assert response.status_code == 302, response.content
    alliance = Alliance.objects.get(patient__family_name=marker("family"))
    alliance.patient.portal_user = patient_user
    alliance.patient.save()
    # A goal, proposed.
    goal_data = {
        "description": marker("description"),
        "measure": marker("measure"),
        "baseline": "0",
        "target": "3",
        "unit": "trips",
        "direction": "increase",
        "steps": marker("steps"),
        "resources": marker("resources"),
        "barriers": marker("barriers"),
        "relevance": marker("relevance"),
        "target_date": (today + datetime.timedelta(days=90)).isoformat(),
        "review_interval_days": "28",
        "priority": "medium-priority",
        "propose": "1",
    }
    response = clinician.post(reverse("goal_new", args=[alliance.id]), goal_data)
    assert response.status_code == 302
    goal = Goal.objects.get(alliance=alliance)
    # A session note, signed, then an addendum.
    when = timezone.localtime(timezone.now() - datetime.timedelta(hours=2))
    note = {
        "revision": "1",
        "starts_at": when.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "50",
        "modality": "in_person",
        "attendance": "attended",
        "note_format": "soap",
        "risk_level": "none",
        "sign": "1",
    }
    for field in ["subjective", "objective", "assessment", "plan", "homework", "private_note"]:
        note[field] = marker(field)
    response = clinician.post(reverse("session_new", args=[alliance.id]), note)
    assert response.status_code == 302
    session = Session.objects.get(alliance=alliance)
    assert session.is_signed
    response = clinician.post(
        reverse("session_addendum", args=[session.id]),
        {"reason": marker("addendum-reason"), "text": marker("addendum")},
    )
    assert response.status_code == 302
    # The patient answers the goal in the portal.
    portal = Client()
    portal.post(reverse("login"), {"username": patient_user.email, "password": PASSWORD})
    response = portal.post(
        reverse("portal_goal", args=[goal.id]),
        {"answer": "disagree", "comment": marker("patient-comment"), "version": goal.version},
    )
    assert response.status_code == 302
    # Pages that show all of it, then logout.
    for url in [
        reverse("alliance_detail", args=[alliance.id]),
        reverse("goal_detail", args=[goal.id]),
        reverse("session_detail", args=[session.id]),
        reverse("caseload") + f"?q={marker('family')}",
    ]:
        assert clinician.get(url).status_code == 200
    # Refusals are logged by path, and paths carry ids, never text.
    assert clinician.get(reverse("goal_detail", args=[alliance.id])).status_code == 404
    clinician.post(reverse("logout"))

    assert caplog.records, "logging was captured"
    text = logged_text(caplog)
    assert MARK not in text
    assert PASSWORD not in text
    audit = " ".join(str(v) for row in AuditEvent.objects.values() for v in row.values())
    assert MARK not in audit
