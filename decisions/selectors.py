"""Reads of decision talks, each a fixed number of queries however many options there are."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from alliance.access import check_can_edit, get_record_or_404
from alliance.compiled_reads import CompiledRead
from alliance.models import Alliance, User
from decisions.models import (
    Decision,
    DecisionReview,
    DecisionTalk,
    Deferral,
    Option,
    Preference,
    StepCheck,
)
from decisions.steps import STAGE_PURPOSE, STEPS, TALK_STAGES, Stage
from goals.models import Goal, Lifecycle

DUE_STAGES = (Stage.REVIEW, Stage.DEFERRED)


def get_talk_or_404(user: User, talk_id) -> DecisionTalk:
    """A talk in the caller's view (through the alliance access rule), or 404."""
    return get_record_or_404(
        DecisionTalk.objects, user, talk_id, "decision__chosen_option", "follows"
    )


def get_talk_for_edit(user: User, talk_id) -> DecisionTalk:
    talk = get_talk_or_404(user, talk_id)
    check_can_edit(user, talk)
    return talk


def get_option_or_404(*, talk: DecisionTalk, option_id) -> Option:
    try:
        return talk.options.get(id=option_id)
    except Option.DoesNotExist:
        raise Http404("No such option in this talk.") from None


def decision_of(talk: DecisionTalk) -> Decision | None:
    try:
        return talk.decision
    except ObjectDoesNotExist:
        return None


def talk_preferences(talk: DecisionTalk) -> list[Preference]:
    """What matters most to the patient now, most important first."""
    return list(talk.preferences.filter(removed_at__isnull=True).order_by("position"))


def decision_is_current(talk: DecisionTalk) -> bool:
    """Decided, and not reopened by a review since: goals may still start from it."""
    if talk.stage == Stage.REVIEW:
        return True
    return talk.stage == Stage.CLOSED and not talk.followed_by.exists()


def _talks_of(alliance_id) -> QuerySet:
    return (
        DecisionTalk.objects.filter(alliance_id=alliance_id)
        .select_related("decision__chosen_option")
        .annotate(
            option_count=Count("options", filter=Q(options__withdrawn_at__isnull=True)),
        )
        .order_by("-created_at")
    )


_TALKS = CompiledRead(_talks_of)


def talks_for_alliance(*, alliance: Alliance) -> list[DecisionTalk]:
    """The alliance's talks, newest first, with their decision and number of options.

    `alliance` comes from the access rule (get_alliance_or_404); each talk is marked `is_due`
    when its review, or the date to take it up again, has come.
    """
    today = alliance.clinic.today()
    talks = _TALKS(alliance.pk)
    for talk in talks:
        talk.is_due = talk.stage in DUE_STAGES and talk.due_on is not None and talk.due_on <= today
    return talks


def talks_due(*, user: User, today: datetime.date) -> list[DecisionTalk]:
    """Talks in the caller's view waiting for a review or to be taken up again."""
    return list(
        DecisionTalk.objects.visible_to(user)
        .due_for_review(today)
        .select_related("alliance__patient", "alliance__therapist")
        .order_by("due_on", "created_at")
    )


@dataclass
class Checklist:
    stage: str
    label: str
    purpose: str
    steps: list[StepCheck]
    is_current: bool
    is_past: bool

    @property
    def done_count(self) -> int:
        return sum(1 for step in self.steps if step.done)

    @property
    def skipped(self) -> list[StepCheck]:
        return [step for step in self.steps if step.skipped]

    @property
    def unchecked_count(self) -> int:
        return sum(1 for step in self.steps if not step.done)


@dataclass
class TalkRecord:
    """Everything a talk's pages show, read in a fixed number of queries."""

    talk: DecisionTalk
    options: list[Option]
    withdrawn: list[Option]
    preferences: list[Preference]
    checklists: list[Checklist]
    decision: Decision | None
    goals: list[Goal] = field(default_factory=list)
    deferrals: list[Deferral] = field(default_factory=list)
    reviews: list[DecisionReview] = field(default_factory=list)
    followed_by: DecisionTalk | None = None

    @property
    def current_checklist(self) -> Checklist | None:
        return next((c for c in self.checklists if c.is_current), None)

    @property
    def open_deferral(self) -> Deferral | None:
        return next((d for d in self.deferrals if d.resumed_at is None), None)

    @property
    def shared_goals(self) -> list[Goal]:
        """The goals a patient may read about: put forward to them, not drafts or errors."""
        return [
            goal
            for goal in self.goals
            if goal.proposed_at and goal.lifecycle_status != Lifecycle.ENTERED_IN_ERROR
        ]


def _stage_reached(talk: DecisionTalk, deferrals: list[Deferral]) -> str:
    """The last of the three talks this talk reached (a deferred talk: where it was left)."""
    if talk.stage in TALK_STAGES:
        return talk.stage
    if talk.stage == Stage.DEFERRED and deferrals:
        return deferrals[-1].from_stage
    return Stage.REVIEW  # decided: every talk is behind it


def talk_record(*, talk: DecisionTalk) -> TalkRecord:
    options = list(talk.options.order_by("position", "created_at"))
    deferrals = list(talk.deferrals.select_related("deferred_by"))
    reached = _stage_reached(talk, deferrals)
    order = [*TALK_STAGES, Stage.REVIEW]
    steps = list(talk.steps.order_by("position"))
    checklists = [
        Checklist(
            stage=stage,
            label=Stage(stage).label,
            purpose=STAGE_PURPOSE[stage],
            steps=[s for s in steps if s.stage == stage],
            is_current=stage == talk.stage,
            is_past=order.index(stage) < order.index(reached),
        )
        for stage in STEPS
    ]
    decision = decision_of(talk)
    return TalkRecord(
        talk=talk,
        options=[o for o in options if o.withdrawn_at is None],
        withdrawn=[o for o in options if o.withdrawn_at is not None],
        preferences=talk_preferences(talk),
        checklists=checklists,
        decision=decision,
        goals=list(decision.goals.order_by("created_at")) if decision else [],
        deferrals=deferrals,
        reviews=list(talk.reviews.select_related("reviewed_by")),
        followed_by=talk.followed_by.first(),
    )


def goal_wording_for(*, decision: Decision) -> dict:
    """A goal's wording pre-filled from the chosen option and the patient's reason."""
    option = decision.chosen_option
    return {
        "description": option.title,
        "steps": option.description,
        "barriers": option.drawbacks,
        "relevance": decision.reason,
    }
