"""Goals on alice's alliance with patricia (tests/conftest.py), one in each state."""

import pytest

from tests.goals.factories import ActiveGoalFactory, GoalFactory, ProposedGoalFactory


@pytest.fixture
def today(alliance):
    """The clinic's today: every date rule in goals is about the clinic's calendar."""
    return alliance.clinic.today()


@pytest.fixture
def draft_goal(alliance):
    return GoalFactory(alliance=alliance)


@pytest.fixture
def proposed_goal(alliance):
    """Proposed by alice: she agrees, patricia has not answered."""
    return ProposedGoalFactory(alliance=alliance)


@pytest.fixture
def active_goal(alliance):
    """Proposed by alice, agreed by patricia: active, reviewed every 28 days."""
    return ActiveGoalFactory(alliance=alliance)


@pytest.fixture
def gas_goal(alliance):
    """Active, with the five attainment levels described."""
    return ActiveGoalFactory(alliance=alliance, with_gas=True)
