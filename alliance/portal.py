"""What the portal shows a patient: only what is shared with them, in fixed queries.

Never notes, psychotherapy notes, risk, alerts or any therapist-only field: the portal reads
goals through `Goal.objects.visible_to(patient)` (put forward, not drafts or errors),
decisions once decided or deferred, and of sessions only their date, to rate them.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from alliance.compiled_reads import CompiledRead
from alliance.models import Alliance, User
from decisions.models import DecisionTalk, Stage
from goals.charts import progress_chart
from goals.models import Goal, GoalProgress, Lifecycle
from sessions_log.models import AllianceRating, Session
from sessions_log.models.session import Attendance

RATING_WINDOW = datetime.timedelta(days=7)
SHARED_TALK_STAGES = [Stage.REVIEW, Stage.CLOSED, Stage.DEFERRED]
CARE_FIELDS = ("clinic_id", "therapist_id", "patient_id", "started_on", "ended_on", "status")


@dataclass
class PortalAlliance:
    alliance: Alliance
    waiting: list[Goal] = field(default_factory=list)
    agreed: list[Goal] = field(default_factory=list)
    finished: list[Goal] = field(default_factory=list)
    talks: list[DecisionTalk] = field(default_factory=list)


def patient_goals(user: User):
    progress = GoalProgress.objects.filter(entered_in_error=False).order_by("recorded_on")
    return (
        Goal.objects.visible_to(user)
        .select_related("alliance__clinic")
        .prefetch_related(Prefetch("progress", queryset=progress, to_attr="shared_progress"))
        .order_by("created_at")
    )


def visible_cares(user: User) -> list[Alliance]:
    """The patient's alliances, current first, each with its therapist and the version of
    that therapist's caseload (`stamp`), which the portal home's copy is keyed by."""
    return list(
        Alliance.objects.visible_to(user)
        .select_related("therapist")
        # What the portal shows of an episode of care and of its therapist, nothing more.
        .only(*CARE_FIELDS, "therapist__full_name")
        .annotate(stamp=F("therapist__caseload_stamp__version"))
        .order_by("status", "-started_on")
    )


CHARTED = (Lifecycle.ACTIVE, Lifecycle.ON_HOLD)


# The portal home's reads, each limited to the patient's alliances (from `visible_cares`), or
# to goals read through them; compiled once (alliance.compiled_reads).
def _shared_goals(alliance_ids) -> QuerySet:
    return (
        Goal.objects.filter(alliance_id__in=alliance_ids)
        .shared_with_patient()
        .order_by("created_at")
    )


def _progress_values(goal_ids) -> QuerySet:
    """The values recorded for goals, oldest first: what their charts are drawn from."""
    return (
        GoalProgress.objects.filter(goal_id__in=goal_ids, entered_in_error=False)
        .filter(value__isnull=False)
        .only("goal_id", "recorded_on", "value", "reported_by")
        .order_by("recorded_on", "created_at")
    )


def _shared_talks(alliance_ids) -> QuerySet:
    return (
        DecisionTalk.objects.filter(alliance_id__in=alliance_ids, stage__in=SHARED_TALK_STAGES)
        .select_related("decision__chosen_option")
        .order_by("-created_at")
    )


def _sessions_to_rate(alliance_ids, newest, oldest) -> QuerySet:
    rated = AllianceRating.objects.filter(session=OuterRef("pk"), rater="patient")
    return (
        Session.objects.filter(
            alliance_id__in=alliance_ids,
            attendance=Attendance.ATTENDED,
            starts_at__lte=newest,
            starts_at__gte=oldest,
        )
        .exclude(Exists(rated))
        .only("id", "alliance_id", "starts_at")
        .order_by("-starts_at")
    )


_SHARED_GOALS = CompiledRead(_shared_goals)
_PROGRESS_VALUES = CompiledRead(_progress_values)
_SHARED_TALKS = CompiledRead(_shared_talks)
_SESSIONS_TO_RATE = CompiledRead(_sessions_to_rate)


def portal_home(*, user: User, cares: list[Alliance] | None = None) -> list[PortalAlliance]:
    """The patient's alliances, current first, each with its goals and decisions.

    `cares` are `visible_cares(user)` when the caller has read them already; every read
    below is limited to them.
    """
    alliances = visible_cares(user) if cares is None else cares
    groups = {a.id: PortalAlliance(alliance=a) for a in alliances}
    if not groups:
        return []
    today = timezone.localdate()
    ids = list(groups)
    goals = _SHARED_GOALS(ids)
    charted = [goal.id for goal in goals if goal.lifecycle_status in CHARTED]
    progress = {goal_id: [] for goal_id in charted}
    for value in _PROGRESS_VALUES(charted):
        progress[value.goal_id].append(value)
    for goal in goals:
        group = groups[goal.alliance_id]
        goal.alliance = group.alliance
        if goal.lifecycle_status == Lifecycle.PROPOSED:
            group.waiting.append(goal)
        elif goal.lifecycle_status in CHARTED:
            goal.shared_progress = progress[goal.id]
            goal.chart = progress_chart(goal=goal, progress=goal.shared_progress, today=today)
            group.agreed.append(goal)
        else:
            group.finished.append(goal)
    for talk in _SHARED_TALKS(ids):
        talk.alliance = groups[talk.alliance_id].alliance
        groups[talk.alliance_id].talks.append(talk)
    return list(groups.values())


def sessions_to_rate(*, user: User, cares: list[Alliance] | None = None) -> list[Session]:
    """Attended sessions of the last 7 days that the patient has not rated yet.

    `cares` as for `portal_home`: the patient's alliances, read already."""
    if cares is None:
        cares = list(Alliance.objects.visible_to(user).select_related("therapist"))
    current = {a.id: a for a in cares if a.status == Alliance.Status.ACTIVE}
    if not current:
        return []
    now = timezone.now()
    sessions = _SESSIONS_TO_RATE(list(current), now, now - RATING_WINDOW)
    for session in sessions:
        session.alliance = current[session.alliance_id]
    return sessions


def session_to_rate_or_none(*, user: User, session_id) -> Session | None:
    return next((s for s in sessions_to_rate(user=user) if s.id == session_id), None)
