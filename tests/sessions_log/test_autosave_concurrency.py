"""Saves of one draft at once. The first read locks the draft's row, so a second save waits,
then builds on what the first kept: from another window it is refused (409), from the same
window it is kept on top. SQLite runs one writing transaction at a time, so only PostgreSQL
(CI) can show the lock doing this."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from sessions_log import selectors
from sessions_log.models import PsychotherapyNote, Session
from sessions_log.views import notes as views
from tests.sessions_log.factories import make_session
from tests.sessions_log.test_autosave_writes import autosave
from tests.sessions_log.test_note_pages import note

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks (PostgreSQL)"),
]

PAGE = "0f0f0f0f-0000-4000-8000-000000000002"


def _first_lingers(monkeypatch, marker: str) -> None:
    """The save whose posted plan is `marker` lingers after reading (and locking) its draft."""
    build_forms = views._forms

    def slow_forms(request, alliance, session):
        if request.POST.get("plan") == marker:
            time.sleep(0.5)
        return build_forms(request, alliance, session)

    monkeypatch.setattr(views, "_forms", slow_forms)


def _at_once(therapist, url, *posts) -> list[int]:
    """Each post from its own client, in order, 0.15 s apart; their answers' statuses."""
    answers = [None] * len(posts)

    def send(index, data):
        try:
            client = Client()
            client.force_login(therapist)
            answers[index] = client.post(url, data).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=pair) for pair in enumerate(posts)]
    for thread in threads:
        thread.start()
        time.sleep(0.15)
    for thread in threads:
        thread.join(timeout=20)
    return answers


def test_a_second_window_waits_for_the_first_and_is_refused(therapist, alliance, monkeypatch):
    session = make_session(alliance)
    _first_lingers(monkeypatch, "first")
    url = reverse("session_autosave", args=[session.id])
    answers = _at_once(
        therapist, url, note(revision="1", plan="first"), note(revision="1", plan="second")
    )
    # Read before the first had saved, the second would have written over it (a lost update).
    assert answers == [200, 409]
    kept = Session.objects.get(pk=session.pk)
    assert (kept.plan, kept.revision) == ("first", 2)


def test_a_later_save_from_the_same_window_keeps_its_private_note(
    client, therapist, alliance, monkeypatch
):
    session = make_session(alliance)
    client.force_login(therapist)
    autosave(client, session, private_note="A", page_key=PAGE, page_seq="4")
    _first_lingers(monkeypatch, "fifth")
    url = reverse("session_autosave", args=[session.id])
    # The fifth save changes the private note and lingers; the sixth, sent meanwhile, puts
    # it back as it was before the fifth. What the sixth compares with is the fifth's.
    answers = _at_once(
        therapist,
        url,
        note(revision="2", plan="fifth", private_note="AB", page_key=PAGE, page_seq="5"),
        note(revision="2", plan="sixth", private_note="A", page_key=PAGE, page_seq="6"),
    )
    assert answers == [200, 200]
    assert Session.objects.get(pk=session.pk).plan == "sixth"
    assert PsychotherapyNote.objects.get(session=session).text == "A"


def test_the_locked_read_is_refused_outside_a_transaction(therapist, alliance):
    session = make_session(alliance)
    with transaction.atomic():  # compiled here, on this connection
        assert selectors.get_draft_to_save(therapist, session.id) == session
    with pytest.raises(transaction.TransactionManagementError, match="locks its rows"):
        selectors.get_draft_to_save(therapist, session.id)
