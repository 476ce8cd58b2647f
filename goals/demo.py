"""Demo goals in every state, for `manage.py seed_demo` (called from alliance.demo)."""

import datetime
from datetime import timedelta
from decimal import Decimal

from alliance.models import Alliance, User
from goals import services
from goals.models import Goal, GoalProgress


def _wording(today: datetime.date, **fields) -> dict:
    base = {
        "description": "",
        "measure": "",
        "baseline": None,
        "target": None,
        "unit": "",
        "direction": "increase",
        "steps": "",
        "resources": "",
        "barriers": "",
        "relevance": "",
        "target_date": today + timedelta(days=84),
        "review_interval_days": 28,
        "priority": "medium-priority",
        "gas_minus_2": "",
        "gas_minus_1": "",
        "gas_0": "",
        "gas_plus_1": "",
        "gas_plus_2": "",
    }
    base.update(fields)
    return base


def _shop(today):
    return _wording(
        today,
        description="Go to the corner shop on my own, without a panic attack.",
        measure="Trips to the shop alone per week",
        baseline=Decimal(0),
        target=Decimal(3),
        unit="trips",
        steps="Practise the breathing exercise daily; walk to the shop with my sister; "
        "then go alone early in the morning.",
        resources="My sister Kate; the breathing app; sessions every week.",
        barriers="Busy times make it worse: go before 9. If panic starts, breathe and stay "
        "for two minutes before leaving.",
        relevance="I want to get milk for the kids without asking anyone.",
        priority="high-priority",
        gas_minus_2="No trips at all",
        gas_minus_1="Trips only with someone",
        gas_0="Three trips alone a week",
        gas_plus_1="Four or five trips alone",
        gas_plus_2="Any shop, any time",
    )


def _sleep(today):
    return _wording(
        today,
        description="Sleep through most nights without waking before 5.",
        measure="Nights a week I sleep past 5am",
        baseline=Decimal(1),
        target=Decimal(5),
        unit="nights",
        steps="Same bedtime every night; no phone in bed; write worries down before sleep.",
        resources="Sleep diary; the worry-time exercise.",
        barriers="Night shifts twice a month: keep the routine on the other days.",
        relevance="When I sleep I'm a nicer mum.",
        review_interval_days=14,
    )


def _drinking(today):
    return _wording(
        today,
        description="Cut down to drinking on weekends only.",
        measure="Drinking days per week",
        baseline=Decimal(6),
        target=Decimal(2),
        unit="days",
        direction="decrease",
        steps="Alcohol-free weekdays, one week at a time; plan evenings in advance.",
        resources="Running club on Tuesdays; brother's support.",
        barriers="Stress after work: call my brother or go for a run instead.",
        relevance="I don't want my son to see me like my dad was.",
    )


def _walk(today):
    return _wording(
        today,
        description="Walk for 20 minutes outside every day.",
        measure="Days a week with a 20-minute walk",
        baseline=Decimal(1),
        target=Decimal(6),
        unit="days",
        steps="Walk the dog round the park after lunch.",
        resources="The dog; a podcast.",
        barriers="Rain: walk anyway with a coat, or do 20 minutes of stairs.",
        relevance="Feeling the air on my face helps my head.",
    )


def _agree(goal: Goal, *, patient_user: User | None, therapist: User) -> Goal:
    """The patient agrees: in the portal if they have an account, else in a session."""
    if patient_user is None:
        return services.goal_record_patient_answer(
            goal=goal, by=therapist, answer="agree", version=goal.version
        )
    return services.goal_answer(
        goal=goal, by=patient_user, party="patient", answer="agree", version=goal.version
    )


def _backdate(goal: Goal, *, started: datetime.date, next_review: datetime.date) -> None:
    Goal.objects.filter(pk=goal.pk).update(started_on=started, next_review_on=next_review)
    goal.refresh_from_db()


def _progress(goal, therapist, points) -> None:
    for when, value, level, party in points:
        GoalProgress.objects.create(
            goal=goal,
            recorded_on=when,
            value=value,
            gas_level=level,
            reported_by=party,
            recorded_by=therapist,
        )


def seed_goals(*, alliance: Alliance, kind: str, today: datetime.date) -> None:
    """Give one demo alliance its goals, once: `kind` picks the story."""
    if Goal.objects.filter(alliance=alliance).exists():
        return
    therapist = alliance.therapist
    portal = alliance.patient.portal_user
    create = lambda wording, propose=True: services.goal_create(  # noqa: E731
        alliance=alliance, by=therapist, party="therapist", wording=wording, propose=propose
    )
    if kind == "portal":
        shop = _agree(create(_shop(today)), patient_user=portal, therapist=therapist)
        _backdate(shop, started=today - timedelta(days=50), next_review=today + timedelta(days=3))
        _progress(
            shop,
            therapist,
            [
                (today - timedelta(days=42), Decimal(0), -2, "therapist"),
                (today - timedelta(days=28), Decimal(1), -1, "therapist"),
                (today - timedelta(days=14), Decimal(2), -1, "patient"),
                (today - timedelta(days=3), Decimal(3), 0, "patient"),
            ],
        )
        create(_sleep(today))  # waits for the patient's agreement in the portal
        draft = _walk(today)
        draft.update(relevance="", barriers="")
        create(draft, propose=False)
    elif kind == "overdue":
        goal = _agree(create(_drinking(today)), patient_user=None, therapist=therapist)
        _backdate(goal, started=today - timedelta(days=70), next_review=today - timedelta(days=6))
        _progress(
            goal,
            therapist,
            [
                (today - timedelta(days=56), Decimal(5), None, "therapist"),
                (today - timedelta(days=28), Decimal(4), None, "therapist"),
            ],
        )
        done = _agree(create(_walk(today)), patient_user=None, therapist=therapist)
        _backdate(done, started=today - timedelta(days=60), next_review=today)
        services.review_record(
            goal=done,
            by=therapist,
            reviewed_on=today,
            outcome="achieved",
            note="Walking daily for three weeks now.",
        )
    elif kind == "disagreed":
        goal = create(_drinking(today))
        services.goal_record_patient_answer(
            goal=goal,
            by=therapist,
            answer="disagree",
            version=goal.version,
            comment="Weekends only feels too much at once; could we start with three dry days?",
        )
        held = _agree(create(_walk(today)), patient_user=None, therapist=therapist)
        services.goal_hold(goal=held, by=therapist, reason="Knee operation; back in a month.")
    elif kind == "ended":
        wrong = create(_sleep(today))
        services.goal_enter_in_error(
            goal=wrong, by=therapist, reason="Written on the wrong patient's record."
        )
        stopped = _agree(create(_walk(today)), patient_user=None, therapist=therapist)
        services.goal_withdraw(
            goal=stopped, by=therapist, reason="Chose to focus on work stress first."
        )
    elif kind == "review-this-week":
        goal = _agree(create(_sleep(today)), patient_user=portal, therapist=therapist)
        _backdate(goal, started=today - timedelta(days=12), next_review=today + timedelta(days=2))
        _progress(goal, therapist, [(today - timedelta(days=5), Decimal(2), None, "patient")])
