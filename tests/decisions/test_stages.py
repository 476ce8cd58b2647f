"""Stage rules: the three talks in order, the checklists, deferral, decision and review."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from decisions import selectors, services
from decisions.models import NO_CHANGE_TITLE, DecidedBy, DecisionTalk, ReviewOutcome
from decisions.services import StepEntry
from decisions.steps import STEPS, Stage
from tests.decisions.factories import OptionFactory


def test_it_starts_at_choice_talk_with_wait_and_see_offered(talk):
    assert talk.stage == Stage.CHOICE
    assert [o.title for o in talk.options.all()] == [NO_CHANGE_TITLE]
    assert talk.options.get().is_no_change


def test_it_can_start_without_the_wait_and_see_option(alliance, therapist):
    talk = services.talk_start(
        alliance=alliance, by=therapist, question="Which group?", offer_no_change=False
    )
    assert not talk.options.exists()


def test_each_stage_has_the_articles_steps(talk):
    counts = {stage: talk.steps.filter(stage=stage).count() for stage in STEPS}
    assert counts == {Stage.CHOICE: 5, Stage.OPTION: 6, Stage.DECISION: 4}
    labels = list(talk.steps.order_by("position").values_list("key", flat=True))
    assert labels[0] == "step_back"
    assert labels[-1] == "offer_review"


def test_it_keeps_a_ticked_step_with_its_note_and_day(talk, therapist, today):
    services.steps_record(
        talk=talk,
        by=therapist,
        entries=[StepEntry(key="step_back", done=True, note="Summed up the last month.")],
    )
    step = talk.steps.get(key="step_back")
    assert step.done and step.done_on == today
    assert step.note == "Summed up the last month."


def test_it_refuses_a_step_dated_in_the_future(talk, therapist, today):
    tomorrow = today + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.steps_record(
            talk=talk,
            by=therapist,
            entries=[StepEntry(key="step_back", done=True, done_on=tomorrow)],
        )
    assert "step_back" in error.value.message_dict
    assert not talk.steps.get(key="step_back").done


def test_it_records_unticked_steps_as_skipped_when_moving_on(talk, therapist):
    services.steps_record(talk=talk, by=therapist, entries=[StepEntry(key="step_back", done=True)])
    talk = services.talk_advance(talk=talk, by=therapist, from_stage=Stage.CHOICE)
    choice = talk.steps.filter(stage=Stage.CHOICE)
    assert talk.stage == Stage.OPTION
    assert choice.filter(skipped=True).count() == 4
    assert not choice.get(key="step_back").skipped
    assert not talk.steps.filter(stage=Stage.OPTION, skipped=True).exists()


def test_it_needs_two_options_before_the_decision_talk(talk, therapist):
    services.talk_advance(talk=talk, by=therapist, from_stage=Stage.CHOICE)
    with pytest.raises(ValidationError, match="at least two options"):
        services.talk_advance(talk=talk, by=therapist, from_stage=Stage.OPTION)
    talk.refresh_from_db()
    assert talk.stage == Stage.OPTION


def test_it_moves_on_once_when_the_button_is_pressed_twice(talk, therapist):
    services.talk_advance(talk=talk, by=therapist, from_stage=Stage.CHOICE)
    with pytest.raises(ValidationError, match="already moved on"):
        services.talk_advance(talk=talk, by=therapist, from_stage=Stage.CHOICE)
    talk.refresh_from_db()
    assert talk.stage == Stage.OPTION


def test_it_records_the_decision_only_in_the_decision_talk(talk, option, therapist, today):
    with pytest.raises(ValidationError, match="recorded in the decision talk"):
        services.decision_record(
            talk=talk,
            by=therapist,
            chosen_option=option,
            decided_by=DecidedBy.PATIENT,
            reason="Because.",
            review_on=today + datetime.timedelta(days=7),
        )
    assert selectors.decision_of(DecisionTalk.objects.get(pk=talk.pk)) is None


def test_it_explains_each_missing_part_of_a_decision(decision_talk, therapist, today):
    other_talks_option = OptionFactory()
    with pytest.raises(ValidationError) as error:
        services.decision_record(
            talk=decision_talk,
            by=therapist,
            chosen_option=other_talks_option,
            decided_by="",
            reason="  ",
            review_on=today,
        )
    assert set(error.value.message_dict) == {"chosen_option", "decided_by", "reason", "review_on"}


def test_a_decision_moves_the_talk_to_review_and_skips_the_rest(decided, option, today):
    assert decided.stage == Stage.REVIEW
    assert decided.due_on == today + datetime.timedelta(weeks=4)
    assert decided.decision.chosen_option == option
    assert decided.steps.filter(stage=Stage.DECISION, skipped=True).count() == 4


def test_it_defers_with_a_reason_and_resumes_where_it_was(talk, therapist, today):
    services.talk_advance(talk=talk, by=therapist, from_stage=Stage.CHOICE)
    come_back = today + datetime.timedelta(days=10)
    services.talk_defer(
        talk=talk, by=therapist, reason="Wants to ask her sister.", come_back_on=come_back
    )
    talk.refresh_from_db()
    assert (talk.stage, talk.due_on) == (Stage.DEFERRED, come_back)
    talk = services.talk_resume(talk=talk, by=therapist)
    assert talk.stage == Stage.OPTION
    assert talk.deferrals.get().resumed_at is not None


def test_it_lists_talks_when_their_date_comes(talk, therapist, today):
    services.talk_defer(
        talk=talk, by=therapist, reason="Later.", come_back_on=today + datetime.timedelta(days=3)
    )
    assert selectors.talks_due(user=therapist, today=today) == []
    later = today + datetime.timedelta(days=3)
    assert [t.id for t in selectors.talks_due(user=therapist, today=later)] == [talk.id]


def test_a_review_that_still_fits_can_set_the_next_one(decided, therapist, today):
    later = today + datetime.timedelta(weeks=8)
    review, reopened = services.decision_review(
        talk=decided,
        by=therapist,
        reviewed_on=today,
        outcome=ReviewOutcome.FITS,
        next_review_on=later,
    )
    decided.refresh_from_db()
    assert reopened is None
    assert (decided.stage, decided.due_on) == (Stage.REVIEW, later)


def test_a_review_that_still_fits_without_a_date_closes_the_talk(decided, therapist, today):
    services.decision_review(
        talk=decided, by=therapist, reviewed_on=today, outcome=ReviewOutcome.FITS
    )
    decided.refresh_from_db()
    assert decided.stage == Stage.CLOSED
    assert decided.due_on is None


def test_reopening_keeps_the_earlier_decision(decided, option, therapist, today):
    review, reopened = services.decision_review(
        talk=decided,
        by=therapist,
        reviewed_on=today,
        outcome=ReviewOutcome.REOPEN,
        note="The mornings are too much with the new medication.",
    )
    decided.refresh_from_db()
    assert decided.stage == Stage.CLOSED
    assert decided.decision.chosen_option == option
    assert reopened.follows == decided
    assert reopened.stage == Stage.CHOICE
    carried = reopened.options.get(title=option.title)
    assert carried.appeal is None and carried.patient_words == ""


def test_reopening_needs_to_say_what_changed(decided, therapist, today):
    with pytest.raises(ValidationError) as error:
        services.decision_review(
            talk=decided, by=therapist, reviewed_on=today, outcome=ReviewOutcome.REOPEN
        )
    assert "note" in error.value.message_dict
    assert not DecisionTalk.objects.filter(follows=decided).exists()
