"""What the portal shows a patient: only what is shared with them, in fixed queries.

Never notes, psychotherapy notes, risk, alerts or any therapist-only field: the portal reads
goals through `Goal.objects.visible_to(patient)` (put forward, not drafts or errors),
decisions once decided or deferred, and of sessions only their date, to rate them.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from alliance.models import Alliance, User
from decisions.models import DecisionTalk, Stage
from goals.charts import progress_chart
from goals.models import Goal, GoalProgress, Lifecycle
from sessions_log.models import AllianceRating, Session
from sessions_log.models.session import Attendance

RATING_WINDOW = datetime.timedelta(days=7)
SHARED_TALK_STAGES = [Stage.REVIEW, Stage.CLOSED, Stage.DEFERRED]


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


def portal_home(*, user: User) -> list[PortalAlliance]:
    """The patient's alliances, current first, each with its goals and decisions."""
    alliances = list(
        Alliance.objects.visible_to(user)
        .select_related("therapist", "clinic")
        .order_by("status", "-started_on")
    )
    groups = {a.id: PortalAlliance(alliance=a) for a in alliances}
    today = timezone.localdate()
    for goal in patient_goals(user):
        group = groups[goal.alliance_id]
        if goal.lifecycle_status == Lifecycle.PROPOSED:
            group.waiting.append(goal)
        elif goal.lifecycle_status in (Lifecycle.ACTIVE, Lifecycle.ON_HOLD):
            goal.chart = progress_chart(goal=goal, progress=goal.shared_progress, today=today)
            group.agreed.append(goal)
        else:
            group.finished.append(goal)
    talks = (
        DecisionTalk.objects.visible_to(user)
        .filter(stage__in=SHARED_TALK_STAGES)
        .select_related("decision__chosen_option")
        .order_by("-created_at")
    )
    for talk in talks:
        groups[talk.alliance_id].talks.append(talk)
    return list(groups.values())


def sessions_to_rate(*, user: User) -> list[Session]:
    """Attended sessions of the last 7 days that the patient has not rated yet."""
    now = timezone.now()
    rated = AllianceRating.objects.filter(session=OuterRef("pk"), rater="patient")
    return list(
        Session.objects.visible_to(user)
        .filter(
            alliance__status=Alliance.Status.ACTIVE,
            attendance=Attendance.ATTENDED,
            starts_at__lte=now,
            starts_at__gte=now - RATING_WINDOW,
        )
        .exclude(Exists(rated))
        .select_related("alliance__therapist")
        .only("id", "starts_at", "alliance__therapist__full_name", "alliance__status")
        .order_by("-starts_at")
    )


def session_to_rate_or_none(*, user: User, session_id) -> Session | None:
    return next((s for s in sessions_to_rate(user=user) if s.id == session_id), None)
