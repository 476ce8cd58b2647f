"""Three months of demo sessions per patient, for `manage.py seed_demo` (from alliance.demo)."""

import datetime
import random

from alliance.models import Alliance, Supervision
from sessions_log.models import Session
from sessions_log.services import notes, ratings

WEEKS = 13
SUBJECTIVE = [
    "Reports a steadier week; slept better on most nights.",
    "Says work has been hard; two difficult evenings.",
    "Describes trying the plan twice and feeling proud afterwards.",
    "Felt low at the weekend after a family visit.",
    "Noticed the old pattern starting and stopped it earlier than before.",
]
ASSESSMENT = [
    "Engaged and reflective; making steady progress on agreed goals.",
    "Mood lower this week, linked to stress at work; coping strategies used.",
    "Confidence growing; avoidance reducing.",
    "Some setback, understood together as part of change; motivation intact.",
]
PLAN = [
    "Continue the agreed steps; review the diary next session.",
    "Practise the breathing exercise daily; one planned exposure step.",
    "Keep the routine; bring examples of difficult moments next time.",
]


def _scores(total: int) -> dict:
    """Four 0-10 items adding up to `total` (as evenly as possible)."""
    base, extra = divmod(total, 4)
    values = [base + (1 if i < extra else 0) for i in range(4)]
    return dict(zip(("goals", "tasks", "bond", "overall"), values, strict=True))


def seed_sessions(
    *, alliance: Alliance, today: datetime.date, strained: bool = False, draft: bool = False
) -> None:
    """Weekly sessions from the start of care (at most WEEKS back), once per alliance."""
    if Session.objects.filter(alliance=alliance).exists():
        return
    patient = alliance.patient
    # Seeded by name, not by id (a new random UUID each time): the same demo every time.
    rng = random.Random(f"{patient.given_name} {patient.family_name}")  # noqa: S311
    therapist = alliance.therapist
    zone = alliance.clinic.zone
    # Weekly, the latest yesterday, back to the start of care (at most WEEKS back).
    days = []
    day = today - datetime.timedelta(days=1)
    while day >= alliance.started_on and len(days) < WEEKS:
        days.insert(0, day)
        day -= datetime.timedelta(days=7)
    for number, day in enumerate(days):
        last = number == len(days) - 1
        starts = datetime.datetime.combine(day, datetime.time(10 + number % 6, 0), tzinfo=zone)
        attendance = "no_show" if number == 3 and len(days) > 6 else "attended"
        session = Session.objects.create(
            alliance=alliance,
            created_by=therapist,
            starts_at=starts,
            attendance=attendance,
            note_format=alliance.clinic.default_note_format,
            subjective=rng.choice(SUBJECTIVE) if attendance == "attended" else "",
            objective="Arrived on time; good eye contact." if attendance == "attended" else "",
            assessment=rng.choice(ASSESSMENT) if attendance == "attended" else "",
            plan=rng.choice(PLAN) if attendance == "attended" else "",
            communication=["active_listening", "empathy"],
            patient_centred=["patient_as_person", "therapeutic_alliance"],
        )
        if last and draft:
            continue  # the latest note is still a draft, to finish and sign
        session = notes.session_sign(session=session, by=therapist)
        if attendance != "attended":
            continue
        # The alliance grows steadily, so that only the strained patient raises an alert.
        patient_total = min(40, 36 + number // 3)
        if strained and last:
            patient_total = 29  # a drop and below the cutoff: an open alert
        ratings.rating_record(
            session=session, by=therapist, rater="therapist", scores=_scores(rng.randint(33, 38))
        )
        if last and alliance.patient.portal_user_id:
            continue  # the portal patient rates their latest session themselves
        ratings.rating_record(
            session=session,
            by=therapist,
            rater="patient",
            scores=_scores(patient_total),
            in_patient_mode=True,
        )
        if number == 1:
            notes.addendum_add(
                session=session,
                by=therapist,
                reason="Homework left out",
                text="Agreed homework: a short diary of anxious moments.",
            )


def settle_cosigning(*, clinic, today: datetime.date) -> None:
    """Co-sign all but each supervisee's latest note, so one waits in the queue."""
    supervisions = Supervision.objects.current(today).filter(clinic=clinic, requires_cosign=True)
    for supervision in supervisions.select_related("supervisor"):
        waiting = list(
            Session.objects.filter(
                alliance__therapist_id=supervision.therapist_id,
                cosign_required=True,
                cosignature__isnull=True,
            ).order_by("-signed_at", "-starts_at")
        )
        for session in waiting[1:]:
            notes.session_cosign(session=session, by=supervision.supervisor)


def seed_clinic_sessions(
    *, alliances, today: datetime.date, strained_patient: str, draft_patient: str
) -> None:
    clinic = None
    for alliance in alliances:
        clinic = alliance.clinic
        name = f"{alliance.patient.given_name} {alliance.patient.family_name}"
        seed_sessions(
            alliance=alliance,
            today=today,
            strained=name == strained_patient,
            draft=name == draft_patient,
        )
    if clinic is not None:
        settle_cosigning(clinic=clinic, today=today)
