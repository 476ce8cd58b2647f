from sessions_log.models.notes import (
    Addendum,
    Cosignature,
    ErrorMark,
    PsychotherapyNote,
    SupervisorComment,
)
from sessions_log.models.ratings import AllianceAlert, AllianceRating
from sessions_log.models.session import Session, SessionGoal, SignedNoteError

__all__ = [
    "Addendum",
    "AllianceAlert",
    "AllianceRating",
    "Cosignature",
    "ErrorMark",
    "PsychotherapyNote",
    "Session",
    "SessionGoal",
    "SignedNoteError",
    "SupervisorComment",
]
