"""The patient page's rows of sessions, drawn in Python, are the markup the template drew, for
sessions in every state; every value is escaped."""

import datetime
import itertools
import re
import uuid

from django.template import Context, Template
from django.utils import timezone

from sessions_log.listing_html import session_rows_html

# The rows as the template drew them before they were drawn in Python.
TEMPLATE_ROWS = Template(
    "{% load display %}{% for session in sessions %}"
    "<tr>"
    '<td><a href="{% record_url "session_detail" session.id %}"'
    '{% if session.is_error %} class="entered-in-error"{% endif %}>'
    "{{ session.starts_at|day_time }}</a></td>"
    "<td>{{ session.attendance_label }}</td>"
    "<td>{% if session.is_error %}Entered in error{% elif session.signed_at %}Signed"
    "{% if session.addenda_count %}, {{ session.addenda_count }} "
    'addend{{ session.addenda_count|pluralize:"um,a" }}{% endif %}'
    "{% if session.cosign_required and not session.is_cosigned %} · waiting for co-signature"
    "{% endif %}{% else %}"
    '<span class="badge text-bg-warning">Draft</span>{% endif %}</td>'
    "</tr>{% endfor %}"
)


def _flat(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


def _sessions() -> list[dict]:
    start = datetime.datetime(2026, 3, 28, 23, 30, tzinfo=datetime.UTC)
    states = itertools.product(
        [False, True],  # entered in error
        [None, start],  # signed
        [0, 1, 2],  # addenda
        [False, True],  # co-signature required
        [False, True],  # co-signed
    )
    return [
        {
            "id": uuid.uuid4(),
            "starts_at": start + datetime.timedelta(hours=7 * n),
            "attendance": "attended",
            "attendance_label": ["Attended", "Did not attend", "Cancelled <late>"][n % 3],
            "signed_at": signed,
            "cosign_required": required,
            "is_error": error,
            "is_cosigned": cosigned,
            "addenda_count": addenda,
        }
        for n, (error, signed, addenda, required, cosigned) in enumerate(states)
    ]


def test_the_rows_are_the_templates_in_every_state(db):
    sessions = _sessions()
    for zone in ("Europe/London", "Pacific/Auckland"):
        with timezone.override(zone):
            expected = TEMPLATE_ROWS.render(Context({"sessions": sessions}))
            assert _flat(session_rows_html(sessions)) == _flat(expected)
    html = session_rows_html(sessions)
    assert "Cancelled &lt;late&gt;" in html and "<late>" not in html
    assert "Signed, 1 addendum" in html and "Signed, 2 addenda" in html
    assert html.count("waiting for co-signature") == 3
    assert html.count('class="entered-in-error"') == len(sessions) // 2


def test_no_sessions_no_rows():
    assert session_rows_html([]) == ""
