"""The SMART check: which of the five parts a goal's wording still lacks, in plain words."""

import datetime
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Part:
    letter: str
    name: str
    fields: tuple[str, ...]
    missing: str
    guidance: str
    example: str


PARTS = [
    Part(
        "S",
        "Specific",
        ("description",),
        "Say exactly what will change.",
        "A specific goal names the behaviour or experience that will be different, so both "
        "of you know what you are agreeing to.",
        "Go to the corner shop on my own, without a panic attack.",
    ),
    Part(
        "M",
        "Measurable",
        ("measure", "baseline", "target", "unit"),
        "Give the measure, where it starts (baseline), where it should get to (target) and "
        "its unit.",
        "A number to watch lets you both see progress instead of guessing at it.",
        "Trips to the shop alone per week: baseline 0, target 3, unit trips.",
    ),
    Part(
        "A",
        "Attainable",
        ("steps", "resources", "barriers"),
        "Write the steps, the resources and support, and the barriers with how to meet them.",
        "A goal is within reach when the way there is planned and what could get in the way "
        "has been talked through.",
        "Steps: practise breathing, then walk to the shop with my sister, then alone. "
        "Resources: my sister, the breathing app. Barriers: busy times; go early.",
    ),
    Part(
        "R",
        "Relevant",
        ("relevance",),
        "Write why this matters, in the patient's own words.",
        "Goals the patient cares about are the ones that get followed through.",
        "“I want to be able to get milk for the kids without asking anyone.”",
    ),
    Part(
        "T",
        "Time-limited",
        ("target_date", "review_interval_days"),
        "Choose a target date and how often you will review it.",
        "A date to aim for and regular reviews keep the goal alive and let you adjust it together.",
        "By 31 March; reviewed every 4 weeks.",
    ),
]


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def missing_parts(wording: dict) -> list[Part]:
    """The SMART parts with a field still empty."""
    return [part for part in PARTS if any(_blank(wording.get(f)) for f in part.fields)]


def wording_errors(wording: dict, *, today: datetime.date) -> dict[str, str]:
    """Rules that hold whenever the values are given, draft or not."""
    errors = {}
    target_date = wording.get("target_date")
    if target_date is not None and target_date <= today:
        errors["target_date"] = "Choose a target date after today."
    baseline, target = wording.get("baseline"), wording.get("target")
    if baseline is not None and target is not None:
        baseline, target = Decimal(baseline), Decimal(target)
        if wording.get("direction") == "decrease" and target >= baseline:
            errors["target"] = "Lower is better here, so the target must be below the baseline."
        elif wording.get("direction") != "decrease" and target <= baseline:
            errors["target"] = "Higher is better here, so the target must be above the baseline."
    gas = [
        wording.get(f) for f in ("gas_minus_2", "gas_minus_1", "gas_0", "gas_plus_1", "gas_plus_2")
    ]
    if any(not _blank(level) for level in gas) and any(_blank(level) for level in gas):
        errors["gas_0"] = "Describe all five attainment levels, or none of them."
    return errors
