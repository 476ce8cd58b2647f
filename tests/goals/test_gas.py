"""Goal Attainment Scaling T-scores, checked against values worked out by hand.

T = 50 + 10 * sum(w*x) / sqrt((1 - rho) * sum(w^2) + rho * (sum w)^2)
"""

import datetime

import pytest

from goals import selectors, services
from goals.gas import DEFAULT_RHO, t_score
from goals.models import GoalProgress, Priority
from tests.goals.factories import ActiveGoalFactory, ProposedGoalFactory


def test_no_goals_have_no_score():
    assert t_score([]) is None


def test_one_goal_met_as_expected_scores_fifty():
    # sum(w*x) = 0, whatever the weight: T = 50.
    assert t_score([(2, 0)]) == 50


@pytest.mark.parametrize(("weight", "level", "expected"), [(1, 2, 70), (3, -2, 30), (2, 1, 60)])
@pytest.mark.parametrize("rho", [0.0, 0.3, 0.8])
def test_a_single_goal_moves_ten_points_per_level(weight, level, expected, rho):
    # One goal: sqrt((1 - rho) * w^2 + rho * w^2) = w, so T = 50 + 10 * w * x / w = 50 + 10x.
    assert t_score([(weight, level)], rho=rho) == pytest.approx(expected)


def test_two_equal_goals_somewhat_better_than_expected():
    # sum(w*x) = 1 + 1 = 2; sum(w^2) = 2; (sum w)^2 = 4.
    # T = 50 + 10 * 2 / sqrt(0.7 * 2 + 0.3 * 4) = 50 + 20 / sqrt(2.6) = 50 + 20 / 1.61245
    #   = 50 + 12.4035 = 62.40
    assert t_score([(1, 1), (1, 1)]) == pytest.approx(62.40, abs=0.01)


MIXED = [
    (3, 2),
    (2, -1),
    (1, 0),
]  # high priority much better, medium somewhat worse, low as expected


def test_mixed_weights_and_levels():
    # sum(w*x) = 3*2 + 2*(-1) + 1*0 = 4; sum(w^2) = 9 + 4 + 1 = 14; (sum w)^2 = 6^2 = 36.
    # T = 50 + 10 * 4 / sqrt(0.7 * 14 + 0.3 * 36) = 50 + 40 / sqrt(9.8 + 10.8)
    #   = 50 + 40 / sqrt(20.6) = 50 + 40 / 4.53872 = 50 + 8.8130 = 58.81
    assert t_score(MIXED) == pytest.approx(58.81, abs=0.01)


def test_mixed_weights_with_another_rho():
    # rho 0.5: sqrt(0.5 * 14 + 0.5 * 36) = sqrt(7 + 18) = sqrt(25) = 5; T = 50 + 40 / 5 = 58.
    assert t_score(MIXED, rho=0.5) == pytest.approx(58.00, abs=0.01)
    # rho 0: sqrt(14) = 3.74166; T = 50 + 40 / 3.74166 = 50 + 10.6904 = 60.69.
    assert t_score(MIXED, rho=0) == pytest.approx(60.69, abs=0.01)


def test_all_goals_much_less_than_expected():
    # Three equal goals at -2: sum(w*x) = -6; sum(w^2) = 3; (sum w)^2 = 9.
    # T = 50 - 60 / sqrt(0.7 * 3 + 0.3 * 9) = 50 - 60 / sqrt(4.8) = 50 - 60 / 2.19089
    #   = 50 - 27.3861 = 22.61
    assert t_score([(1, -2)] * 3) == pytest.approx(22.61, abs=0.01)


def test_rho_is_point_three_unless_told():
    assert DEFAULT_RHO == 0.3
    assert t_score(MIXED) == t_score(MIXED, rho=0.3)


# The score on the patient page: active goals, weighted by priority, latest level each.


def _level(goal, therapist, level, on):
    services.progress_record(
        goal=goal, by=therapist, party="therapist", recorded_on=on, gas_level=level
    )


def test_the_patient_page_scores_the_active_goals_by_priority(alliance, therapist, today):
    yesterday = today - datetime.timedelta(days=1)
    high, medium, low, achieved = (
        ActiveGoalFactory(alliance=alliance, with_gas=True, priority=priority)
        for priority in (Priority.HIGH, Priority.MEDIUM, Priority.LOW, Priority.HIGH)
    )
    _level(high, therapist, 0, yesterday)
    _level(high, therapist, 2, today)  # the latest level counts
    _level(medium, therapist, -1, today)
    _level(low, therapist, 0, today)
    _level(achieved, therapist, -2, today)
    services.review_record(goal=achieved, by=therapist, reviewed_on=today, outcome="achieved")
    ActiveGoalFactory(alliance=alliance, with_gas=True)  # no level recorded yet
    ProposedGoalFactory(alliance=alliance, with_gas=True)  # not agreed

    goals = selectors.goals_for_alliance(alliance=alliance)

    # Weights 3, 2, 1 at +2, -1, 0: the mixed case above, 58.81.
    assert selectors.gas_t_score(goals) == pytest.approx(58.81, abs=0.01)


def test_a_level_entered_in_error_does_not_count(alliance, therapist, today):
    goal = ActiveGoalFactory(alliance=alliance, with_gas=True)
    _level(goal, therapist, 1, today - datetime.timedelta(days=1))
    _level(goal, therapist, -2, today)
    GoalProgress.objects.filter(goal=goal, gas_level=-2).update(entered_in_error=True)

    goals = selectors.goals_for_alliance(alliance=alliance)

    assert selectors.gas_t_score(goals) == pytest.approx(60)


def test_the_patient_page_has_no_score_before_any_level(alliance, active_goal):
    assert selectors.gas_t_score(selectors.goals_for_alliance(alliance=alliance)) is None
