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


def test_the_locked_read_brings_the_readers_own_private_note(therapist, alliance):
    session = make_session(alliance)
    draft = selectors.get_draft_to_save(therapist, session.id)
    assert draft.private_note_as_locked == (therapist.pk, None)
    PsychotherapyNote.objects.create(session=session, author=therapist, text="Mine")
    draft = selectors.get_draft_to_save(therapist, session.id)
    assert draft.private_note_as_locked == (therapist.pk, "Mine")


@pytest.mark.django_db(transaction=True)
def test_a_draft_is_trusted_as_read_only_in_the_transaction_that_locked_it(therapist, alliance):
    session = make_session(alliance)
    with transaction.atomic():
        draft = selectors.get_draft_to_save(therapist, session.id)
    # Another window saves once that transaction (and its lock) has ended.
    Session.objects.filter(pk=session.pk).update(revision=draft.revision + 1, plan="Theirs")

    def save(instance, plan):
        services.session_save_draft(
            session=instance, by=therapist, fields={"plan": plan}, expected_revision=draft.revision
        )

    # The instance read in the ended transaction is read again, and the other save seen.
    with pytest.raises(services.DraftConflict), transaction.atomic():
        save(draft, "Built on a read whose lock has gone")
    assert Session.objects.get(pk=session.pk).plan == "Theirs"
    with transaction.atomic():
        fresh = selectors.get_draft_to_save(therapist, session.id)
        services.session_save_draft(
            session=fresh, by=therapist, fields={"plan": "Kept"}, expected_revision=fresh.revision
        )
    assert Session.objects.get(pk=session.pk).plan == "Kept"


def test_two_saves_of_one_locked_draft_keep_the_later_private_note(therapist, alliance):
    session = make_session(alliance)
    draft = selectors.get_draft_to_save(therapist, session.id)  # in the test's transaction
    for text in ("Written first", ""):
        services.session_save_draft(
            session=draft,
            by=therapist,
            fields={},
            expected_revision=draft.revision,
            private_note=text,
        )
    assert PsychotherapyNote.objects.get(session=session).text == ""


def test_every_answer_has_one_row_in_the_trail(client, therapist, supervisor, alliance):
    from tests.factories import AllianceFactory

    session = make_session(alliance)
    client.force_login(therapist)
    url = reverse("session_autosave", args=[session.id])
    page = {"page_key": "0f0f0f0f-0000-4000-8000-000000000001"}
    assert client.post(url, note(revision="1", duration_minutes="0")).status_code == 400
    client.post(url, note(revision="1", page_seq="5", **page))
    stale = client.post(url, note(revision="1", page_seq="4", **page))
    assert json.loads(stale.content)["stale"] is True
    assert [r.status for r in _rows(session)] == [400, 200, 200]

    elsewhere = make_session(AllianceFactory(clinic=therapist.clinic))
    other_url = reverse("session_autosave", args=[elsewhere.id])
    assert client.post(other_url, note()).status_code == 404
    client.force_login(supervisor)  # who supervises the therapist: reads, never writes
    assert client.post(url, note(revision="2")).status_code == 403
    assert [r.status for r in _rows(elsewhere)] == [404]
    assert [r.status for r in _rows(session)] == [400, 200, 200, 403]


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
