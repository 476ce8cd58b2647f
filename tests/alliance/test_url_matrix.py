"""Every URL pattern, requested by every role: the expected status, and never a 500.

A new URL without an entry in EXPECTED makes this fail, so nothing is added unguarded.
The operators' Django admin (namespace "admin") is left to Django's own staff check and
covered in test_admin.py.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from alliance.models import Supervision
from tests.conftest import ROLE_FIXTURES

# Statuses for GET; roles left out of a row expect the row's "*" value.
ANY = None
LOGIN = 302  # anonymous users are sent to the login page
EXPECTED = {
    "home": {"*": 302},
    "healthz": {"*": 200},
    "login": {"*": 302, "anonymous": 200},
    "logout": {"*": 405},
    "password_reset": {"*": 200},
    "password_reset_done": {"*": 200},
    "password_reset_confirm": {"*": 200},
    "password_reset_complete": {"*": 200},
    "invitation_accept": {"*": 200},
    "caseload": {
        "*": 403,
        "therapist": 200,
        "other_therapist": 200,
        "supervisor": 200,
        "unrelated_supervisor": 200,
        "outsider": 200,
        "anonymous": LOGIN,
    },
    "patient_add": {
        "*": 403,
        "therapist": 200,
        "other_therapist": 200,
        "supervisor": 200,
        "unrelated_supervisor": 200,
        "outsider": 200,
        "anonymous": LOGIN,
    },
    "alliance_detail": {
        "*": 404,
        "therapist": 200,
        "supervisor": 200,
        "patient_user": 302,
        "clinic_admin": 403,
        "anonymous": LOGIN,
    },
    "alliance_end": {
        "*": 404,
        "therapist": 200,
        "supervisor": 403,
        "patient_user": 403,
        "other_patient_user": 403,
        "clinic_admin": 403,
        "anonymous": LOGIN,
    },
    "review": {"*": 403, "supervisor": 200, "unrelated_supervisor": 200, "anonymous": LOGIN},
    "portal": {"*": 403, "patient_user": 200, "other_patient_user": 200, "anonymous": LOGIN},
    "clinic_home": {"*": 403, "clinic_admin": 200, "anonymous": LOGIN},
    "staff_invite": {"*": 403, "clinic_admin": 200, "anonymous": LOGIN},
    "staff_invite_resend": {"*": 403, "clinic_admin": 405, "anonymous": LOGIN},
    "supervision_add": {"*": 403, "clinic_admin": 200, "anonymous": LOGIN},
    "supervision_end": {"*": 403, "clinic_admin": 200, "anonymous": LOGIN},
    "clinic_patients": {"*": 403, "clinic_admin": 200, "anonymous": LOGIN},
    "patient_assign": {"*": 403, "clinic_admin": 200, "anonymous": LOGIN},
}


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield entry


def _kwargs_for(pattern: URLPattern, world, therapist) -> dict:
    values = {
        "alliance_id": world["alliance"].id,
        "patient_id": world["alliance"].patient.id,
        "supervision_id": Supervision.objects.get(therapist=therapist).id,
        "user_id": therapist.id,
        "uidb64": "MQ",
        "token": "set-password",
    }
    return {name: values[name] for name in pattern.pattern.converters}


def test_every_url_has_an_expectation():
    names = {p.name for p in _patterns()}
    assert None not in names, "every URL pattern needs a name"
    assert names == set(EXPECTED)


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_every_url_answers_each_role_as_expected(role, as_user, world, therapist):
    client = as_user(role)
    for pattern in _patterns():
        url = reverse(pattern.name, kwargs=_kwargs_for(pattern, world, therapist))
        row = EXPECTED[pattern.name]
        expected = row.get(role, row["*"])
        response = client.get(url)
        assert response.status_code == expected, f"GET {url} as {role}"
        if response.status_code == LOGIN and role == "anonymous" and pattern.name != "home":
            assert response["Location"].startswith(reverse("login"))
        if response.status_code in (200, 403, 404) and response["Content-Type"].startswith(
            "text/html"
        ):
            assert response.text.count("<h1") == 1, f"one <h1> on {url} as {role}"


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_no_url_fails_on_an_empty_post(role, as_user, world, therapist):
    client = as_user(role)
    for pattern in _patterns():
        url = reverse(pattern.name, kwargs=_kwargs_for(pattern, world, therapist))
        response = client.post(url, {})
        assert response.status_code < 500, f"POST {url} as {role}"
