"""No portal page ever shows a therapist-only field: each gets a unique marker, then every
page the patient can open is read for any of them."""

import datetime

from django.urls import reverse

from decisions import services as decision_services
from decisions.models import DecidedBy, StepCheck
from decisions.steps import Stage
from goals import services as goal_services
from goals.models import Goal, GoalProgress, GoalReview
from sessions_log.models import PsychotherapyNote
from sessions_log.models.session import NOTE_FIELDS
from sessions_log.services import notes as note_services
from tests.sessions_log.factories import make_session

SESSION_TEXT = [
    "subjective",
    "objective",
    "data",
    "assessment",
    "plan",
    "homework",
    "next_steps",
    "risk_plan",
    "repair",
]


def marker(name: str) -> str:
    return f"ZZSECRET-{name}-ZZ"


def test_no_portal_page_shows_a_therapist_only_field(
    client, alliance, therapist, supervisor, patient_user, active_goal, draft_goal, today
):
    assert set(SESSION_TEXT) <= set(NOTE_FIELDS)
    # Sessions: every part of the note, the private note, addendum, comments, error mark.
    session = make_session(
        alliance, days_ago=1, risk_level="low", **{f: marker(f) for f in SESSION_TEXT}
    )
    PsychotherapyNote.objects.create(
        session=session, author=therapist, text=marker("psychotherapy")
    )
    session = note_services.session_sign(session=session, by=therapist)
    note_services.addendum_add(
        session=session,
        by=therapist,
        reason=marker("addendum-reason"),
        text=marker("addendum-text"),
    )
    note_services.supervisor_comment(session=session, by=supervisor, text=marker("comment"))
    wrong = make_session(alliance, days_ago=3, assessment=marker("error-note"))
    note_services.session_mark_error(session=wrong, by=therapist, reason=marker("error-reason"))
    # Goals: a draft's wording, the therapist's progress notes, reviews, status reasons.
    Goal.objects.filter(pk=draft_goal.pk).update(description=marker("draft"))
    GoalProgress.objects.create(
        goal=active_goal,
        recorded_on=today,
        value=1,
        reported_by="therapist",
        recorded_by=therapist,
        note=marker("progress-note"),
    )
    GoalReview.objects.create(
        goal=active_goal,
        reviewed_on=today,
        outcome="continue",
        note=marker("review-note"),
        reviewed_by=therapist,
    )
    held = goal_services.goal_hold(goal=active_goal, by=therapist, reason=marker("hold"))
    assert held.status_reason
    # Decisions: the therapist's checklist notes on a decided talk.
    talk = decision_services.talk_start(alliance=alliance, by=therapist, question="Go back?")
    option = decision_services.option_add(
        talk=talk,
        by=therapist,
        title="Part-time",
        description="Mornings",
        benefits="Routine",
        drawbacks="Tiring",
        appeal=7,
        patient_words="Yes",
    )
    decision_services.talk_advance(talk=talk, by=therapist, from_stage=Stage.CHOICE)
    decision_services.talk_advance(talk=talk, by=therapist, from_stage=Stage.OPTION)
    decision_services.decision_record(
        talk=talk,
        by=therapist,
        chosen_option=option,
        decided_by=DecidedBy.SHARED,
        reason="Shape to my days",
        review_on=today + datetime.timedelta(weeks=4),
    )
    StepCheck.objects.filter(talk=talk).update(note=marker("step-note"))
    client.force_login(patient_user)
    pages = [
        reverse("portal"),
        reverse("portal_plan"),
        reverse("portal_settings"),
        reverse("portal_goal", args=[active_goal.id]),
        reverse("portal_decision", args=[talk.id]),
        reverse("portal_rate", args=[session.id]),
    ]
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert "ZZSECRET" not in response.text, f"{url} shows therapist-only text"
    home = client.get(reverse("portal")).text
    assert "Go back?" in home  # the shared decision is there, without its notes
