"""Goals in each state, made the way goals.services makes them.

`GoalFactory` is a draft with all five SMART parts filled in (what `goal_create` leaves when
the therapist saves without proposing). `ProposedGoalFactory` puts it forward through
`goal_propose`, so version 1 is kept and the proposer agrees; `ActiveGoalFactory` then has
the other side agree, so the goal is active with its first review date set.
"""

import datetime
from decimal import Decimal

import factory

from goals import services
from goals.models import Agreement, Direction, Goal, Party, Priority
from tests.factories import AllianceFactory


def smart_wording(today: datetime.date, **overrides) -> dict:
    """A complete SMART wording, typed as the services take it (dates, Decimals, ints)."""
    wording = {
        # S
        "description": "Go to the corner shop on my own, without a panic attack.",
        # M
        "measure": "Trips to the shop alone per week",
        "baseline": Decimal("0"),
        "target": Decimal("3"),
        "unit": "trips",
        "direction": Direction.INCREASE,
        # A
        "steps": "Practise breathing daily; walk there with my sister; then go alone.",
        "resources": "My sister Kate; the breathing app.",
        "barriers": "Busy times make it worse: go before 9.",
        # R
        "relevance": "I want to get milk for the kids without asking anyone.",
        # T
        "target_date": today + datetime.timedelta(days=90),
        "review_interval_days": 28,
        "priority": Priority.MEDIUM,
    }
    wording.update(overrides)
    return wording


def gas_levels() -> dict:
    """Five described attainment levels, -2 to +2."""
    return {
        "gas_minus_2": "No trips at all",
        "gas_minus_1": "Trips only with someone",
        "gas_0": "Three trips alone a week",
        "gas_plus_1": "Four or five trips alone",
        "gas_plus_2": "Any shop, any time",
    }


def acting_user(alliance, party: str):
    """The user who acts for `party` in the alliance (the patient through their portal)."""
    if party == Party.THERAPIST:
        return alliance.therapist
    return alliance.patient.portal_user


def _other(party: str) -> str:
    return Party.PATIENT if party == Party.THERAPIST else Party.THERAPIST


class GoalFactory(factory.django.DjangoModelFactory):
    """A draft goal: complete SMART wording, not yet put forward."""

    class Meta:
        model = Goal
        skip_postgeneration_save = True

    class Params:
        with_gas = factory.Trait(**gas_levels())

    alliance = factory.SubFactory(AllianceFactory)
    expressed_by = Party.THERAPIST
    created_by = factory.LazyAttribute(lambda o: acting_user(o.alliance, o.expressed_by))

    description = factory.Sequence(lambda n: f"Go to the corner shop alone ({n})")
    measure = "Trips to the shop alone per week"
    baseline = Decimal("0")
    target = Decimal("3")
    unit = "trips"
    direction = Direction.INCREASE
    steps = "Practise breathing daily; walk there with my sister; then go alone."
    resources = "My sister Kate; the breathing app."
    barriers = "Busy times make it worse: go before 9."
    relevance = "I want to get milk for the kids without asking anyone."
    target_date = factory.LazyAttribute(
        lambda o: o.alliance.clinic.today() + datetime.timedelta(days=90)
    )
    review_interval_days = 28
    priority = Priority.MEDIUM


class ProposedGoalFactory(GoalFactory):
    """Put forward by the side that expressed it; the other side has not answered yet."""

    @factory.post_generation
    def put_forward(obj, create, extracted, **kwargs):  # noqa: N805 - factory-boy's hook
        if create:
            party = obj.expressed_by
            services.goal_propose(goal=obj, by=acting_user(obj.alliance, party), party=party)


class ActiveGoalFactory(ProposedGoalFactory):
    """Agreed by both: the other side agreed to version 1."""

    @factory.post_generation
    def agreed(obj, create, extracted, **kwargs):  # noqa: N805 - factory-boy's hook
        if not create:
            return
        other = _other(obj.expressed_by)
        answer = {"goal": obj, "answer": Agreement.AGREE, "version": obj.version}
        if other == Party.PATIENT and obj.alliance.patient.portal_user is None:
            # No portal account: the therapist records the answer given in a session.
            services.goal_record_patient_answer(by=obj.alliance.therapist, **answer)
        else:
            services.goal_answer(by=acting_user(obj.alliance, other), party=other, **answer)
        obj.refresh_from_db()
