"""The decision, its review (which may reopen the question) and the goals it starts."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from alliance.models import User
from decisions.models import (
    DecidedBy,
    Decision,
    DecisionReview,
    DecisionTalk,
    Option,
    Preference,
    ReviewOutcome,
)
from decisions.selectors import decision_is_current
from decisions.services.talks import (
    MIN_OPTIONS,
    _active_options,
    _check_open,
    _check_therapist,
    _locked_talk,
    _move,
    _skip_unchecked,
    _today,
    talk_start,
)
from decisions.steps import Stage
from goals.models import Goal, Party
from goals.services import goal_create


def decision_record(
    *,
    talk: DecisionTalk,
    by: User,
    chosen_option: Option,
    decided_by: str,
    reason: str,
    review_on: datetime.date,
) -> Decision:
    """The decision that ends the decision talk; it locks the talk's options."""
    with transaction.atomic():
        current = _locked_talk(talk, by=by)
        _check_open(current)
        if current.stage != Stage.DECISION:
            raise ValidationError(
                "A decision is recorded in the decision talk; this talk is at "
                f"{current.get_stage_display().lower()}."
            )
        today = _today(current)
        errors = {}
        options = list(_active_options(current))
        if len(options) < MIN_OPTIONS:
            errors["chosen_option"] = "A decision needs at least two options to choose from."
        elif chosen_option.pk not in {o.pk for o in options}:
            errors["chosen_option"] = "Choose one of this talk's options."
        if decided_by not in DecidedBy.values:
            errors["decided_by"] = "Say who made the decision."
        if not reason.strip():
            errors["reason"] = "Write why, in the patient's words."
        if review_on <= today:
            errors["review_on"] = "Choose a review date after today."
        if errors:
            raise ValidationError(errors)
        _skip_unchecked(current, Stage.DECISION)
        decision = Decision.objects.create(
            talk=current,
            chosen_option=chosen_option,
            decided_by=decided_by,
            reason=reason.strip(),
            review_on=review_on,
            decided_on=today,
            recorded_by=by,
        )
        _move(current, Stage.REVIEW, due_on=review_on)
    return decision


def decision_review(
    *,
    talk: DecisionTalk,
    by: User,
    reviewed_on: datetime.date,
    outcome: str,
    note: str = "",
    next_review_on: datetime.date | None = None,
) -> tuple[DecisionReview, DecisionTalk | None]:
    """Does the decision still fit? Keep it (with or without another review) or reopen it.

    Reopening closes this talk, decision and all, and starts a new talk on the same question
    with the options and preferences carried over; it returns that new talk.
    """
    with transaction.atomic():
        current = _locked_talk(talk, by=by)
        if current.stage != Stage.REVIEW:
            raise ValidationError("Only a decided talk waiting for its review can be reviewed.")
        decision = Decision.objects.get(talk=current)
        today = _today(current)
        errors = {}
        if outcome not in ReviewOutcome.values:
            errors["outcome"] = "Say whether the decision still fits."
        if reviewed_on > today:
            errors["reviewed_on"] = "A review is recorded on or after the day it happened."
        elif reviewed_on < decision.decided_on:
            errors["reviewed_on"] = "That day is before the decision was made."
        if outcome == ReviewOutcome.REOPEN:
            next_review_on = None
            if not note.strip():
                errors["note"] = "Say what has changed, so the new talk starts from it."
        if next_review_on is not None and next_review_on <= today:
            errors["next_review_on"] = "Choose a date after today, or leave it empty."
        if errors:
            raise ValidationError(errors)
        review = DecisionReview.objects.create(
            talk=current,
            decision=decision,
            reviewed_on=reviewed_on,
            outcome=outcome,
            note=note.strip(),
            next_review_on=next_review_on,
            reviewed_by=by,
        )
        if next_review_on is not None:
            _move(current, Stage.REVIEW, due_on=next_review_on)
            return review, None
        _move(current, Stage.CLOSED)
        if outcome == ReviewOutcome.FITS:
            return review, None
        return review, _reopen(current, by=by)


def _reopen(talk: DecisionTalk, *, by: User) -> DecisionTalk:
    new = talk_start(
        alliance=talk.alliance, by=by, question=talk.question, offer_no_change=False, follows=talk
    )
    # The options' content carries over; the patient's view of each is asked afresh.
    Option.objects.bulk_create(
        Option(
            talk=new,
            position=option.position,
            title=option.title,
            description=option.description,
            benefits=option.benefits,
            drawbacks=option.drawbacks,
            is_no_change=option.is_no_change,
        )
        for option in _active_options(talk)
    )
    Preference.objects.bulk_create(
        Preference(talk=new, position=p.position, text=p.text, created_by=by)
        for p in talk.preferences.filter(removed_at__isnull=True)
    )
    return new


def decision_goal_start(*, decision: Decision, by: User, wording: dict) -> Goal:
    """A draft goal from the decision, linked to it (the goal sees it as goal.decisions)."""
    talk = decision.talk
    _check_therapist(alliance=talk.alliance, by=by)
    if not decision_is_current(talk):
        raise ValidationError("This decision was reopened; start goals from the new talk.")
    with transaction.atomic():
        goal = goal_create(
            alliance=talk.alliance, by=by, party=Party.THERAPIST, wording=wording, propose=False
        )
        decision.goals.add(goal)
    return goal
