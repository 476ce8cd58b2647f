"""A mail server that refuses an invitation: the account stays, the page says the email did
not go, and the logs never carry the address."""

import logging
import smtplib

from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from alliance.models import User
from tests.factories import AllianceFactory


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        recipients = {to: (550, b"no such user") for m in email_messages for to in m.to}
        raise smtplib.SMTPRecipientsRefused(recipients)


REFUSING = "tests.alliance.test_invitation_mail_failure.RefusingBackend"


def test_a_refused_staff_invitation_is_said_and_not_logged(
    client, clinic_admin, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = REFUSING
    client.force_login(clinic_admin)
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff_invite"),
            {"full_name": "Nia New", "email": "nia.secret@example.org", "role": "therapist"},
            follow=True,
        )
    assert User.objects.filter(email="nia.secret@example.org").exists()
    assert "the invitation email could not be sent" in response.text
    assert "Invitation sent" not in response.text
    assert "nia.secret@example.org" not in caplog.text
    assert "SMTPRecipientsRefused" in caplog.text


def test_a_refused_resend_is_said_not_a_server_error(client, clinic_admin, settings, caplog):
    invited = User.objects.create_user(
        "late.secret@example.org",
        None,
        full_name="Lee Late",
        clinic=clinic_admin.clinic,
        role="therapist",
    )
    settings.EMAIL_BACKEND = REFUSING
    client.force_login(clinic_admin)
    with caplog.at_level(logging.DEBUG):
        response = client.post(reverse("staff_invite_resend", args=[invited.id]), follow=True)
    assert response.status_code == 200
    assert "could not be sent" in response.text
    assert "late.secret@example.org" not in caplog.text


def test_a_refused_portal_invitation_is_said_and_not_logged(
    client, therapist, settings, caplog, django_capture_on_commit_callbacks
):
    alliance = AllianceFactory(therapist=therapist)
    settings.EMAIL_BACKEND = REFUSING
    client.force_login(therapist)
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal_invite", args=[alliance.id]),
            {"email": "pat.secret@example.org"},
            follow=True,
        )
    assert "could not be sent" in response.text
    assert "pat.secret@example.org" not in caplog.text
