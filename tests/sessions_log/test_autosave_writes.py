"""What an autosave writes: the note as typed, and only the goal work and private note that
changed; a fixed number of statements whatever the draft holds."""

import json
from decimal import Decimal

from django.urls import reverse

from sessions_log.models import PsychotherapyNote, Session, SessionGoal
from sessions_log.services import notes as services
from tests.sessions_log.factories import make_session
from tests.sessions_log.test_note_pages import note


def autosave(client, session, **typed):
    url = reverse("session_autosave", args=[session.id])
    revision = Session.objects.get(pk=session.pk).revision
    response = client.post(url, note(revision=str(revision), **typed))
    assert json.loads(response.content)["saved"] is True, response.content
    return response


def worked_on(goal, value) -> dict:
    prefix = f"goal-{goal.id}"
    return {f"{prefix}-worked_on": "on", f"{prefix}-value": value, f"{prefix}-comment": ""}


def test_typing_in_the_note_leaves_its_goal_work_alone(client, therapist, alliance, active_goal):
    session = make_session(alliance)
    client.force_login(therapist)
    autosave(client, session, **worked_on(active_goal, "2"))
    (work,) = SessionGoal.objects.filter(session=session)

    autosave(client, session, plan="Typed a moment later", **worked_on(active_goal, "2"))

    assert list(SessionGoal.objects.filter(session=session)) == [work]  # the same row
    assert Session.objects.get(pk=session.pk).plan == "Typed a moment later"


def test_a_changed_value_or_a_goal_left_out_is_saved(client, therapist, alliance, active_goal):
    session = make_session(alliance)
    client.force_login(therapist)
    autosave(client, session, **worked_on(active_goal, "2"))
    autosave(client, session, **worked_on(active_goal, "2.5"))
    assert [w.value for w in SessionGoal.objects.filter(session=session)] == [2.5]
    autosave(client, session)
    assert not SessionGoal.objects.filter(session=session).exists()


def test_the_private_note_is_kept_emptied_and_never_made_empty(client, therapist, alliance):
    session = make_session(alliance)
    client.force_login(therapist)
    autosave(client, session, private_note="")
    assert not PsychotherapyNote.objects.filter(session=session).exists()

    autosave(client, session, private_note="I felt protective of her.")
    assert PsychotherapyNote.objects.get(session=session).text == "I felt protective of her."

    autosave(client, session, private_note="")
    assert PsychotherapyNote.objects.get(session=session).text == ""


def test_an_autosave_writes_in_a_fixed_number_of_statements(
    client, therapist, alliance, active_goal, django_assert_max_num_queries
):
    session = make_session(alliance)
    client.force_login(therapist)
    autosave(client, session, **worked_on(active_goal, "2"))
    # One transaction (here a savepoint, in the test's own): the draft read through the access
    # rule, locked, with the private note; its goals; the draft written; the audit row. Goal
    # work, decisions and a private note as saved before are left alone, unread.
    url = reverse("session_autosave", args=[session.id])
    typed = note(revision="2", plan="Later", **worked_on(active_goal, "2"))
    with django_assert_max_num_queries(8):
        response = client.post(url, typed)
    assert json.loads(response.content)["revision"] == 3


def test_goal_work_is_kept_only_on_this_patients_agreed_goals(
    therapist, alliance, active_goal, proposed_goal, other_alliance
):
    import pytest
    from django.core.exceptions import ValidationError

    from sessions_log.services import notes as services
    from tests.goals.factories import ActiveGoalFactory

    session = make_session(alliance)
    elsewhere = ActiveGoalFactory(alliance=other_alliance)

    def save(*goals, value=1):
        current = Session.objects.get(pk=session.pk)
        work = [{"goal": g, "value": value, "gas_level": None, "comment": ""} for g in goals]
        return services.session_save_draft(
            session=current,
            by=therapist,
            fields={},
            expected_revision=current.revision,
            goal_work=work,
        )

    save(active_goal)
    for wrong in (proposed_goal, elsewhere):
        with pytest.raises(ValidationError, match="agreed goals only"):
            save(active_goal, wrong)
    # Once the goal has ended, the work saved on it is left as it is when the draft is saved
    # again unchanged; changing it is refused.
    active_goal.lifecycle_status = "completed"
    active_goal.save()
    save(active_goal)
    with pytest.raises(ValidationError, match="agreed goals only"):
        save(active_goal, value=2)
    assert [w.value for w in SessionGoal.objects.filter(session=session)] == [1]


def test_the_decisions_discussed_are_kept_changed_and_limited_to_this_patient(
    client, therapist, alliance, other_alliance
):
    from tests.decisions.factories import DecisionTalkFactory

    talk, later = DecisionTalkFactory.create_batch(2, alliance=alliance)
    elsewhere = DecisionTalkFactory(alliance=other_alliance)
    session = make_session(alliance)
    client.force_login(therapist)
    through = Session.decisions.through

    autosave(client, session, decisions=[str(talk.id)])
    (row,) = through.objects.filter(session=session)
    autosave(client, session, plan="Typed later", decisions=[str(talk.id)])
    assert list(through.objects.filter(session=session)) == [row]  # the same row, left alone

    autosave(client, session, decisions=[str(talk.id), str(later.id)])
    assert set(Session.objects.get(pk=session.pk).decisions.all()) == {talk, later}
    autosave(client, session)
    assert not through.objects.filter(session=session).exists()

    url = reverse("session_autosave", args=[session.id])
    revision = Session.objects.get(pk=session.pk).revision
    response = client.post(url, note(revision=str(revision), decisions=[str(elsewhere.id)]))
    assert response.status_code == 400
    assert "decisions" in json.loads(response.content)["errors"]
    assert not through.objects.filter(session=session).exists()


def test_work_saved_before_is_known_without_reading_it_and_never_wrongly(
    therapist, alliance, active_goal, django_assert_num_queries
):
    from tests.decisions.factories import DecisionTalkFactory

    session = make_session(alliance)
    talk = DecisionTalkFactory(alliance=alliance)

    def save(value, talks=(talk.id,), **more):
        current = Session.objects.get(pk=session.pk)
        work = [{"goal": active_goal, "value": value, "gas_level": None, "comment": ""}]
        services.session_save_draft(
            session=current,
            by=therapist,
            fields={},
            expected_revision=current.revision,
            goal_work=None if value is None else work,
            decision_ids=list(talks),
            **more,
        )

    save(Decimal("2"))
    rows = list(SessionGoal.objects.filter(session=session))
    # 2 and 2.00 are one value: the locked read and the write, nothing else (with the test's
    # own read of the draft, and the savepoint around the save).
    with django_assert_num_queries(1 + 2 + 2):
        save(Decimal("2.00"))
    assert list(SessionGoal.objects.filter(session=session)) == rows

    save(Decimal("3"))
    assert [w.value for w in SessionGoal.objects.filter(session=session)] == [3]
    save(Decimal("3"), talks=())
    assert not Session.objects.get(pk=session.pk).decisions.exists()
    # A save that leaves the goal work as it is makes what is kept unknown: the next save,
    # bringing the work and decisions of the one before, compares them, and so takes off
    # the decision added in between.
    save(None, talks=(talk.id,))
    save(Decimal("3"), talks=())
    assert not Session.objects.get(pk=session.pk).decisions.exists()
    assert Session.objects.get(pk=session.pk).work_digest is not None
