"""Sign-in throttling (django-axes): 100 failures an hour per account and address, counted on
an address a client cannot choose; a new session at login; logout ends the server session."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alliance.client_ip import client_ip
from alliance.models import AuditEvent
from tests.factories import PASSWORD

LIMIT = 100


def attempt(client, email, password, **headers):
    return client.post(reverse("login"), {"username": email, "password": password}, **headers)


def fail(client, email, times, **headers):
    for _ in range(times):
        response = attempt(client, email, "not-the-password", **headers)
        assert response.status_code in (200, 429)


def test_the_limit_is_a_hundred_an_hour(settings):
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert settings.AXES_COOLOFF_TIME == 1
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_101_wrong_passwords_lock_the_right_one_out(client, therapist):
    fail(client, therapist.email, LIMIT + 1)
    response = attempt(client, therapist.email, PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts" in response.text
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("caseload")).status_code == 302


def test_99_wrong_passwords_do_not(client, therapist):
    fail(client, therapist.email, LIMIT - 1)
    assert attempt(client, therapist.email, PASSWORD).status_code == 302


def test_the_hundredth_failure_locks(client, therapist):
    fail(client, therapist.email, LIMIT)
    assert attempt(client, therapist.email, PASSWORD).status_code == 429


def test_the_case_of_the_email_does_not_give_more_tries(client, therapist):
    for i in range(LIMIT):
        email = therapist.email.upper() if i % 2 else therapist.email
        attempt(client, email, "not-the-password")
    assert attempt(client, therapist.email.title(), PASSWORD).status_code == 429


def test_the_lock_is_for_that_account_from_that_address_only(therapist, other_therapist):
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    fail(attacker, therapist.email, LIMIT)
    # Someone else behind the same address still logs in; so does alice from elsewhere.
    assert (
        attempt(Client(REMOTE_ADDR="198.51.100.7"), other_therapist.email, PASSWORD).status_code
        == 302
    )
    assert attempt(Client(REMOTE_ADDR="203.0.113.9"), therapist.email, PASSWORD).status_code == 302


def test_a_spoofed_forwarded_for_header_changes_nothing(therapist):
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for i in range(LIMIT):
        attempt(
            attacker, therapist.email, "nope", HTTP_X_FORWARDED_FOR=f"10.9.{i // 250}.{i % 250}"
        )
    response = attempt(attacker, therapist.email, PASSWORD, HTTP_X_FORWARDED_FOR="10.200.0.1")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_the_lock_ends_after_an_hour(client, therapist):
    fail(client, therapist.email, LIMIT)
    assert attempt(client, therapist.email, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=61))
    assert attempt(client, therapist.email, PASSWORD).status_code == 302


def test_failures_and_the_lockout_are_in_the_audit_trail(client, therapist):
    fail(client, therapist.email, 3)
    failed = AuditEvent.objects.filter(action="login_failed")
    assert failed.count() == 3
    assert {e.actor_id for e in failed} == {therapist.id}
    assert {e.ip for e in failed} == {"127.0.0.1"}
    fail(client, therapist.email, LIMIT - 3)
    assert AuditEvent.objects.filter(action="locked_out", actor=therapist).exists()


def test_an_unknown_account_is_recorded_without_what_was_typed(client, db):
    attempt(client, "my secret password", "x")
    event = AuditEvent.objects.get(action="login_failed")
    assert event.actor is None and event.detail == "no such account"
    assert "secret" not in str(AuditEvent.objects.values().get())


class TestClientAddress:
    def request(self, rf, remote, forwarded=None):
        headers = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            headers["HTTP_X_FORWARDED_FOR"] = forwarded
        return rf.get("/", **headers)

    def test_without_trusted_proxies_it_is_the_peer(self, rf, settings):
        settings.ALLIANCE_TRUSTED_PROXIES = []
        assert client_ip(self.request(rf, "198.51.100.7", "1.2.3.4")) == "198.51.100.7"

    def test_behind_a_trusted_proxy_it_is_the_address_the_proxy_saw(self, rf, settings):
        settings.ALLIANCE_TRUSTED_PROXIES = ["10.0.0.0/8"]
        request = self.request(rf, "10.0.0.2", "6.6.6.6, 203.0.113.5, 10.0.0.1")
        assert client_ip(request) == "203.0.113.5"  # what the client wrote on the left is ignored

    def test_a_header_from_an_untrusted_peer_is_ignored(self, rf, settings):
        settings.ALLIANCE_TRUSTED_PROXIES = ["10.0.0.0/8"]
        assert client_ip(self.request(rf, "198.51.100.7", "10.0.0.5")) == "198.51.100.7"

    def test_garbage_in_the_header_stops_at_the_proxy(self, rf, settings):
        settings.ALLIANCE_TRUSTED_PROXIES = ["10.0.0.1"]
        assert client_ip(self.request(rf, "10.0.0.1", "<script>")) == "10.0.0.1"


@pytest.mark.parametrize("proxies", [["10.0.0.1"]])
def test_behind_a_proxy_each_client_is_counted_apart(therapist, settings, proxies):
    settings.ALLIANCE_TRUSTED_PROXIES = proxies
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    fail(proxy, therapist.email, LIMIT, HTTP_X_FORWARDED_FOR="203.0.113.5")
    locked = attempt(proxy, therapist.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert locked.status_code == 429
    other = attempt(proxy, therapist.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 302


def test_login_and_logout_are_recorded(client, therapist):
    attempt(client, therapist.email, PASSWORD)
    client.post(reverse("logout"))
    actions = list(AuditEvent.objects.filter(actor=therapist).values_list("action", flat=True))
    assert actions[:2] == ["logout", "login"]  # newest first
