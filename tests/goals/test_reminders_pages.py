"""Where reminders show: the goal page, the therapist's failed-reminder list; the command; the demo.

alice (therapist) and patricia (patient_user) share `alliance`; bob is another therapist.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from alliance.models import Clinic
from goals.models import Goal, ReviewReminder
from goals.reminders.selectors import failed_reminders_for
from goals.reminders.sweep import sweep
from tests.goals.factories import ActiveGoalFactory


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def reminder(goal: Goal, user, *, status="pending", due_on=None, **fields) -> ReviewReminder:
    due_on = due_on or goal.next_review_on
    audience = "patient" if user.is_patient else "therapist"
    if status == "sent":
        fields.setdefault("sent_at", timezone.now())
    return ReviewReminder.objects.create(
        goal=goal,
        due_on=due_on,
        recipient=user,
        audience=audience,
        remind_on=due_on - days(3),
        status=status,
        **fields,
    )


# The goal page.


def test_the_goal_page_shows_reminders_sent_and_failed(
    client, therapist, patient_user, active_goal
):
    due_on = active_goal.next_review_on
    reminder(active_goal, therapist, status="sent")
    reminder(active_goal, patient_user, status="failed", attempts=5)
    client.force_login(therapist)
    page = client.get(reverse("goal_detail", args=[active_goal.id])).text
    assert "Review reminders" in page
    assert f"Review of {due_on:%-d %b %Y}</strong> · to the therapist:" in page
    assert "emailed" in page
    assert "Not sent</span> after 5 tries" in page


def test_the_goal_page_does_not_list_pending_reminders(client, therapist, active_goal):
    reminder(active_goal, therapist)
    client.force_login(therapist)
    page = client.get(reverse("goal_detail", args=[active_goal.id])).text
    assert "No reminder sent yet." in page


def test_the_supervisor_sees_the_reminders_too(client, supervisor, therapist, active_goal):
    reminder(active_goal, therapist, status="sent")
    client.force_login(supervisor)
    page = client.get(reverse("goal_detail", args=[active_goal.id])).text
    assert "to the therapist:" in page


# The therapist's failed reminders.


def test_failed_reminders_are_the_therapist_s_own(
    therapist, other_therapist, patient_user, active_goal, other_alliance
):
    mine = reminder(active_goal, patient_user, status="failed")
    theirs = ActiveGoalFactory(alliance=other_alliance)
    reminder(theirs, other_therapist, status="failed")
    reminder(active_goal, therapist, status="sent")
    assert list(failed_reminders_for(therapist=therapist)) == [mine]


def test_a_failed_reminder_retires_once_the_review_moves_on(therapist, active_goal):
    reminder(active_goal, therapist, status="failed")
    Goal.objects.filter(pk=active_goal.pk).update(
        next_review_on=active_goal.next_review_on + days(28)
    )
    assert list(failed_reminders_for(therapist=therapist)) == []


def test_the_failed_reminders_partial_links_to_the_goal(therapist, patient_user, active_goal):
    reminder(active_goal, patient_user, status="failed")
    html = render_to_string(
        "goals/partials/failed_reminders.html",
        {"failed_reminders": failed_reminders_for(therapist=therapist)},
    )
    assert "Review reminders that could not be sent" in html
    assert reverse("goal_detail", args=[active_goal.id]) in html
    assert "Patricia Quill" in html
    assert "the reminder to the patient" in html


def test_the_failed_reminders_partial_is_empty_without_failures(therapist):
    html = render_to_string(
        "goals/partials/failed_reminders.html",
        {"failed_reminders": failed_reminders_for(therapist=therapist)},
    )
    assert html.strip() == ""


# manage.py sweep_reminders.


def run_sweep() -> list[str]:
    out = io.StringIO()
    call_command("sweep_reminders", stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture
def any_hour(clinic):
    """The clinic's reminder hour has always passed, whenever the test runs."""
    Clinic.objects.filter(pk=clinic.pk).update(reminder_hour=0)


def test_the_command_says_how_many_it_created_then_none(any_hour, active_goal, today):
    Goal.objects.filter(pk=active_goal.pk).update(next_review_on=today + days(1))
    assert run_sweep()[-1] == "2 reminders created"
    assert run_sweep()[-1] == "0 reminders created"


def test_the_command_says_which_clinic_waits_for_its_hour(clinic):
    Clinic.objects.filter(pk=clinic.pk).update(reminder_hour=23)
    lines = run_sweep()
    if timezone.localtime(timezone=clinic.zone).hour < 23:
        assert "Riverside Therapy: waiting for its reminder hour (23:00 Europe/London)" in lines
    assert lines[-1] == "0 reminders created"


# The demo.


def test_the_demo_s_first_sweep_creates_reminders(demo_clinic):
    clinic = Clinic.objects.get(name="Riverside Therapy Centre")
    noon = datetime.datetime.combine(clinic.today(), datetime.time(12), tzinfo=clinic.zone)
    result = sweep(now=noon)
    assert result.created > 0
    audiences = set(ReviewReminder.objects.values_list("audience", flat=True))
    assert audiences == {"therapist", "patient"}
    # Both kinds of review: coming up this week, and overdue.
    today = clinic.today()
    dues = set(ReviewReminder.objects.values_list("due_on", flat=True))
    assert any(d < today for d in dues)
    assert any(d >= today for d in dues)
    assert sweep(now=noon).created == 0
