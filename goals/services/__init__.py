"""Writes to goals: keyword-only functions; views, forms and tasks stay thin.

`party` is the side acting in the alliance (patient or therapist); the view decides it from
the access rule, the service checks it again against the alliance.
"""

from goals.services.common import GoalConflict, first_review
from goals.services.tracking import (
    goal_enter_in_error,
    goal_hold,
    goal_resume,
    goal_withdraw,
    progress_record,
    review_record,
)
from goals.services.wording import (
    goal_answer,
    goal_create,
    goal_propose,
    goal_record_patient_answer,
    goal_update,
)

__all__ = [
    "GoalConflict",
    "first_review",
    "goal_answer",
    "goal_create",
    "goal_enter_in_error",
    "goal_hold",
    "goal_propose",
    "goal_record_patient_answer",
    "goal_resume",
    "goal_update",
    "goal_withdraw",
    "progress_record",
    "review_record",
]
