"""The patient page's table of sessions, its rows drawn in Python.

The page lists up to 20 sessions on every first visit; a template loop with a link, a date
and the note's state per row cost more than the rest of the record. The markup is the one the
template wrote (tests/sessions_log/test_listing_html.py holds it against the template), and
every value placed in it is escaped.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from alliance import display

DRAFT = '<span class="badge text-bg-warning">Draft</span>'


def _note(session: dict) -> str:
    if session["is_error"]:
        return "Entered in error"
    if not session["signed_at"]:
        return DRAFT
    text = "Signed"
    if addenda := session["addenda_count"]:
        text += f", {addenda} addend{'um' if addenda == 1 else 'a'}"
    if session["cosign_required"] and not session["is_cosigned"]:
        text += " · waiting for co-signature"
    return text


def session_rows_html(sessions: list[dict]) -> SafeString:
    """The table's rows for `sessions` (sessions_log.selectors.sessions_listed)."""
    rows = []
    for session in sessions:
        url = display.record_url("session_detail", session["id"])
        error = ' class="entered-in-error"' if session["is_error"] else ""
        when = escape(display.day_time(session["starts_at"]))
        rows.append(
            f'<tr><td><a href="{url}"{error}>{when}</a></td>'
            f"<td>{escape(session['attendance_label'])}</td><td>{_note(session)}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every value above is escaped
