import json

from django.db import OperationalError
from django.urls import reverse


def test_it_reports_the_database_and_broker_as_ok(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "broker": "ok"}


def test_it_needs_no_login_and_shows_no_data(client, world):
    body = client.get(reverse("healthz")).text
    assert world["alliance"].patient.family_name not in body
    assert "alice" not in body


def test_it_answers_503_when_the_broker_is_down(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert json.loads(response.content)["broker"] == "down"


def test_it_answers_503_when_the_database_is_down(client, db, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr("alliance.views.health.connection.cursor", refuse)
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "down"
