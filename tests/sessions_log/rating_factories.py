"""Sessions and alliance ratings for the ratings and alerts tests."""

import datetime

from django.utils import timezone

from alliance.models import Alliance
from sessions_log.models import Session
from sessions_log.services.ratings import rating_record


def scores(total: int) -> dict[str, int]:
    """Four 0-10 items adding up to `total`, as evenly as possible."""
    base, extra = divmod(total, 4)
    values = [base + (1 if index < extra else 0) for index in range(4)]
    return dict(zip(("goals", "tasks", "bond", "overall"), values, strict=True))


def make_session(alliance: Alliance, *, days_ago: float = 1, **fields) -> Session:
    """A draft session on `alliance`, `days_ago` days back."""
    starts_at = timezone.now() - datetime.timedelta(days=days_ago)
    return Session.objects.create(
        alliance=alliance, created_by=alliance.therapist, starts_at=starts_at, **fields
    )


def rate(session: Session, *, patient: int | None = None, therapist: int | None = None):
    """Record the patient's total and/or the therapist's, in that order.

    The patient rates in the portal when they have an account, else on the therapist's device.
    """
    alliance = session.alliance
    if patient is not None:
        portal_user = alliance.patient.portal_user
        rating_record(
            session=session,
            by=portal_user or alliance.therapist,
            rater="patient",
            scores=scores(patient),
            in_patient_mode=portal_user is None,
        )
    if therapist is not None:
        rating_record(
            session=session, by=alliance.therapist, rater="therapist", scores=scores(therapist)
        )
    return session


def rated_sessions(alliance: Alliance, totals: list[tuple[int | None, int | None]]):
    """One weekly session per (patient, therapist) pair, oldest first."""
    count = len(totals)
    return [
        rate(make_session(alliance, days_ago=7 * (count - index)), patient=p, therapist=t)
        for index, (p, t) in enumerate(totals)
    ]
