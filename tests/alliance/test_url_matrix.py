"""Every URL pattern, requested by every role, by GET and by POST: the expected status, and
never a 500.

Expectations live beside each app's tests (tests/<app>/url_expectations.py). EXPECTED holds
the GET statuses; EXPECTED_POST lists only where an empty POST answers otherwise (a role
not named there, and without a "*" of its own, expects the GET status: a refusal is the
same refusal, a form re-rendered with its errors is the same 200). A new URL without an entry
makes this fail, so nothing is added unguarded. The operators' Django admin (namespace
"admin") is left to Django's own staff check and covered in test_admin.py.
"""

import contextlib
import importlib

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import ROLE_FIXTURES

APPS = ["alliance", "goals", "decisions", "sessions_log"]
MODULES = []
for _app in APPS:
    # An app without pages yet has no expectations module.
    with contextlib.suppress(ModuleNotFoundError):
        MODULES.append(importlib.import_module(f"tests.{_app}.url_expectations"))
EXPECTED = {name: row for module in MODULES for name, row in module.EXPECTED.items()}
EXPECTED_POST = {
    name: row for module in MODULES for name, row in getattr(module, "EXPECTED_POST", {}).items()
}
LOGIN = 302


def _patterns(resolver=None):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from _patterns(entry)
        elif isinstance(entry, URLPattern):
            yield entry


PATTERNS = {pattern.name: pattern for pattern in _patterns()}


def _url(pattern: URLPattern, world, therapist) -> str:
    values = {}
    for module in MODULES:
        values.update(module.url_kwargs(world, therapist))
    kwargs = {name: values[name] for name in pattern.pattern.converters}
    return reverse(pattern.name, kwargs=kwargs)


def expected_get(name: str, role: str) -> int:
    row = EXPECTED[name]
    return row.get(role, row["*"])


def expected_post(name: str, role: str) -> int:
    row = EXPECTED_POST.get(name, {})
    if role in row:
        return row[role]
    if "*" in row:
        return row["*"]
    return expected_get(name, role)


def _check_page(response, url: str, role: str, method: str) -> None:
    if response.status_code == LOGIN and role == "anonymous":
        location = response["Location"]
        assert location == "/" or location.startswith(reverse("login")), f"{method} {url}"
    if response.status_code in (200, 403, 404) and response["Content-Type"].startswith("text/html"):
        assert response.text.count("<h1") == 1, f"one <h1> on {method} {url} as {role}"


def test_every_url_has_an_expectation():
    names = [p.name for p in _patterns()]
    assert None not in names, "every URL pattern needs a name"
    assert len(names) == len(set(names)), "URL names are unique"
    assert set(names) == set(EXPECTED)
    assert set(EXPECTED_POST) <= set(EXPECTED), "POST rows only for URLs that exist"
    for name, row in EXPECTED_POST.items():
        assert set(row) <= {*ROLE_FIXTURES, "*"}, f"unknown role in EXPECTED_POST[{name!r}]"


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_every_url_answers_each_role_as_expected(role, as_user, world, therapist):
    client = as_user(role)
    for pattern in _patterns():
        url = _url(pattern, world, therapist)
        response = client.get(url)
        assert response.status_code == expected_get(pattern.name, role), f"GET {url} as {role}"
        _check_page(response, url, role, "GET")


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_every_url_answers_an_empty_post_by_each_role_as_expected(name, as_user, world, therapist):
    """Each role posts from a fresh login, in ROLE_FIXTURES order, to the same records."""
    url = _url(PATTERNS[name], world, therapist)
    for role in ROLE_FIXTURES:
        response = as_user(role).post(url, {})
        assert response.status_code == expected_post(name, role), f"POST {url} as {role}"
        _check_page(response, url, role, "POST")
