import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD


def test_login_is_by_email_in_any_case(client, therapist):
    response = client.post(
        reverse("login"), {"username": "ALICE@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("caseload")).status_code == 200


def test_a_wrong_password_keeps_the_email_and_says_why(client, therapist):
    response = client.post(reverse("login"), {"username": "alice@example.org", "password": "wrong"})
    assert response.status_code == 200
    assert "That email and password do not match an account." in response.text
    assert 'value="alice@example.org"' in response.text


def test_an_invited_user_without_a_password_cannot_log_in(client, clinic):
    from alliance.models import User

    User.objects.create_user(
        "nia@example.org", None, full_name="Nia", clinic=clinic, role="therapist"
    )
    response = client.post(reverse("login"), {"username": "nia@example.org", "password": ""})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "role,home",
    [
        ("therapist", "caseload"),
        ("supervisor", "review"),
        ("patient_user", "portal"),
        ("clinic_admin", "clinic_home"),
    ],
)
def test_each_role_lands_on_its_own_home(client, request, role, home):
    user = request.getfixturevalue(role)
    response = client.post(
        reverse("login"), {"username": user.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(home)
    assert response.status_code == 200


def test_login_starts_a_new_session(client, therapist):
    client.get(reverse("login"))
    client.cookies["sessionid"] = "attacker-chosen"
    client.post(reverse("login"), {"username": therapist.email, "password": PASSWORD})
    assert client.cookies["sessionid"].value != "attacker-chosen"


def test_logout_ends_the_server_session(client, therapist):
    client.force_login(therapist)
    session_key = client.session.session_key
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get(reverse("caseload")).status_code == 302


def test_logout_needs_a_post(client, therapist):
    client.force_login(therapist)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("caseload")).status_code == 200


def test_password_reset_by_email(client, therapist):
    client.post(reverse("password_reset"), {"email": "alice@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    new_password = "another long passphrase here"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response["Location"] == reverse("password_reset_complete")
    assert client.login(username="alice@example.org", password=new_password)


def test_password_reset_says_nothing_about_unknown_emails(client, therapist):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_weak_new_password_is_refused_beside_the_field(client, therapist):
    client.post(reverse("password_reset"), {"email": "alice@example.org"})
    link = re.search(r"http://testserver(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200
    assert "This password is too short" in response.text


def test_every_page_has_one_h1_and_a_skip_link(client, therapist):
    client.force_login(therapist)
    for name in ["caseload", "patient_add"]:
        page = client.get(reverse(name)).text
        assert page.count("<h1") == 1
        assert 'href="#main"' in page
        assert '<main id="main"' in page
