"""The stages of a decision talk and each stage's checklist, as data.

The steps are those of Elwyn et al. (2012), "Shared decision making: a model for clinical
practice" (J Gen Intern Med 27:1361-7), in the article's order; the hints say what each
step looks like in a therapy room. Keys are stored with each ticked step, so never rename
one: add a new key instead.
"""

from dataclasses import dataclass

from django.db import models


class Stage(models.TextChoices):
    CHOICE = "choice", "Choice talk"
    OPTION = "option", "Option talk"
    DECISION = "decision", "Decision talk"
    REVIEW = "review", "Decided: review"
    DEFERRED = "deferred", "Deferred"
    CLOSED = "closed", "Closed"


# The three talks, in order. A talk in one of them is open: its options can still change.
TALK_STAGES = [Stage.CHOICE, Stage.OPTION, Stage.DECISION]
NEXT_STAGE = {Stage.CHOICE: Stage.OPTION, Stage.OPTION: Stage.DECISION}


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    hint: str


STEPS: dict[str, list[Step]] = {
    Stage.CHOICE: [
        Step(
            "step_back",
            "Take a step back",
            "Pause and summarise where you are: there is a decision to make together.",
        ),
        Step(
            "offer_choice",
            "Offer the choices",
            "Say plainly that there is more than one reasonable way forward, "
            "including making no change for now.",
        ),
        Step(
            "justify_choice",
            "Justify the choices and consider preferences",
            "Explain why the choice matters: the options differ, and what the patient "
            "values decides which suits them best.",
        ),
        Step(
            "check_reaction",
            "Monitor the reaction",
            "Notice how the patient takes this. Some feel unsure when asked to choose; "
            "acknowledge it.",
        ),
        Step(
            "defer_closure",
            "Defer closure",
            "If the patient wants you to decide, say you will help, but first look at the "
            "options together.",
        ),
    ],
    Stage.OPTION: [
        Step(
            "check_knowledge",
            "Check what the patient already knows",
            "Ask what they have heard or read, and what they expect from each way forward.",
        ),
        Step(
            "list_options",
            "Give the options",
            "Name every option clearly, with no change / wait and see among them.",
        ),
        Step(
            "describe_options",
            "Describe the options and explore preferences",
            "Talk each option through in plain words and ask how each one sounds.",
        ),
        Step(
            "benefits_harms",
            "Benefits and drawbacks (harms) of each",
            "Say what each option may bring and what it may cost, side by side.",
        ),
        Step(
            "support_deliberation",
            "Support the patient's decision-making",
            "Offer time, a printed summary, or a talk with someone they trust.",
        ),
        Step(
            "summarise_options",
            "Summarise",
            "Go over the options once more and check what the patient understood.",
        ),
    ],
    Stage.DECISION: [
        Step(
            "focus_preferences",
            "Keep the focus on preferences",
            "Bring the talk back to what matters most to the patient.",
        ),
        Step(
            "elicit_preference",
            "Elicit the preferences",
            "Ask which option the patient leans towards, and why.",
        ),
        Step(
            "move_to_decision",
            "Move towards a decision",
            "Check whether they are ready to decide, want more time, or want you to decide.",
        ),
        Step(
            "offer_review",
            "Offer a review",
            "Agree when you will look at the decision again together.",
        ),
    ],
}

ALL_STEPS: list[tuple[str, Step]] = [
    (stage, step) for stage, steps in STEPS.items() for step in steps
]
STEP_INDEX: dict[str, tuple[str, int, Step]] = {
    step.key: (stage, position, step)
    for stage, steps in STEPS.items()
    for position, step in enumerate(steps)
}

# A short line under each stage's heading on its guided page.
STAGE_PURPOSE = {
    Stage.CHOICE: "Make it clear that there is a choice, and that the patient's view matters.",
    Stage.OPTION: "Set out the options, with the benefits and drawbacks of each, "
    "and hear how each one sounds to the patient.",
    Stage.DECISION: "Help the patient say what matters most and reach a decision, "
    "or agree to come back to it.",
    Stage.REVIEW: "The decision is made. Look at it again on the review date: does it still fit?",
    Stage.DEFERRED: "The patient wanted more time. Come back to the talk on the agreed date.",
    Stage.CLOSED: "This talk is finished; its record is kept as it was.",
}
