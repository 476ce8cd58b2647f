"""The therapist's pages, used as a therapist would: from the question to the review."""

import datetime

from django.urls import reverse

from decisions import selectors
from decisions.models import DecisionTalk, ReviewOutcome
from decisions.steps import Stage


def _steps(talk, stage, done=(), **extra) -> dict:
    data = {"from_stage": stage, **extra}
    for step in talk.steps.filter(stage=stage):
        if step.key in done:
            data[f"{step.key}-done"] = "on"
    return data


def test_the_therapist_runs_a_talk_from_question_to_review(client, alliance, therapist):
    client.force_login(therapist)
    today = alliance.clinic.today()
    response = client.post(
        reverse("decision_new", args=[alliance.id]),
        {"question": "Should I tell my manager?", "offer_no_change": "on"},
    )
    talk = DecisionTalk.objects.get(alliance=alliance)
    assert response["Location"] == reverse("decision_talk", args=[talk.id])
    assert "Steps of choice talk" in client.get(response["Location"]).text

    steps_url = reverse("decision_steps", args=[talk.id])
    client.post(
        steps_url, _steps(talk, Stage.CHOICE, done={"step_back", "offer_choice"}, move_on="1")
    )
    client.post(
        reverse("decision_option_new", args=[talk.id]),
        {"title": "Tell her this week", "benefits": "Support at work", "appeal": "6"},
    )
    client.post(
        reverse("decision_preferences", args=[talk.id]),
        {
            "matters-TOTAL_FORMS": "2",
            "matters-INITIAL_FORMS": "0",
            "matters-0-text": "Keeping my job",
            "matters-0-ORDER": "2",
            "matters-1-text": "Being honest",
            "matters-1-ORDER": "1",
        },
    )
    assert [p.text for p in selectors.talk_preferences(talk)] == ["Being honest", "Keeping my job"]
    client.post(steps_url, _steps(talk, Stage.OPTION, move_on="1"))
    talk.refresh_from_db()
    assert talk.stage == Stage.DECISION

    chosen = talk.options.get(title="Tell her this week")
    client.post(
        reverse("decision_decide", args=[talk.id]),
        {
            "chosen_option": chosen.id,
            "decided_by": "patient",
            "reason": "I don't want to hide it any more.",
            "review_on": (today + datetime.timedelta(days=14)).isoformat(),
        },
    )
    page = client.get(reverse("decision_talk", args=[talk.id])).text
    assert "Tell her this week" in page and "The patient decided" in page
    assert "3 skipped" in page  # choice talk: 5 steps, 2 ticked

    response = client.post(
        reverse("decision_review", args=[talk.id]),
        {
            "reviewed_on": today.isoformat(),
            "outcome": ReviewOutcome.REOPEN,
            "note": "She was off sick; nothing was said.",
        },
    )
    new_talk = DecisionTalk.objects.get(follows=talk)
    assert response["Location"] == reverse("decision_talk", args=[new_talk.id])
    assert "see the earlier talk and its decision" in client.get(response["Location"]).text


def test_it_keeps_what_was_typed_when_the_decision_has_a_mistake(client, decision_talk, therapist):
    client.force_login(therapist)
    response = client.post(
        reverse("decision_decide", args=[decision_talk.id]),
        {"decided_by": "shared", "reason": "It feels right to try.", "review_on": "2001-01-01"},
    )
    assert response.status_code == 200
    assert "It feels right to try." in response.text
    assert "Choose a review date after today." in response.text
    assert "Choose the option the patient settled on." in response.text


def test_it_shows_a_checklist_mistake_beside_the_step(client, talk, therapist):
    client.force_login(therapist)
    tomorrow = talk.alliance.clinic.today() + datetime.timedelta(days=1)
    data = _steps(talk, Stage.CHOICE, done={"step_back"})
    data.update({"step_back-done_on": tomorrow.isoformat(), "step_back-note": "Recapped."})
    response = client.post(reverse("decision_steps", args=[talk.id]), data)
    assert response.status_code == 200
    assert "Choose today or an earlier day." in response.text
    assert "Recapped." in response.text
    assert not talk.steps.get(key="step_back").done


def test_a_stale_checklist_never_overwrites_a_later_stage(client, talk, therapist):
    client.force_login(therapist)
    url = reverse("decision_steps", args=[talk.id])
    client.post(url, _steps(talk, Stage.CHOICE, move_on="1"))
    client.post(url, _steps(talk, Stage.OPTION, done={"check_knowledge"}))
    client.post(url, _steps(talk, Stage.CHOICE))  # an old tab, still at choice talk
    assert talk.steps.get(key="check_knowledge").done


def test_the_summary_reads_as_written_to_the_patient(client, decided, therapist):
    client.force_login(therapist)
    text = client.get(reverse("decision_summary", args=[decided.id])).text
    assert "A summary for Patricia" in text
    assert "You and Alice Therapist decided together" in text
    assert "“I want my days to have a shape again.”" in text
    assert "We will look at this decision again together on" in text
    assert "Skipped" not in text  # the clinician's checklists stay off the summary


def test_the_comparison_puts_the_options_side_by_side(client, decided, option, therapist):
    client.force_login(therapist)
    text = client.get(reverse("decision_compare", args=[decided.id])).text
    assert text.count('<th scope="col"') == 2
    assert "Your choice" in text
    assert "7 out of 10" in text and "I miss having a reason to get up." in text


def test_the_decision_page_waits_for_the_decision_talk(client, talk, therapist):
    client.force_login(therapist)
    response = client.get(reverse("decision_decide", args=[talk.id]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("decision_talk", args=[talk.id])
    assert "recorded during the decision talk" in response.text


def test_deferring_and_taking_up_again(client, talk, therapist):
    client.force_login(therapist)
    come_back = talk.alliance.clinic.today() + datetime.timedelta(days=7)
    client.post(
        reverse("decision_defer", args=[talk.id]),
        {"reason": "Wants to think it over.", "come_back_on": come_back.isoformat()},
    )
    page = client.get(reverse("decision_talk", args=[talk.id])).text
    assert "Deferred at choice talk" in page and "Wants to think it over." in page
    client.post(reverse("decision_resume", args=[talk.id]))
    talk.refresh_from_db()
    assert talk.stage == Stage.CHOICE


def test_record_the_decision_saves_the_ticks_on_the_way(client, decision_talk, therapist):
    client.force_login(therapist)
    data = _steps(decision_talk, Stage.DECISION, done={"elicit_preference"}, then="decide")
    response = client.post(reverse("decision_steps", args=[decision_talk.id]), data)
    assert response["Location"] == reverse("decision_decide", args=[decision_talk.id])
    assert decision_talk.steps.get(key="elicit_preference").done
