"""The patient page's rows of goals, drawn in Python, are the markup the template drew (status
badges as goals/partials/status.html draws them), for goals in every state; every value is
escaped."""

import datetime
import itertools
import re
from decimal import Decimal

from django.template import Context, Template
from django.utils import timezone

from goals.listing_html import goal_rows_html
from goals.models import Goal, Lifecycle

TEMPLATE_ROWS = Template(
    "{% load display %}{% for goal in goals %}<tr>"
    '<td><a href="{% record_url "goal_detail" goal.id %}"'
    '{% if goal.lifecycle_status == "entered-in-error" %} class="entered-in-error"{% endif %}>'
    "{{ goal.title }}</a></td>"
    '<td>{% include "goals/partials/status.html" %}</td>'
    "<td>{% if goal.is_draft %}—{% else %}Patient {{ goal.get_patient_agreement_display|lower }}"
    "; therapist {{ goal.get_therapist_agreement_display|lower }}{% endif %}</td>"
    "<td>{% if goal.latest_value is not None %}{{ goal.latest_value.normalize }} {{ goal.unit }}"
    "{% endif %}{% if goal.latest_gas is not None %} (level {% if goal.latest_gas > 0 %}+"
    "{% endif %}{{ goal.latest_gas }}){% endif %}</td>"
    "<td>{% if goal.next_review_on %}{{ goal.next_review_on|day }}"
    '{% if goal.lifecycle_status == "active" and goal.next_review_on < today %} '
    '<span class="badge text-bg-danger">Overdue</span>{% endif %}{% endif %}</td>'
    "</tr>{% endfor %}"
)
TODAY = datetime.date(2026, 11, 26)


def _flat(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


def _goals() -> list[Goal]:
    states = itertools.product(
        [status for status, _ in Lifecycle.choices],
        [None, timezone.now()],  # proposed (a draft when not, while proposed)
        [None, Decimal("2.50"), Decimal("12")],  # latest value
        [None, -2, 0, 1],  # latest attainment level
        [None, TODAY - datetime.timedelta(days=1), TODAY, TODAY + datetime.timedelta(days=3)],
    )
    goals = []
    for n, (status, proposed, value, gas, review) in enumerate(states):
        goal = Goal(
            description=["Walk to the shop <alone>", "Sleep by eleven", "x" * 90][n % 3],
            lifecycle_status=status,
            proposed_at=proposed,
            unit=["km", "hours & minutes", ""][n % 3],
            patient_agreement=["pending", "agree", "disagree"][n % 3],
            therapist_agreement=["agree", "pending", "disagree"][n % 3],
            next_review_on=review,
        )
        goal.latest_value, goal.latest_gas = value, gas
        goals.append(goal)
    return goals


def test_the_rows_are_the_templates_in_every_state():
    goals = _goals()
    expected = TEMPLATE_ROWS.render(Context({"goals": goals, "today": TODAY}))
    html = goal_rows_html(goals, TODAY)
    assert _flat(html) == _flat(expected)
    assert "Walk to the shop &lt;alone&gt;" in html and "<alone>" not in html
    assert "hours &amp; minutes" in html
    assert "Overdue" in html and "(level +1)" in html and "(level -2)" in html


def test_no_goals_no_rows():
    assert goal_rows_html([], TODAY) == ""
