import datetime

from django.utils import timezone

from sessions_log.models import Session


def make_session(alliance, *, days_ago: int = 1, signed: bool = False, **fields) -> Session:
    """A session on `alliance`, a draft unless `signed`."""
    values = {
        "starts_at": timezone.now() - datetime.timedelta(days=days_ago),
        "subjective": "Felt calmer this week.",
        "assessment": "Anxiety easing.",
        "plan": "Keep the breathing practice.",
    }
    values.update(fields)
    session = Session.objects.create(alliance=alliance, created_by=alliance.therapist, **values)
    if signed:
        from sessions_log.services.notes import session_sign

        session = session_sign(session=session, by=alliance.therapist)
    return session
