"""Demo decision talks, one in every stage, for `manage.py seed_demo`.

Each talk is built through the services, as a therapist would, then moved back in time so
that reviews fall due. A talk is found again by its question, so a second run adds nothing.
"""

import datetime
from dataclasses import asdict, dataclass, field

from django.db import transaction

from alliance.models import Alliance
from decisions import services
from decisions.models import DecidedBy, DecisionTalk, ReviewOutcome
from decisions.selectors import decision_of
from decisions.services import StepEntry
from decisions.steps import STEPS, Stage


@dataclass(frozen=True)
class DemoOption:
    title: str
    description: str = ""
    benefits: str = ""
    drawbacks: str = ""
    appeal: int | None = None
    patient_words: str = ""


@dataclass(frozen=True)
class DemoTalk:
    question: str
    reach: str  # the last of the three talks it gets to
    days_ago: int  # when it started
    options: list[DemoOption] = field(default_factory=list)
    no_change_view: tuple[int, str] | None = None
    preferences: list[str] = field(default_factory=list)
    # Per stage, the steps left unticked: skipped when the talk moved on, still to do in the
    # stage it has reached.
    unticked: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # step key: the therapist's note
    chosen: int | None = None  # index into options
    decided_by: str = DecidedBy.SHARED
    reason: str = ""
    review_in_days: int = 28  # from today; negative: the review is overdue
    defer: tuple[str, int] | None = None  # (reason, days from today to come back)
    goal: bool = False
    reopen: tuple[int, str] | None = None  # (days ago, what changed)


TALKS = [
    DemoTalk(
        question="Should we work on the trauma memories now, or keep building coping skills first?",
        reach=Stage.DECISION,
        days_ago=90,
        options=[
            DemoOption(
                "Keep building coping skills first",
                "Eight more weeks of grounding and sleep work before any memory work.",
                "Feel steadier before the hard part.",
                "The nightmares may carry on for longer.",
                8,
                "I don't feel ready to go there yet.",
            ),
            DemoOption(
                "Start trauma-focused work now",
                "Begin talking through the memories in our weekly sessions.",
                "Works on the cause of the nightmares sooner.",
                "Likely to feel worse for a few weeks at first.",
                4,
                "Part of me wants to get it over with.",
            ),
        ],
        no_change_view=(2, "Nothing changing isn't really an option for me."),
        preferences=["Being able to sleep through the night", "Not falling apart at work"],
        chosen=0,
        reason="I want to feel steadier before we start on the memories.",
        review_in_days=-20,
        reopen=(14, "I feel much steadier now and I want to start on the memories."),
    ),
    DemoTalk(
        question="Should we move from weekly to fortnightly sessions?",
        reach=Stage.DECISION,
        days_ago=45,
        options=[
            DemoOption(
                "Fortnightly sessions",
                "Meet every other week, with the same length of session.",
                "More time to practise between sessions; easier to fit around work.",
                "Longer wait if things get hard.",
                7,
                "I think I'm ready to try.",
            ),
        ],
        no_change_view=(5, "Weekly has helped, but it's hard to get the time off."),
        preferences=["Keeping my job", "Knowing I can get help quickly if I slip"],
        unticked={Stage.CHOICE: ["defer_closure"]},
        chosen=0,
        decided_by=DecidedBy.PATIENT,
        reason="I want to see if I can manage with more time between sessions.",
        review_in_days=-3,
    ),
    DemoTalk(
        question="How should we work on the fear of driving: step by step now, or after the "
        "house move?",
        reach=Stage.DECISION,
        days_ago=12,
        options=[
            DemoOption(
                "Step-by-step practice now",
                "Short drives that get a little harder each week, planned together.",
                "Driving again sooner; confidence grows with each step.",
                "Some anxiety during the practice; needs time each week.",
                8,
                "I want to be able to drive the kids to school.",
            ),
            DemoOption(
                "Wait until after the house move",
                "Start the practice in about three months, once settled.",
                "Less on at once.",
                "The fear may grow while avoiding driving.",
                3,
                "I'd just be putting it off.",
            ),
        ],
        preferences=["Driving the kids to school myself", "Not feeling trapped at home"],
        unticked={Stage.OPTION: ["check_knowledge"]},
        chosen=0,
        reason="I want to drive the kids to school before the new term starts.",
        review_in_days=18,
        goal=True,
    ),
    DemoTalk(
        question="Should I ask my GP about medication for sleep?",
        reach=Stage.OPTION,
        days_ago=8,
        options=[
            DemoOption(
                "Ask the GP about medication",
                "Book a GP appointment to talk about short-term sleep medication.",
                "May help sleep quickly.",
                "Side effects; not a long-term answer on its own.",
                5,
                "I'm worried about getting hooked.",
            ),
            DemoOption(
                "Sleep plan in therapy first",
                "Four weeks of a sleep routine and worry time, then decide again.",
                "No medication; skills that last.",
                "Slower to help.",
                6,
            ),
        ],
        unticked={Stage.OPTION: ["support_deliberation", "summarise_options"]},
        defer=("Wants to talk it over with their partner first.", 9),
    ),
    DemoTalk(
        question="Should I join the bereavement support group alongside our sessions?",
        reach=Stage.DECISION,
        days_ago=6,
        options=[
            DemoOption(
                "Join the Tuesday evening group",
                "A group of eight people, meeting weekly for ten weeks.",
                "Meeting others who understand; less alone.",
                "Hearing others' stories may be hard; evenings are tiring.",
                6,
                "It might help to meet people who get it.",
            ),
            DemoOption(
                "Individual sessions only",
                "Carry on with our sessions alone for now.",
                "Keeps things simple.",
                "Misses the support of others in the same place.",
                5,
            ),
        ],
        no_change_view=(3, ""),
        preferences=["Not feeling so alone in the evenings", "Keeping my energy for work"],
        unticked={
            Stage.OPTION: ["support_deliberation"],
            Stage.DECISION: ["move_to_decision", "offer_review"],
        },
        notes={"elicit_preference": "Leans towards the group, worried about the evenings."},
    ),
    DemoTalk(
        question="Which approach for the low mood: getting active again, or talking it "
        "through first?",
        reach=Stage.OPTION,
        days_ago=3,
        options=[
            DemoOption(
                "Behavioural activation",
                "Plan small, doable activities each week and notice their effect on mood.",
                "Often helps mood within weeks.",
                "Hard to start when energy is low.",
            ),
            DemoOption("Talking it through first", "Explore what led to the low mood."),
        ],
        unticked={
            Stage.OPTION: [
                "describe_options",
                "benefits_harms",
                "support_deliberation",
                "summarise_options",
            ]
        },
        notes={"check_knowledge": "Has read about behavioural activation online."},
    ),
    DemoTalk(
        question="Should I tell my manager about the panic attacks?",
        reach=Stage.CHOICE,
        days_ago=1,
        unticked={Stage.CHOICE: ["justify_choice", "check_reaction", "defer_closure"]},
        notes={"step_back": "The panic at work came up in each of the last three sessions."},
    ),
]


def seed_decisions(*, therapist_alliances: list[Alliance], today: datetime.date) -> None:
    """Add the demo talks missing from the given alliances, oldest alliance first."""
    if not therapist_alliances:
        return
    existing = set(
        DecisionTalk.objects.filter(alliance__in=therapist_alliances).values_list(
            "question", flat=True
        )
    )
    for number, demo in enumerate(TALKS):
        if demo.question in existing:
            continue
        alliance = therapist_alliances[number % len(therapist_alliances)]
        with transaction.atomic():
            _seed_talk(demo, alliance=alliance, today=today)


def _seed_talk(demo: DemoTalk, *, alliance: Alliance, today: datetime.date) -> None:
    by = alliance.therapist
    talk = services.talk_start(alliance=alliance, by=by, question=demo.question)
    no_change = talk.options.get()
    if demo.no_change_view:
        appeal, words = demo.no_change_view
        services.option_update(option=no_change, by=by, appeal=appeal, patient_words=words)
    options = [services.option_add(talk=talk, by=by, **asdict(option)) for option in demo.options]
    if demo.preferences:
        services.preferences_set(talk=talk, by=by, items=demo.preferences)
    for stage in (Stage.CHOICE, Stage.OPTION, Stage.DECISION):
        talk.refresh_from_db()
        unticked = demo.unticked.get(stage, [])
        services.steps_record(
            talk=talk,
            by=by,
            entries=[
                StepEntry(
                    key=step.key,
                    done=step.key not in unticked,
                    note=demo.notes.get(step.key, ""),
                )
                for step in STEPS[stage]
            ],
        )
        if stage == demo.reach:
            break
        services.talk_advance(talk=talk, by=by, from_stage=stage)
    if demo.defer:
        reason, in_days = demo.defer
        services.talk_defer(
            talk=talk,
            by=by,
            reason=reason,
            come_back_on=today + datetime.timedelta(days=in_days + demo.days_ago),
        )
    if demo.chosen is not None:
        decision = services.decision_record(
            talk=talk,
            by=by,
            chosen_option=options[demo.chosen],
            decided_by=demo.decided_by,
            reason=demo.reason,
            review_on=today + datetime.timedelta(days=demo.review_in_days + demo.days_ago),
        )
        if demo.goal:
            services.decision_goal_start(
                decision=decision,
                by=by,
                wording={"description": options[demo.chosen].title, "relevance": demo.reason},
            )
    days_ago = min(demo.days_ago, max((today - alliance.started_on).days - 1, 0))
    _move_back(talk, days=days_ago)
    if demo.reopen:
        _seed_reopen(talk, by=by, demo=demo, today=today)


def _move_back(talk: DecisionTalk, *, days: int) -> None:
    """Shift everything dated in the talk `days` into the past, as if it happened then."""
    delta = datetime.timedelta(days=days)
    talk.refresh_from_db()
    talk.created_at -= delta
    talk.stage_changed_at -= delta
    if talk.due_on:
        talk.due_on -= delta
    talk.save(update_fields=["created_at", "stage_changed_at", "due_on"])
    for step in talk.steps.filter(done_on__isnull=False):
        step.done_on -= delta
        step.save(update_fields=["done_on"])
    for deferral in talk.deferrals.all():
        deferral.deferred_on -= delta
        deferral.come_back_on -= delta
        deferral.save(update_fields=["deferred_on", "come_back_on"])
    decision = decision_of(talk)
    if decision:
        decision.decided_on -= delta
        decision.recorded_at -= delta
        decision.review_on -= delta
        decision.save(update_fields=["decided_on", "recorded_at", "review_on"])


def _seed_reopen(talk: DecisionTalk, *, by, demo: DemoTalk, today: datetime.date) -> None:
    days, note = demo.reopen
    days = min(days, demo.days_ago)
    talk.refresh_from_db()
    review, reopened = services.decision_review(
        talk=talk, by=by, reviewed_on=today, outcome=ReviewOutcome.REOPEN, note=note
    )
    review.reviewed_on -= datetime.timedelta(days=days)
    review.save(update_fields=["reviewed_on"])
    _move_back(reopened, days=days)
