"""The demo talks: one in every stage, and a second seed adds nothing."""

from decisions import selectors
from decisions.demo import seed_decisions
from decisions.models import Decision, DecisionTalk, Option, StepCheck
from decisions.steps import Stage
from tests.factories import AllianceFactory

MODELS = [DecisionTalk, Option, Decision, StepCheck]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_the_demo_has_a_talk_in_every_stage(therapist):
    alliances = [AllianceFactory(therapist=therapist) for _ in range(7)]
    today = therapist.clinic.today()
    seed_decisions(therapist_alliances=alliances, today=today)
    stages = set(DecisionTalk.objects.values_list("stage", flat=True))
    assert stages == set(Stage.values)
    assert selectors.talks_due(user=therapist, today=today)  # a review has come due
    assert Decision.objects.filter(goals__isnull=False).exists()


def test_seeding_twice_changes_nothing(therapist):
    alliances = [AllianceFactory(therapist=therapist) for _ in range(3)]
    today = therapist.clinic.today()
    seed_decisions(therapist_alliances=alliances, today=today)
    before = _counts()
    seed_decisions(therapist_alliances=list(reversed(alliances)), today=today)
    assert _counts() == before
