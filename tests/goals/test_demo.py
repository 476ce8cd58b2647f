import datetime
import io

import pytest
from django.core.management import call_command

from goals.models import Goal, GoalProgress, GoalVersion


@pytest.fixture
def seeded(demo_clinic, settings):
    settings.DEBUG = True  # for seeding again


def test_the_demo_has_goals_in_every_state(seeded):
    states = set(Goal.objects.values_list("lifecycle_status", flat=True))
    assert {"proposed", "active", "on-hold", "completed", "cancelled", "entered-in-error"} <= (
        states
    )
    assert any(goal.is_draft for goal in Goal.objects.all())
    assert Goal.objects.filter(patient_agreement="disagree").exists()


def test_the_demo_has_reviews_due_this_week_and_overdue(seeded):
    goal = Goal.objects.select_related("alliance__clinic").first()
    today = goal.alliance.clinic.today()
    assert Goal.objects.review_overdue(today).exists()
    assert Goal.objects.filter(
        lifecycle_status="active",
        next_review_on__gte=today,
        next_review_on__lte=today + datetime.timedelta(days=7),
    ).exists()


def test_the_portal_patient_has_a_goal_to_agree_to(seeded):
    waiting = Goal.objects.filter(
        alliance__patient__portal_user__email="patient@demo.test",
        lifecycle_status="proposed",
        proposed_at__isnull=False,
        patient_agreement="pending",
    )
    assert waiting.exists()


def test_seeding_again_adds_no_goals(seeded):
    counts = [model.objects.count() for model in (Goal, GoalProgress, GoalVersion)]
    call_command("seed_demo", stdout=io.StringIO())
    assert [model.objects.count() for model in (Goal, GoalProgress, GoalVersion)] == counts
