"""Headers: the content security policy (no inline script anywhere), private pages, and the
production cookies and HSTS; idle logout by the clinic's minutes."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session as DjangoSession
from django.urls import reverse

from alliance.middleware_security import LAST_SEEN
from alliance.models import AuditEvent
from tests.alliance.test_settings import SECRET, run_manage
from tests.alliance.test_url_matrix import PATTERNS, _url

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"""<[^>]+\son[a-z]{3,}\s*=\s*["']""", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


def test_the_login_page_carries_the_policy(client, db):
    response = client.get(reverse("login"))
    csp = policy(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def template_files():
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]:
        if ".venv" not in folder.parts:
            yield from folder.rglob("*.html")


@pytest.mark.parametrize("path", sorted(template_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_inline_script(path):
    text = path.read_text()
    assert not INLINE_SCRIPT.search(text), "scripts come from static files"
    assert not EVENT_HANDLER.search(text), "no on...= handlers: the policy would block them"
    assert not JAVASCRIPT_URL.search(text)


@pytest.mark.parametrize("role", ["therapist", "supervisor", "patient_user", "clinic_admin"])
def test_no_page_has_inline_script_and_every_page_carries_the_policy(
    role, as_user, world, therapist
):
    client = as_user(role)
    for pattern in PATTERNS.values():
        url = _url(pattern, world, therapist)
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        assert "script-src 'self'" in response["Content-Security-Policy"], url
        assert not INLINE_SCRIPT.search(response.text), f"inline script on {url}"
        assert not EVENT_HANDLER.search(response.text), f"event handler on {url}"


@pytest.mark.parametrize("name", ["alliance_detail", "caseload", "portal", "clinic_home"])
def test_signed_in_pages_are_never_cached(
    name, client, therapist, patient_user, clinic_admin, world
):
    user = {"portal": patient_user, "clinic_home": clinic_admin}.get(name, therapist)
    client.force_login(user)
    url = _url(PATTERNS[name], world, therapist)
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_production_sends_secure_cookies_and_hsts():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.CSRF_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_CONTENT_TYPE_NOSNIFF, s.X_FRAME_OPTIONS)"
    )
    result = run_manage(
        "shell",
        "-c",
        code,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="alliance.example",
        SITE_URL="https://alliance.example",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        *["True"] * 5,
        "31536000",
        "True",
        "True",
        "DENY",
    ]


def test_a_debug_page_is_never_shown_in_production():
    assert django_settings.DEBUG is False  # as in every test: the 500 page is the plain one


class TestIdleLogout:
    def idle(self, client, minutes):
        session = client.session
        session[LAST_SEEN] = session[LAST_SEEN] - minutes * 60
        session.save()

    def test_staff_are_logged_out_after_15_minutes(self, client, therapist):
        client.force_login(therapist)
        session_key = client.session.session_key
        self.idle(client, 14)
        assert client.get(reverse("caseload")).status_code == 200
        self.idle(client, 16)
        response = client.get(reverse("caseload"))
        assert response["Location"] == reverse("login") + "?next=%2Fcaseload%2F"
        assert not DjangoSession.objects.filter(session_key=session_key).exists()
        page = client.get(response["Location"])
        assert "logged out after 15 minutes without activity" in page.text
        assert AuditEvent.objects.filter(action="logout", detail="idle logout").exists()

    def test_patients_after_30(self, client, patient_user, alliance):
        client.force_login(patient_user)
        self.idle(client, 20)
        assert client.get(reverse("portal")).status_code == 200
        self.idle(client, 31)
        assert client.get(reverse("portal")).status_code == 302

    def test_the_clinic_sets_the_minutes(self, client, therapist):
        therapist.clinic.idle_logout_staff_minutes = 60
        therapist.clinic.save()
        client.force_login(therapist)
        self.idle(client, 45)
        assert client.get(reverse("caseload")).status_code == 200

    def test_activity_keeps_the_session(self, client, therapist):
        client.force_login(therapist)
        for _ in range(3):
            self.idle(client, 10)
            assert client.get(reverse("caseload")).status_code == 200
