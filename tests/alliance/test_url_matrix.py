"""Every URL pattern, requested by every role: the expected status, and never a 500.

Expectations live beside each app's tests (tests/<app>/url_expectations.py). A new URL
without an entry makes this fail, so nothing is added unguarded. The operators' Django admin
(namespace "admin") is left to Django's own staff check and covered in test_admin.py.
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


def _url(pattern: URLPattern, world, therapist) -> str:
    values = {}
    for module in MODULES:
        values.update(module.url_kwargs(world, therapist))
    kwargs = {name: values[name] for name in pattern.pattern.converters}
    return reverse(pattern.name, kwargs=kwargs)


def test_every_url_has_an_expectation():
    names = [p.name for p in _patterns()]
    assert None not in names, "every URL pattern needs a name"
    assert len(names) == len(set(names)), "URL names are unique"
    assert set(names) == set(EXPECTED)


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_every_url_answers_each_role_as_expected(role, as_user, world, therapist):
    client = as_user(role)
    for pattern in _patterns():
        url = _url(pattern, world, therapist)
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
        url = _url(pattern, world, therapist)
        response = client.post(url, {})
        assert response.status_code < 500, f"POST {url} as {role}"
