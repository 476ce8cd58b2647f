"""Signing locks a note for good: forms, the ORM and (on PostgreSQL) SQL all refuse."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from alliance.models import Supervision
from sessions_log.models import Addendum, ErrorMark, Session, SignedNoteError
from sessions_log.services import notes as services
from tests.sessions_log.factories import make_session


def test_signing_records_who_and_when_and_keeps_a_copy(alliance, therapist):
    session = make_session(alliance, signed=True)
    assert session.signed_by == therapist
    assert session.signed_at is not None
    assert session.signed_copy["assessment"] == "Anxiety easing."


def test_a_signed_note_cannot_be_saved_through_the_orm(alliance):
    session = Session.objects.get(pk=make_session(alliance, signed=True).pk)
    session.assessment = "Rewritten"
    with pytest.raises(SignedNoteError):
        session.save()
    assert Session.objects.get(pk=session.pk).assessment == "Anxiety easing."


def test_a_note_is_never_deleted(alliance):
    session = make_session(alliance)
    with pytest.raises(SignedNoteError):
        session.delete()
    assert Session.objects.filter(pk=session.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_to_change_a_signed_note_even_by_sql(alliance):
    session = make_session(alliance, signed=True)
    with (
        pytest.raises(DatabaseError, match="signed note cannot be changed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE sessions_log_session SET assessment = 'x' WHERE id = %s", [session.pk]
        )
    with (
        pytest.raises(DatabaseError, match="never deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM sessions_log_session WHERE id = %s", [session.pk])
    assert Session.objects.get(pk=session.pk).assessment == "Anxiety easing."


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_to_change_an_addendum(alliance, therapist):
    session = make_session(alliance, signed=True)
    addendum = services.addendum_add(session=session, by=therapist, reason="Late", text="More")
    with (
        pytest.raises(DatabaseError, match="never changed or removed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM sessions_log_addendum WHERE id = %s", [addendum.pk])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_lets_a_draft_change(alliance):
    session = make_session(alliance)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE sessions_log_session SET plan = 'New' WHERE id = %s", [session.pk])
    assert Session.objects.get(pk=session.pk).plan == "New"


def test_signing_twice_is_refused(alliance, therapist):
    session = make_session(alliance, signed=True)
    with pytest.raises(ValidationError, match="signed"):
        services.session_sign(session=session, by=therapist)


def test_an_attended_session_needs_a_note_and_a_plan(alliance, therapist):
    session = make_session(alliance, subjective="", assessment="", plan="")
    with pytest.raises(ValidationError) as refused:
        services.session_sign(session=session, by=therapist)
    assert "plan" in refused.value.message_dict
    assert "assessment" in refused.value.message_dict


def test_a_no_show_is_signed_without_a_note(alliance, therapist):
    session = make_session(alliance, attendance="no_show", subjective="", assessment="", plan="")
    assert services.session_sign(session=session, by=therapist).is_signed


def test_risk_above_none_needs_a_plan(alliance, therapist):
    session = make_session(alliance, risk_level="moderate")
    with pytest.raises(ValidationError) as refused:
        services.session_sign(session=session, by=therapist)
    assert refused.value.message_dict["risk_plan"] == ["A risk above none needs a plan."]


def test_only_the_therapist_signs(alliance, supervisor):
    session = make_session(alliance)
    with pytest.raises(PermissionDenied):
        services.session_sign(session=session, by=supervisor)


def test_addenda_keep_the_original_and_carry_author_time_and_reason(alliance, therapist):
    session = make_session(alliance, signed=True)
    addendum = services.addendum_add(
        session=session, by=therapist, reason="Forgot homework", text="Diary daily."
    )
    assert addendum.author == therapist and addendum.created_at
    assert Session.objects.get(pk=session.pk).assessment == "Anxiety easing."
    addendum.text = "Changed"
    with pytest.raises(SignedNoteError):
        addendum.save()
    with pytest.raises(SignedNoteError):
        addendum.delete()
    assert Addendum.objects.get(pk=addendum.pk).text == "Diary daily."


def test_an_addendum_needs_a_reason(alliance, therapist):
    session = make_session(alliance, signed=True)
    with pytest.raises(ValidationError) as refused:
        services.addendum_add(session=session, by=therapist, reason=" ", text="x")
    assert "reason" in refused.value.message_dict


def test_a_wrong_note_is_marked_not_deleted(alliance, therapist):
    session = make_session(alliance, signed=True)
    services.session_mark_error(session=session, by=therapist, reason="Wrong patient")
    assert ErrorMark.objects.get(session=session).reason == "Wrong patient"
    assert Session.objects.filter(pk=session.pk).exists()


def test_a_supervision_that_requires_it_puts_the_note_in_the_cosign_queue(
    alliance, therapist, supervisor
):
    Supervision.objects.filter(therapist=therapist).update(requires_cosign=True)
    session = make_session(alliance, signed=True)
    assert session.cosign_required
    from sessions_log.selectors import cosign_queue

    assert list(cosign_queue(supervisor=supervisor)) == [session]
    services.session_cosign(session=session, by=supervisor, comment="Good formulation")
    assert list(cosign_queue(supervisor=supervisor)) == []
    assert session.comments.get().text == "Good formulation"


def test_without_the_requirement_nothing_waits(alliance, supervisor):
    session = make_session(alliance, signed=True)
    assert not session.cosign_required
    with pytest.raises(ValidationError):
        services.session_cosign(session=session, by=supervisor)


def test_only_the_current_supervisor_cosigns(alliance, therapist, unrelated_supervisor):
    Supervision.objects.filter(therapist=therapist).update(requires_cosign=True)
    session = make_session(alliance, signed=True)
    with pytest.raises(PermissionDenied):
        services.session_cosign(session=session, by=unrelated_supervisor)


def test_a_draft_keeps_what_was_typed_and_refuses_an_old_revision(alliance, therapist):
    session = make_session(alliance)
    saved = services.session_save_draft(
        session=session,
        by=therapist,
        fields={"plan": "New plan"},
        expected_revision=1,
        private_note="My own thoughts",
    )
    assert saved.revision == 2 and saved.plan == "New plan"
    with pytest.raises(services.DraftConflict):
        services.session_save_draft(
            session=session, by=therapist, fields={"plan": "Older tab"}, expected_revision=1
        )
    assert Session.objects.get(pk=session.pk).plan == "New plan"
