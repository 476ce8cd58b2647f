"""A decision starts goals, pre-filled from the chosen option, linked both ways."""

from django.urls import reverse

from decisions import services
from decisions.models import ReviewOutcome
from goals.models import Goal


def test_it_prefills_a_goal_from_the_chosen_option(client, decided, therapist):
    client.force_login(therapist)
    form = client.get(reverse("decision_goal_new", args=[decided.id])).text
    assert "Part-time return in May" in form
    assert "I want my days to have a shape again." in form
    assert "the panic may come back on the train" in form


def test_it_starts_a_draft_goal_linked_both_ways(client, decided, therapist):
    client.force_login(therapist)
    response = client.post(
        reverse("decision_goal_new", args=[decided.id]),
        {"description": "Work three mornings a week", "relevance": "A shape to my days"},
    )
    goal = Goal.objects.get(alliance=decided.alliance)
    assert response["Location"] == reverse("goal_edit", args=[goal.id])
    assert goal.is_draft
    assert list(goal.decisions.all()) == [decided.decision]
    assert list(decided.decision.goals.all()) == [goal]
    page = client.get(reverse("decision_talk", args=[decided.id])).text
    assert "Work three mornings a week" in page


def test_it_starts_no_goal_from_a_reopened_decision(client, decided, therapist, today):
    services.decision_review(
        talk=decided, by=therapist, reviewed_on=today, outcome=ReviewOutcome.REOPEN, note="No."
    )
    client.force_login(therapist)
    response = client.post(
        reverse("decision_goal_new", args=[decided.id]), {"description": "Work mornings"}
    )
    assert response.status_code == 302
    assert not Goal.objects.filter(alliance=decided.alliance).exists()


def test_the_summary_leaves_out_goals_still_in_draft(client, decided, therapist):
    goal = services.decision_goal_start(
        decision=decided.decision, by=therapist, wording={"description": "Work mornings"}
    )
    client.force_login(therapist)
    summary = client.get(reverse("decision_summary", args=[decided.id])).text
    page = client.get(reverse("decision_talk", args=[decided.id])).text
    assert goal.title not in summary
    assert goal.title in page
