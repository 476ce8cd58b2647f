"""Decision talks at each stage, on alice's alliance with patricia (tests/conftest.py)."""

import datetime

import pytest

from decisions import services
from decisions.models import DecidedBy
from decisions.steps import Stage


@pytest.fixture
def talk(alliance, therapist):
    """Just started: choice talk, with "no change / wait and see" offered."""
    return services.talk_start(
        alliance=alliance, by=therapist, question="Should I go back to work part-time now?"
    )


@pytest.fixture
def option(talk, therapist):
    return services.option_add(
        talk=talk,
        by=therapist,
        title="Part-time return in May",
        description="Three mornings a week, building up over two months.",
        benefits="Routine and income; colleagues again.",
        drawbacks="Tiring at first; the panic may come back on the train.",
        appeal=7,
        patient_words="I miss having a reason to get up.",
    )


@pytest.fixture
def decision_talk(talk, option, therapist):
    """At decision talk, with two options: the no-change one and `option`."""
    services.talk_advance(talk=talk, by=therapist, from_stage=Stage.CHOICE)
    return services.talk_advance(talk=talk, by=therapist, from_stage=Stage.OPTION)


@pytest.fixture
def today(alliance):
    return alliance.clinic.today()


@pytest.fixture
def decided(decision_talk, option, therapist, today):
    """Decided together, review in four weeks."""
    services.decision_record(
        talk=decision_talk,
        by=therapist,
        chosen_option=option,
        decided_by=DecidedBy.SHARED,
        reason="I want my days to have a shape again.",
        review_on=today + datetime.timedelta(weeks=4),
    )
    decision_talk.refresh_from_db()
    return decision_talk
