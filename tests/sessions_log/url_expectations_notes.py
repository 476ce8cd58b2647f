"""GET statuses of the session-note pages per role fixture."""

import datetime

from django.utils import timezone

from sessions_log.models import Session

LOGIN = 302
THERAPIST_PAGE = {
    "*": 404,
    "therapist": 200,
    "supervisor": 403,
    "patient_user": 403,
    "other_patient_user": 403,
    "clinic_admin": 403,
    "anonymous": LOGIN,
}
# Autosave takes POST only; a GET is refused alike for every clinician, whatever the id.
AUTOSAVE = {**THERAPIST_PAGE, "*": 405, "therapist": 405, "supervisor": 405}
SUPERVISOR_PAGE = {
    **THERAPIST_PAGE,
    "therapist": 403,
    "supervisor": 200,
    "outsider": 403,
    "other_therapist": 403,
    "unrelated_supervisor": 404,
}

EXPECTED = {
    "session_new": THERAPIST_PAGE,
    "session_autosave_new": AUTOSAVE,
    "session_edit": {**THERAPIST_PAGE, "therapist": 302},  # signed: shown, not edited
    "session_autosave": AUTOSAVE,
    "session_detail": {**THERAPIST_PAGE, "supervisor": 200},
    "session_addendum": THERAPIST_PAGE,
    "session_error": THERAPIST_PAGE,
    "session_cosign": SUPERVISOR_PAGE,
    "session_comment": SUPERVISOR_PAGE,
    "session_cosign_queue": {
        "*": 403,
        "supervisor": 200,
        "unrelated_supervisor": 200,
        "anonymous": LOGIN,
    },
}

# An empty POST, where it answers otherwise than GET: autosave of a signed note is a conflict
# (409); a new note's autosave without its fields is a bad request (400).
EXPECTED_POST = {
    "session_autosave": {**THERAPIST_PAGE, "therapist": 409},
    "session_autosave_new": {**THERAPIST_PAGE, "therapist": 400},
}


def url_kwargs(world, therapist) -> dict:
    alliance = world["alliance"]
    session = Session.objects.filter(alliance=alliance, signed_at__isnull=False).first()
    if session is None:
        session = Session.objects.create(
            alliance=alliance,
            created_by=therapist,
            starts_at=timezone.now() - datetime.timedelta(days=1),
            assessment="Settled.",
            plan="Continue.",
            signed_at=timezone.now(),
            signed_by=therapist,
        )
    return {"session_id": session.id}
