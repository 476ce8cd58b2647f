"""Two windows save the same draft at once: the first read locks the draft's row, so the second
waits, then finds the revision moved on and keeps nothing of its own (409). SQLite runs one
writing transaction at a time, so only PostgreSQL (CI) can show the lock doing this."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from sessions_log import selectors
from sessions_log.models import Session
from sessions_log.views import notes as views
from tests.sessions_log.factories import make_session
from tests.sessions_log.test_note_pages import note

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks (PostgreSQL)"),
]


def test_the_second_window_waits_for_the_first_and_is_refused(therapist, alliance, monkeypatch):
    session = make_session(alliance)
    events, lock = [], threading.Lock()
    build_forms = views._forms

    def slow_forms(request, alliance, session):
        # The draft has been read (and, with it, locked): the first window lingers here.
        with lock:
            events.append(("forms", request.POST["plan"]))
        time.sleep(0.4)
        return build_forms(request, alliance, session)

    monkeypatch.setattr(views, "_forms", slow_forms)
    url = reverse("session_autosave", args=[session.id])
    answers = {}

    def window(plan):
        client = Client()
        client.force_login(therapist)
        response = client.post(url, note(revision="1", plan=plan))
        with lock:
            events.append(("answered", plan))
        answers[plan] = response.status_code

    threads = [threading.Thread(target=window, args=(plan,)) for plan in ("first", "second")]
    for thread in threads:
        thread.start()
        time.sleep(0.1)
    for thread in threads:
        thread.join(timeout=20)

    assert answers == {"first": 200, "second": 409}
    # The second window's read waited until the first had saved and answered.
    assert events[:2] == [("forms", "first"), ("answered", "first")]
    kept = Session.objects.get(pk=session.pk)
    assert (kept.plan, kept.revision) == ("first", 2)


def test_the_locked_read_is_refused_outside_a_transaction(therapist, alliance):
    session = make_session(alliance)
    with pytest.raises(transaction.TransactionManagementError):
        selectors.get_draft_to_save(therapist, session.id)
    with transaction.atomic():
        assert selectors.get_draft_to_save(therapist, session.id) == session
