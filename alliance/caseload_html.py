"""The rows of the home page's caseload table, drawn in Python.

The markup is the one the template wrote (tests/alliance/test_attention_html.py holds it
against the template), and every value placed in it is escaped.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from alliance import display


def _status(alliance) -> str:
    text = escape(alliance.get_status_display())
    if alliance.ended_on:
        text += f" {escape(display.day(alliance.ended_on))}"
    return text


def caseload_rows_html(alliances) -> SafeString:
    """The table's rows for `alliances` (alliance.selectors.caseload, with their patients)."""
    rows = []
    for alliance in alliances:
        patient = alliance.patient
        url = escape(display.record_url("alliance_detail", alliance.id))
        rows.append(
            f'<tr><td><a href="{url}">{escape(patient.display_name)}</a></td>'
            f"<td>{escape(display.day(patient.date_of_birth))}</td>"
            f"<td>{escape(display.day(alliance.started_on))}</td><td>{_status(alliance)}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every value above is escaped
