"""GET statuses of the alliance-rating pages per role fixture (merged by url_expectations)."""

# The same signed session as the notes' expectations use.
from tests.sessions_log.url_expectations_notes import url_kwargs  # noqa: F401

LOGIN = 302
NOT_CLINICIANS = {
    "patient_user": 403,
    "other_patient_user": 403,
    "clinic_admin": 403,
    "anonymous": LOGIN,
}
# Without patient mode switched on, its pages send a clinician to their home.
PATIENT_MODE_PAGE = {"*": 302, **NOT_CLINICIANS}

EXPECTED = {
    "rating_therapist": {"*": 404, "therapist": 200, "supervisor": 403, **NOT_CLINICIANS},
    # Handing the device over takes POST only.
    "patient_mode_start": {"*": 405, **NOT_CLINICIANS},
    "patient_mode_rate": PATIENT_MODE_PAGE,
    "patient_mode_thanks": PATIENT_MODE_PAGE,
    "patient_mode_exit": PATIENT_MODE_PAGE,
}

# An empty POST, where it answers otherwise than GET: the therapist hands the device over.
EXPECTED_POST = {
    "patient_mode_start": {"*": 404, "therapist": 302, "supervisor": 403, **NOT_CLINICIANS},
}
