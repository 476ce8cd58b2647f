"""Two-step login for staff: an authenticator app set up with a server-drawn QR code, its code
at every login, single-use recovery codes; a password reset never skips it; patients are
never asked; the demo clinic has it off."""

import re
import time

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance.models import AuditEvent, Clinic, User
from tests.factories import PASSWORD


@pytest.fixture
def strict_clinic(clinic):
    clinic.staff_two_factor_required = True
    clinic.save()
    return clinic


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the app shows now (or a few 30-second steps later: a code is used once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def log_in(client, user, password=PASSWORD):
    return client.post(reverse("login"), {"username": user.email, "password": password})


def enrol(client, user) -> list[str]:
    """Set the app up through the pages; returns the recovery codes shown once."""
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("two_factor_setup"), {"code": code(device)})
    assert response["Location"] == reverse("two_factor_recovery")
    page = client.get(reverse("two_factor_recovery")).text
    return re.findall(r"<code>([a-z2-7]{8})</code>", page)


def test_a_new_clinic_requires_it_and_the_demo_clinic_does_not(demo_clinic):
    assert Clinic(name="New").staff_two_factor_required is True
    assert not Clinic.objects.get(name="Riverside Therapy Centre").staff_two_factor_required


def test_staff_must_set_it_up_before_any_other_page(client, strict_clinic, therapist):
    response = log_in(client, therapist)
    assert response.status_code == 302
    response = client.get(reverse("caseload"))
    assert response["Location"].startswith(reverse("two_factor_setup"))
    for name in ["home", "patient_add", "review", "clinic_home", "two_factor_recovery"]:
        assert client.get(reverse(name)).status_code == 302, name
    assert client.post(reverse("patient_add"), {}).status_code == 302


def test_the_setup_page_draws_its_qr_code_itself(client, strict_clinic, therapist):
    client.force_login(therapist)
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    assert "<svg" in page.text and "<img" not in page.text.split("<main", 1)[1]
    device = TOTPDevice.objects.get(user=therapist, confirmed=False)
    assert re.sub(r"\s", "", page.text).count(re.sub(r"\s", "", page.context["secret"])) == 1
    # A reload shows the same secret, so a slow scan still works.
    client.get(reverse("two_factor_setup"))
    assert TOTPDevice.objects.filter(user=therapist).get() == device


def test_a_wrong_first_code_sets_nothing_up(client, strict_clinic, therapist):
    client.force_login(therapist)
    client.get(reverse("two_factor_setup"))
    response = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert response.status_code == 200
    assert "does not match" in response.text
    assert not TOTPDevice.objects.filter(user=therapist, confirmed=True).exists()


def test_setting_it_up_opens_the_pages_and_shows_recovery_codes_once(
    client, strict_clinic, therapist
):
    client.force_login(therapist)
    codes = enrol(client, therapist)
    assert len(codes) == 10
    assert client.get(reverse("caseload")).status_code == 200
    again = client.get(reverse("two_factor_recovery")).text
    assert not any(c in again for c in codes)
    assert "10 unused recovery codes" in again
    event = AuditEvent.objects.filter(actor=therapist, action="two_factor").first()
    assert event.detail == "authenticator app set up"


def test_every_login_then_asks_for_a_code(client, strict_clinic, therapist):
    client.force_login(therapist)
    enrol(client, therapist)
    client.post(reverse("logout"))

    log_in(client, therapist)
    response = client.get(reverse("caseload"))
    assert response["Location"] == reverse("two_factor_verify") + "?next=%2Fcaseload%2F"
    # The password alone cannot replace the app either.
    assert client.get(reverse("two_factor_setup"))["Location"] == reverse("two_factor_verify")

    device = TOTPDevice.objects.get(user=therapist)
    response = client.post(
        reverse("two_factor_verify"), {"code": code(device, 1), "next": "/caseload/"}
    )
    assert response["Location"] == "/caseload/"
    assert client.get(reverse("caseload")).status_code == 200


def test_a_wrong_code_is_refused_and_recorded(client, strict_clinic, therapist, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client.force_login(therapist)
    enrol(client, therapist)
    client.post(reverse("logout"))
    log_in(client, therapist)
    response = client.post(reverse("two_factor_verify"), {"code": "123456"})
    assert response.status_code == 200
    assert "does not match" in response.text
    assert client.get(reverse("caseload")).status_code == 302
    failed = AuditEvent.objects.filter(action="login_failed", actor=therapist).get()
    assert failed.detail == "wrong two-factor code"


def test_many_wrong_codes_are_slowed_down(client, strict_clinic, therapist):
    client.force_login(therapist)
    enrol(client, therapist)
    client.post(reverse("logout"))
    log_in(client, therapist)
    client.post(reverse("two_factor_verify"), {"code": "123456"})
    device = TOTPDevice.objects.get(user=therapist)
    response = client.post(reverse("two_factor_verify"), {"code": code(device, 1)})
    assert response.status_code == 200
    assert "Too many wrong codes" in response.text


def test_a_recovery_code_works_once(client, strict_clinic, therapist):
    client.force_login(therapist)
    codes = enrol(client, therapist)
    client.post(reverse("logout"))

    log_in(client, therapist)
    response = client.post(reverse("two_factor_verify"), {"code": codes[0].upper()})
    assert response["Location"] == reverse("home")
    assert client.get(reverse("caseload")).status_code == 200
    assert StaticToken.objects.filter(device__user=therapist).count() == 9
    client.post(reverse("logout"))

    log_in(client, therapist)
    response = client.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert response.status_code == 200
    assert client.get(reverse("caseload")).status_code == 302


def test_new_recovery_codes_replace_the_old(client, strict_clinic, therapist):
    client.force_login(therapist)
    old = enrol(client, therapist)
    client.post(reverse("two_factor_recovery"))
    new = re.findall(r"<code>([a-z2-7]{8})</code>", client.get(reverse("two_factor_recovery")).text)
    assert len(new) == 10
    tokens = set(StaticToken.objects.values_list("token", flat=True))
    assert tokens == set(new) and not tokens & set(old)


def test_a_password_reset_does_not_skip_the_code(client, strict_clinic, therapist):
    client.force_login(therapist)
    enrol(client, therapist)
    client.post(reverse("logout"))

    client.post(reverse("password_reset"), {"email": therapist.email})
    link = re.search(r"http://testserver(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    new_password = "a fresh long passphrase"
    client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert client.get(reverse("caseload")).status_code == 302  # not logged in by the reset

    log_in(client, therapist, new_password)
    assert client.get(reverse("caseload"))["Location"].startswith(reverse("two_factor_verify"))


def test_an_invited_member_of_staff_sets_it_up_first(client, strict_clinic):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from alliance.models import User
    from alliance.tokens import invitation_token_generator

    user = User.objects.create_user(
        "nia@example.org", None, full_name="Nia", clinic=strict_clinic, role="therapist"
    )
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_token_generator.make_token(user)
    form_url = client.get(reverse("invitation_accept", args=[uid, token]))["Location"]
    password = "nia's own long passphrase"
    response = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    assert client.get(reverse("caseload"))["Location"].startswith(reverse("two_factor_setup"))


@pytest.mark.parametrize("role", ["supervisor", "clinic_admin"])
def test_every_staff_role_is_asked(client, request, strict_clinic, role):
    user = request.getfixturevalue(role)
    log_in(client, user)
    assert (
        client.get(reverse("home"), follow=True)
        .redirect_chain[-1][0]
        .startswith(reverse("two_factor_setup"))
    )


def test_patients_are_never_asked(client, strict_clinic, patient_user, alliance):
    log_in(client, patient_user)
    assert client.get(reverse("portal")).status_code == 200
    assert client.get(reverse("two_factor_setup")).status_code == 403


def test_without_the_clinic_setting_staff_log_in_with_a_password(client, therapist):
    log_in(client, therapist)
    assert client.get(reverse("caseload")).status_code == 200


def test_staff_who_chose_it_are_asked_even_where_it_is_optional(client, therapist):
    client.force_login(therapist)
    enrol(client, therapist)
    client.post(reverse("logout"))
    log_in(client, therapist)
    assert client.get(reverse("caseload"))["Location"].startswith(reverse("two_factor_verify"))


def test_the_code_step_gives_a_new_session(client, strict_clinic, therapist):
    client.force_login(therapist)
    before = client.session.session_key
    enrol(client, therapist)
    assert client.session.session_key != before


def test_next_never_leads_off_site(client, strict_clinic, therapist):
    client.force_login(therapist)
    enrol(client, therapist)
    client.post(reverse("logout"))
    log_in(client, therapist)
    device = TOTPDevice.objects.get(user=therapist)
    response = client.post(
        reverse("two_factor_verify"), {"code": code(device, 1), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_a_login_opened_before_the_app_was_set_up_is_asked_for_a_code(therapist):
    from django.test import Client

    earlier, now = Client(), Client()
    log_in(earlier, therapist)  # left open on a shared computer, say
    log_in(now, therapist)
    enrol(now, therapist)
    response = earlier.get(reverse("caseload"))
    assert response["Location"].startswith(reverse("two_factor_verify"))


def test_operators_set_it_up_before_the_admin_opens(client, db):
    operator = User.objects.create_superuser("ops@example.org", PASSWORD, full_name="Ops")
    log_in(client, operator)
    response = client.get(reverse("admin:alliance_patient_changelist"))
    assert response["Location"].startswith(reverse("two_factor_setup"))
    enrol(client, operator)
    assert client.get(reverse("admin:alliance_patient_changelist")).status_code == 200
    client.post(reverse("logout"))
    log_in(client, operator)
    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("two_factor_verify"))
