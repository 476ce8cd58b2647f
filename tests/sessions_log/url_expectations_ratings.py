"""GET statuses of the alliance-rating pages per role fixture (merged by url_expectations)."""

import datetime

from django.utils import timezone

from sessions_log.models import Session

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


def url_kwargs(world, therapist) -> dict:
    """The same signed session as the notes' expectations use (created once if missing)."""
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
