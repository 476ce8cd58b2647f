"""Writes to decision talks: keyword-only functions; views and forms stay thin.

Split by feature: the talk's course (talks), what it weighs (contents), and its outcome
(outcomes). Import them from here: `from decisions import services`.
"""

from decisions.services.contents import (
    option_add,
    option_update,
    option_withdraw,
    preferences_set,
)
from decisions.services.outcomes import decision_goal_start, decision_record, decision_review
from decisions.services.talks import (
    LOCKED,
    MIN_OPTIONS,
    OPTION_FIELDS,
    StepEntry,
    steps_record,
    talk_advance,
    talk_defer,
    talk_rename,
    talk_resume,
    talk_start,
)

__all__ = [
    "LOCKED",
    "MIN_OPTIONS",
    "OPTION_FIELDS",
    "StepEntry",
    "decision_goal_start",
    "decision_record",
    "decision_review",
    "option_add",
    "option_update",
    "option_withdraw",
    "preferences_set",
    "steps_record",
    "talk_advance",
    "talk_defer",
    "talk_rename",
    "talk_resume",
    "talk_start",
]
