"""An autosave is one transaction: the draft read through the access rule with its row locked,
the save built on it, and the save's row in the audit trail, kept or lost together."""

import json
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.urls import reverse

from alliance import audit
from alliance.models import AuditEvent
from sessions_log import selectors
from sessions_log.models import PsychotherapyNote, Session
from sessions_log.services import notes as services
from tests.factories import UserFactory
from tests.sessions_log.factories import make_session
from tests.sessions_log.test_autosave_writes import autosave
from tests.sessions_log.test_note_pages import note


def _rows(session):
    return list(AuditEvent.objects.filter(record_id=str(session.id)).order_by("id"))


def test_a_saved_draft_has_one_row_in_the_trail(client, therapist, alliance):
    session = make_session(alliance)
    client.force_login(therapist)
    autosave(client, session, plan="Typed")
    (row,) = _rows(session)
    assert (row.action, row.status, row.url_name) == ("change", 200, "session_autosave")
    assert (row.actor, row.patient_id) == (therapist, alliance.patient_id)


def test_without_its_row_in_the_trail_the_save_is_not_kept(
    client, therapist, alliance, monkeypatch
):
    session = make_session(alliance, plan="As it was")
    client.force_login(therapist)

    def trail_fails(request, response):
        raise RuntimeError("the trail could not be written")

    monkeypatch.setattr(audit, "record_request", trail_fails)
    url = reverse("session_autosave", args=[session.id])
    with pytest.raises(RuntimeError):
        client.post(url, note(revision="1", plan="Typed"))
    kept = Session.objects.get(pk=session.pk)
    assert (kept.plan, kept.revision) == ("As it was", 1)


def test_a_refused_save_changes_nothing_and_is_in_the_trail(client, therapist, alliance):
    session = make_session(alliance, plan="As it was")
    client.force_login(therapist)
    autosave(client, session, plan="From the first window")
    url = reverse("session_autosave", args=[session.id])
    # Another window, opened at revision 1, saves: a conflict, and its text is not kept.
    response = client.post(url, note(revision="1", plan="From the second window"))
    assert response.status_code == 409
    assert Session.objects.get(pk=session.pk).plan == "From the first window"
    assert [(r.status, r.url_name) for r in _rows(session)] == [
        (200, "session_autosave"),
        (409, "session_autosave"),
    ]

    Session.objects.filter(pk=session.pk).update(signed_at=session.starts_at)
    response = client.post(url, note(revision="2"))
    assert json.loads(response.content) == {"saved": False, "signed": True}
    assert [r.status for r in _rows(session)] == [200, 409, 409]


def test_an_unchanged_private_note_is_not_written_again(client, therapist, alliance):
    session = make_session(alliance)
    client.force_login(therapist)
    autosave(client, session, private_note="I felt protective of her.")
    written = PsychotherapyNote.objects.get(session=session).updated_at

    autosave(client, session, plan="Typed later", private_note="I felt protective of her.")
    assert PsychotherapyNote.objects.get(session=session).updated_at == written

    autosave(client, session, private_note="I felt protective of her. Why?")
    kept = PsychotherapyNote.objects.get(session=session)
    assert kept.text == "I felt protective of her. Why?" and kept.updated_at > written


def test_the_draft_read_carries_only_the_readers_own_private_note(therapist, alliance):
    session = make_session(alliance)
    colleague = UserFactory(clinic=therapist.clinic, role=therapist.role)
    kept = PsychotherapyNote.objects.create(session=session, author=colleague, text="Theirs")
    draft = selectors.get_draft_to_save(therapist, session.id)
    assert draft.own_private_note is None and draft.private_note_read_for == therapist.pk
    PsychotherapyNote.objects.filter(pk=kept.pk).update(author=therapist)
    assert selectors.get_draft_to_save(therapist, session.id).own_private_note == "Theirs"


@pytest.mark.django_db(transaction=True)
def test_a_locked_save_runs_only_in_the_transaction_that_read_it(therapist, alliance):
    session = make_session(alliance)
    with pytest.raises(transaction.TransactionManagementError):
        services.session_save_draft(
            session=session, by=therapist, fields={}, expected_revision=1, locked=True
        )
    with transaction.atomic():
        draft = selectors.get_draft_to_save(therapist, session.id)
        services.session_save_draft(
            session=draft, by=therapist, fields={"plan": "Kept"}, expected_revision=1, locked=True
        )
    assert Session.objects.get(pk=session.pk).plan == "Kept"


def test_when_the_transaction_fails_the_row_is_left_to_the_middleware(db, monkeypatch):
    written = []
    monkeypatch.setattr(audit, "record_request", lambda request, response: written.append(response))
    request = SimpleNamespace()
    # The row was written, then the transaction failed (as when its commit fails): the row
    # went with it, and the middleware writes one for the failed request.
    with pytest.raises(RuntimeError), audit.transaction_with_its_row(request) as keep:
        keep("answer")
        raise RuntimeError("the commit failed")
    assert written == ["answer"] and request.audit_recorded is False
    # A transaction that is to be rolled back gets no row inside it.
    request = SimpleNamespace()
    with audit.transaction_with_its_row(request) as keep:
        transaction.set_rollback(True)
        keep("answer")
    assert written == ["answer"] and not getattr(request, "audit_recorded", False)
