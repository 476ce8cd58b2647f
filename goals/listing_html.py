"""The patient page's table of goals, its rows drawn in Python.

The markup is the one the template wrote, status badges as `goals/partials/status.html` draws
them elsewhere (tests/goals/test_listing_html.py holds both against the templates), and every
value placed in it is escaped.
"""

import datetime

from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from alliance import display
from goals.models import Goal, Lifecycle

_BADGES = {
    Lifecycle.PROPOSED: '<span class="badge text-bg-warning">Waiting for agreement</span>',
    Lifecycle.ACTIVE: '<span class="badge text-bg-success">Active</span>',
    Lifecycle.ENTERED_IN_ERROR: '<span class="badge text-bg-danger">Entered in error</span>',
}
DRAFT = '<span class="badge text-bg-light border">Draft</span>'


def status_badge(goal: Goal) -> str:
    if goal.is_draft:
        return DRAFT
    badge = _BADGES.get(goal.lifecycle_status)
    if badge is None:
        label = escape(goal.get_lifecycle_status_display())
        badge = f'<span class="badge text-bg-secondary">{label}</span>'
    return badge


def _agreement(goal: Goal) -> str:
    if goal.is_draft:
        return "—"
    patient = escape(str(goal.get_patient_agreement_display()).lower())
    therapist = escape(str(goal.get_therapist_agreement_display()).lower())
    return f"Patient {patient}; therapist {therapist}"


def _latest(goal: Goal) -> str:
    text = ""
    if goal.latest_value is not None:
        text = f"{escape(localize(goal.latest_value.normalize()))} {escape(goal.unit)}"
    if goal.latest_gas is not None:
        text += f" (level {'+' if goal.latest_gas > 0 else ''}{goal.latest_gas})"
    return text


def _review(goal: Goal, today: datetime.date) -> str:
    if not goal.next_review_on:
        return ""
    text = escape(display.day(goal.next_review_on))
    if goal.lifecycle_status == Lifecycle.ACTIVE and goal.next_review_on < today:
        text += ' <span class="badge text-bg-danger">Overdue</span>'
    return text


def goal_rows_html(goals: list[Goal], today: datetime.date) -> SafeString:
    """The table's rows for `goals` (goals.selectors.goals_for_alliance)."""
    rows = []
    for goal in goals:
        url = display.record_url("goal_detail", goal.id)
        error = ' class="entered-in-error"' if goal.lifecycle_status == "entered-in-error" else ""
        rows.append(
            f'<tr><td><a href="{url}"{error}>{escape(goal.title)}</a></td>'
            f"<td>{status_badge(goal)}</td><td>{_agreement(goal)}</td>"
            f"<td>{_latest(goal)}</td><td>{_review(goal, today)}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every value above is escaped
