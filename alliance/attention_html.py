"""The items of the home page's "To act on" lists, drawn in Python.

A therapist with a full caseload has a hundred items or more there, and the template drew
each through filters and an include. The markup is the one the template wrote (the alert's
reasons as sessions_log/ratings/alert_reasons.html words them; tests/alliance/
test_attention_html.py holds every list against the template), and every value placed in it
is escaped.
"""

import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from alliance import display

_LIST_TEXT = 50  # characters of a goal or a question, as |truncatechars:50


def _short(text: str) -> str:
    # What Truncator gives a text no longer than the limit (after the same normalising) is
    # that text: it is given without counting its characters one by one.
    normal = unicodedata.normalize("NFC", text)
    return escape(normal if len(normal) <= _LIST_TEXT else Truncator(text).chars(_LIST_TEXT))


def _who(record) -> str:
    return escape(record.alliance.patient.display_name)


def _items(items: list[str]) -> SafeString:
    return mark_safe("".join(items))  # noqa: S308 - every value in the items is escaped


def alert_reasons(alert) -> str:
    """Why an alert was raised, in words, as the template include writes it."""
    text = f"The patient rated the session {escape(alert.patient_total)}/40"
    if alert.below_cutoff:
        text += ", below the clinic's cutoff"
    if alert.dropped:
        joined = " and" if alert.below_cutoff else ","
        text += f"{joined} down from {escape(alert.previous_total)} last time"
    if alert.gap:
        text += f"; the therapist rated it {escape(alert.therapist_total)}/40"
    return text + "."


def alert_items(alerts) -> SafeString:
    return _items(
        f'<li><a href="{escape(display.record_url("alliance_detail", alert.alliance_id))}">'
        f"{_who(alert)}</a>: \n{alert_reasons(alert)}\n "
        f'<span class="small text-body-secondary">'
        f"(session {escape(display.day_month(alert.session.starts_at))})</span></li>"
        for alert in alerts
    )


def review_items(goals, today) -> SafeString:
    return _items(
        f'<li><a href="{escape(display.record_url("goal_review", goal.id))}">{_who(goal)}: '
        f"{_short(goal.title)}</a> · {escape(display.day_month(goal.next_review_on))}"
        + (
            ' <span class="badge text-bg-danger">Overdue</span>'
            if goal.next_review_on is not None and goal.next_review_on < today
            else ""
        )
        + "</li>"
        for goal in goals
    )


def draft_items(sessions) -> SafeString:
    return _items(
        f'<li><a href="{escape(display.record_url("session_edit", session.id))}">{_who(session)}, '
        f"{escape(display.day_month(session.starts_at))}</a></li>"
        for session in sessions
    )


def unanswered_items(goals) -> SafeString:
    disagrees = ' <span class="badge text-bg-warning">Disagrees</span>'
    waiting = ' <span class="small text-body-secondary">not answered</span>'
    return _items(
        f'<li><a href="{escape(display.record_url("goal_detail", goal.id))}">{_who(goal)}: '
        f"{_short(goal.title)}</a>"
        + (disagrees if goal.patient_agreement == "disagree" else waiting)
        + "</li>"
        for goal in goals
    )


def decision_items(talks) -> SafeString:
    return _items(
        f'<li><a href="{escape(display.record_url("decision_talk", talk.id))}">{_who(talk)}: '
        f"{_short(talk.question)}</a> · {escape(display.day_month(talk.due_on))}</li>"
        for talk in talks
    )
