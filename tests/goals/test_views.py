"""The therapist's goal pages, as a user meets them."""

import datetime

import pytest
from django.urls import reverse

from goals import services
from goals.models import Goal, GoalProgress, GoalVersion, Lifecycle


def wording(today, **overrides) -> dict:
    values = {
        "description": "Go to the corner shop alone",
        "measure": "Trips to the shop alone per week",
        "baseline": "0",
        "target": "3",
        "unit": "trips",
        "direction": "increase",
        "steps": "Practise breathing; walk there with my sister; then alone.",
        "resources": "My sister; the breathing app.",
        "barriers": "Busy times: go early in the morning.",
        "relevance": "I want to get milk for the kids without asking anyone.",
        "target_date": (today + datetime.timedelta(days=90)).isoformat(),
        "review_interval_days": "28",
        "priority": "medium-priority",
        "gas_minus_2": "",
        "gas_minus_1": "",
        "gas_0": "",
        "gas_plus_1": "",
        "gas_plus_2": "",
    }
    values.update(overrides)
    return values


def gas_levels() -> dict:
    return {
        "gas_minus_2": "No trips",
        "gas_minus_1": "One trip with company",
        "gas_0": "Three trips alone",
        "gas_plus_1": "Four trips alone",
        "gas_plus_2": "Every day",
    }


@pytest.fixture
def today(alliance):
    return alliance.clinic.today()


@pytest.fixture
def active_goal(alliance, therapist, patient_user, today):
    data = wording(today)
    typed = {
        **data,
        "baseline": 0,
        "target": 3,
        "review_interval_days": 28,
        "target_date": today + datetime.timedelta(days=90),
    }
    goal = services.goal_create(
        alliance=alliance, by=therapist, party="therapist", wording=typed, propose=True
    )
    return services.goal_answer(
        goal=goal, by=patient_user, party="patient", answer="agree", version=goal.version
    )


def test_it_requires_login(client, alliance):
    response = client.get(reverse("goal_new", args=[alliance.id]))
    assert response["Location"].startswith(reverse("login"))


def test_a_draft_can_be_saved_half_written(client, therapist, alliance, today):
    client.force_login(therapist)
    data = wording(today, measure="", relevance="", draft="1")
    response = client.post(reverse("goal_new", args=[alliance.id]), data)
    goal = Goal.objects.get()
    assert response["Location"] == reverse("goal_detail", args=[goal.id])
    assert goal.is_draft
    assert goal.description == "Go to the corner shop alone"


def test_proposing_an_incomplete_goal_says_what_is_missing_and_keeps_the_text(
    client, therapist, alliance, today
):
    client.force_login(therapist)
    data = wording(today, measure="", relevance="", propose="1")
    response = client.post(reverse("goal_new", args=[alliance.id]), data)
    assert response.status_code == 200
    assert not Goal.objects.exists()
    page = response.text
    assert "Before it can be agreed, the goal still needs" in page
    assert "<strong>Measurable</strong>" in page
    assert "<strong>Relevant</strong>" in page
    assert "<strong>Specific</strong>" not in page
    assert "Practise breathing; walk there with my sister; then alone." in page


def test_the_form_gives_guidance_and_an_example_for_each_letter(client, therapist, alliance):
    client.force_login(therapist)
    page = client.get(reverse("goal_new", args=[alliance.id])).text
    for name in ["Specific", "Measurable", "Attainable", "Relevant", "Time-limited"]:
        assert name in page
    assert page.count("For example:") == 5


def test_a_target_in_the_wrong_direction_is_explained_beside_the_field(
    client, therapist, alliance, today
):
    client.force_login(therapist)
    data = wording(today, direction="decrease", propose="1")
    response = client.post(reverse("goal_new", args=[alliance.id]), data)
    assert "Lower is better here, so the target must be below the baseline." in response.text


def test_a_target_date_in_the_past_is_refused(client, therapist, alliance, today):
    client.force_login(therapist)
    data = wording(today, target_date=today.isoformat(), propose="1")
    response = client.post(reverse("goal_new", args=[alliance.id]), data)
    assert "Choose a target date after today." in response.text


def test_proposing_asks_the_patient_and_records_the_therapists_agreement(
    client, therapist, alliance, today
):
    client.force_login(therapist)
    client.post(reverse("goal_new", args=[alliance.id]), wording(today, propose="1"))
    goal = Goal.objects.get()
    assert goal.lifecycle_status == Lifecycle.PROPOSED and not goal.is_draft
    assert goal.therapist_agreement == "agree"
    assert goal.patient_agreement == "pending"
    page = client.get(reverse("goal_detail", args=[goal.id])).text
    assert "Waiting for agreement" in page


def test_the_goal_becomes_active_only_after_the_patient_agrees(
    client, therapist, patient_user, alliance, today
):
    client.force_login(therapist)
    client.post(reverse("goal_new", args=[alliance.id]), wording(today, propose="1"))
    goal = Goal.objects.get()
    assert goal.lifecycle_status != Lifecycle.ACTIVE
    services.goal_answer(
        goal=goal, by=patient_user, party="patient", answer="agree", version=goal.version
    )
    page = client.get(reverse("goal_detail", args=[goal.id])).text
    assert 'badge text-bg-success">Active' in page


def test_changing_an_agreed_goal_makes_a_new_version_and_asks_again(
    client, therapist, active_goal, today
):
    client.force_login(therapist)
    data = wording(
        today,
        target="4",
        reason="Going well: aim higher",
        agree="on",
        revision=active_goal.revision,
    )
    response = client.post(reverse("goal_edit", args=[active_goal.id]), data)
    active_goal.refresh_from_db()
    assert response.status_code == 302
    assert active_goal.version == 2
    assert active_goal.lifecycle_status == Lifecycle.PROPOSED
    assert active_goal.patient_agreement == "pending"
    history = client.get(reverse("goal_history", args=[active_goal.id])).text
    assert "Going well: aim higher" in history
    assert "Version 1" in history and "Version 2" in history


def test_a_changed_wording_needs_a_reason(client, therapist, active_goal, today):
    client.force_login(therapist)
    data = wording(today, target="4", reason="", revision=active_goal.revision)
    response = client.post(reverse("goal_edit", args=[active_goal.id]), data)
    assert response.status_code == 200
    assert "Say why the wording changes: both will see it." in response.text
    assert GoalVersion.objects.filter(goal=active_goal).count() == 1


def test_a_second_editor_sees_a_conflict_and_keeps_their_text(
    client, therapist, active_goal, today
):
    client.force_login(therapist)
    stale = active_goal.revision
    first = wording(today, target="4", reason="First change", revision=stale)
    client.post(reverse("goal_edit", args=[active_goal.id]), first)
    second = wording(today, target="5", steps="My own new steps", reason="Second", revision=stale)
    response = client.post(reverse("goal_edit", args=[active_goal.id]), second)
    active_goal.refresh_from_db()
    assert response.status_code == 409
    assert "changed while you were editing" in response.text
    assert "My own new steps" in response.text
    assert active_goal.target == 4  # the first save stands
    again = client.post(
        reverse("goal_edit", args=[active_goal.id]),
        {**second, "revision": active_goal.revision},
    )
    active_goal.refresh_from_db()
    assert again.status_code == 302
    assert active_goal.target == 5


def test_recording_progress_draws_it_on_the_chart(client, therapist, active_goal, today):
    client.force_login(therapist)
    response = client.post(
        reverse("goal_progress", args=[active_goal.id]),
        {"recorded_on": today.isoformat(), "value": "2", "note": ""},
    )
    assert response.status_code == 302
    progress = GoalProgress.objects.get()
    assert progress.reported_by == "therapist"
    page = client.get(reverse("goal_detail", args=[active_goal.id])).text
    assert "<svg" in page
    assert "1 value recorded" in page
    assert 'class="point point-therapist"' in page


def test_progress_without_a_value_is_refused_beside_the_field(
    client, therapist, active_goal, today
):
    client.force_login(therapist)
    response = client.post(
        reverse("goal_progress", args=[active_goal.id]),
        {"recorded_on": today.isoformat(), "value": "", "note": "Felt better"},
    )
    assert response.status_code == 200
    assert "Enter a value, an attainment level, or both." in response.text
    assert "Felt better" in response.text


def test_a_review_sets_the_next_review_date(client, therapist, active_goal, today):
    client.force_login(therapist)
    client.post(
        reverse("goal_review", args=[active_goal.id]),
        {"reviewed_on": today.isoformat(), "outcome": "continue", "note": "On track"},
    )
    active_goal.refresh_from_db()
    assert active_goal.next_review_on == today + datetime.timedelta(days=28)


def test_a_review_to_revise_leads_to_the_edit_form(client, therapist, active_goal, today):
    client.force_login(therapist)
    response = client.post(
        reverse("goal_review", args=[active_goal.id]),
        {"reviewed_on": today.isoformat(), "outcome": "revise"},
    )
    assert response["Location"] == reverse("goal_edit", args=[active_goal.id])


def test_an_overdue_review_is_flagged(client, therapist, active_goal, today):
    Goal.objects.filter(pk=active_goal.pk).update(next_review_on=today - datetime.timedelta(days=2))
    client.force_login(therapist)
    page = client.get(reverse("alliance_detail", args=[active_goal.alliance.id])).text
    assert "Overdue" in page
    assert "Review overdue" in client.get(reverse("goal_detail", args=[active_goal.id])).text


def test_a_goal_entered_in_error_stays_in_the_record(client, therapist, active_goal):
    client.force_login(therapist)
    response = client.post(
        reverse("goal_error", args=[active_goal.id]), {"reason": "Wrong patient"}
    )
    assert response.status_code == 302
    active_goal.refresh_from_db()
    assert active_goal.lifecycle_status == Lifecycle.ENTERED_IN_ERROR
    page = client.get(reverse("alliance_detail", args=[active_goal.alliance.id])).text
    assert "entered-in-error" in page
    assert active_goal.title in page


def test_hold_and_resume(client, therapist, active_goal):
    client.force_login(therapist)
    client.post(reverse("goal_hold", args=[active_goal.id]), {"reason": "Moving house"})
    active_goal.refresh_from_db()
    assert active_goal.lifecycle_status == Lifecycle.ON_HOLD
    client.post(reverse("goal_resume", args=[active_goal.id]))
    active_goal.refresh_from_db()
    assert active_goal.lifecycle_status == Lifecycle.ACTIVE


def test_the_supervisor_reads_but_cannot_change(client, supervisor, active_goal, today):
    client.force_login(supervisor)
    page = client.get(reverse("goal_detail", args=[active_goal.id])).text
    assert "Read-only." in page
    assert reverse("goal_edit", args=[active_goal.id]) not in page
    response = client.post(
        reverse("goal_edit", args=[active_goal.id]),
        wording(today, target="9", reason="x", revision=active_goal.revision),
    )
    assert response.status_code == 403
    active_goal.refresh_from_db()
    assert active_goal.target == 3


@pytest.mark.parametrize("role", ["other_therapist", "unrelated_supervisor", "outsider"])
def test_others_do_not_find_the_goal(client, request, role, active_goal):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("goal_detail", args=[active_goal.id])).status_code == 404
    response = client.post(reverse("goal_error", args=[active_goal.id]), {"reason": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["patient_user", "clinic_admin"])
def test_patients_and_admins_are_refused_the_therapist_pages(client, request, role, active_goal):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("goal_detail", args=[active_goal.id])).status_code == 403


def test_an_ended_alliance_makes_its_goals_read_only(client, therapist, active_goal):
    alliance = active_goal.alliance
    alliance.status, alliance.ended_on = "ended", alliance.clinic.today()
    alliance.save()
    client.force_login(therapist)
    response = client.post(reverse("goal_hold", args=[active_goal.id]), {"reason": "x"})
    assert response.status_code == 403


def test_the_patient_page_shows_the_gas_t_score(client, therapist, patient_user, alliance, today):
    data = wording(today, **gas_levels())
    typed = {
        **data,
        "baseline": 0,
        "target": 3,
        "review_interval_days": 28,
        "target_date": today + datetime.timedelta(days=90),
    }
    goal = services.goal_create(
        alliance=alliance, by=therapist, party="therapist", wording=typed, propose=True
    )
    services.goal_answer(
        goal=goal, by=patient_user, party="patient", answer="agree", version=goal.version
    )
    goal.refresh_from_db()
    services.progress_record(
        goal=goal, by=therapist, party="therapist", recorded_on=today, gas_level=1
    )
    client.force_login(therapist)
    page = client.get(reverse("alliance_detail", args=[alliance.id])).text
    # One goal at +1: T = 50 + 10 * w / sqrt(0.7 w^2 + 0.3 w^2) = 60.
    assert "T-score of the active goals: <strong>60.0</strong>" in page


@pytest.mark.parametrize("count", [3, 30])
def test_the_patient_page_runs_a_fixed_number_of_queries(
    client, therapist, alliance, today, count, django_assert_max_num_queries
):
    for n in range(count):
        goal = Goal.objects.create(
            alliance=alliance,
            created_by=therapist,
            expressed_by="therapist",
            description=f"Goal {n}",
            lifecycle_status="active",
            baseline=0,
            target=3,
            next_review_on=today,
        )
        GoalProgress.objects.create(
            goal=goal, recorded_on=today, value=1, reported_by="therapist", recorded_by=therapist
        )
    client.force_login(therapist)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("alliance_detail", args=[alliance.id]))
    assert response.text.count("Goal ") >= count


def test_the_goal_page_runs_a_fixed_number_of_queries(
    client, therapist, active_goal, today, django_assert_max_num_queries
):
    for n in range(20):
        services.progress_record(
            goal=active_goal, by=therapist, party="therapist", recorded_on=today, value=n % 4
        )
    client.force_login(therapist)
    with django_assert_max_num_queries(10):
        client.get(reverse("goal_detail", args=[active_goal.id]))
