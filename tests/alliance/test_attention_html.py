"""The home page's "To act on" items and caseload rows, drawn in Python, are the markup the
template drew (the alert's reasons as sessions_log/ratings/alert_reasons.html words them), for
items of every kind; every value is escaped."""

import datetime
import itertools
import re
import uuid

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from alliance import attention_html
from alliance.caseload_html import caseload_rows_html
from alliance.models import Alliance, Patient
from decisions.models import DecisionTalk
from goals.models import Goal
from sessions_log.models import AllianceAlert, Session
from tests.alliance.test_page_queries import _to_act_on

# The lists as the template drew them, item by item.
ITEM_TEMPLATES = {
    "alerts": '<li><a href="{% record_url "alliance_detail" alert.alliance_id %}">'
    "{{ alert.alliance.patient.display_name }}</a>: "
    '{% include "sessions_log/ratings/alert_reasons.html" %} '
    '<span class="small text-body-secondary">(session {{ alert.session.starts_at|date:"j M" }})'
    "</span></li>",
    "reviews": '<li><a href="{% record_url "goal_review" goal.id %}">'
    "{{ goal.alliance.patient.display_name }}: {{ goal.title|truncatechars:50 }}</a> · "
    '{{ goal.next_review_on|date:"j M" }}{% if goal.next_review_on < a.today %} '
    '<span class="badge text-bg-danger">Overdue</span>{% endif %}</li>',
    "drafts": '<li><a href="{% record_url "session_edit" session.id %}">'
    '{{ session.alliance.patient.display_name }}, {{ session.starts_at|date:"j M" }}</a></li>',
    "unanswered": '<li><a href="{% record_url "goal_detail" goal.id %}">'
    "{{ goal.alliance.patient.display_name }}: {{ goal.title|truncatechars:50 }}</a>"
    '{% if goal.patient_agreement == "disagree" %} <span class="badge text-bg-warning">'
    'Disagrees</span>{% else %} <span class="small text-body-secondary">not answered</span>'
    "{% endif %}</li>",
    "decisions": '<li><a href="{% record_url "decision_talk" talk.id %}">'
    "{{ talk.alliance.patient.display_name }}: {{ talk.question|truncatechars:50 }}</a> · "
    '{{ talk.due_on|date:"j M" }}</li>',
}
NAMES = {"alerts": "alert", "reviews": "goal", "drafts": "session", "unanswered": "goal"}
TODAY = datetime.date(2026, 11, 26)
TEXTS = ["Walk to the shop <alone> & back", "Sleep by eleven", "x" * 49, "y" * 50, "z" * 51]
TEXTS += ["Zoë's plan " * 8, "  spaced  out  ", "e\u0301" * 30, "e\u0301" * 60, "\u0958" * 30]


def _template_items(kind: str, items: list) -> str:
    name = NAMES.get(kind, "talk")
    source = "{% load display %}{% for " + name + " in items %}" + ITEM_TEMPLATES[kind]
    context = {"items": items, "a": {"today": TODAY}}
    return Template(source + "{% endfor %}").render(Context(context))


def _alliances() -> list[Alliance]:
    alliances = []
    names = [("Ann", "", "Lee"), ("Bo <b>", "Bobby & co", "O'Neil"), ("Zoë", "Zoë", "Šimek")]
    for given, preferred, family in names:
        patient = Patient(given_name=given, preferred_name=preferred, family_name=family)
        alliances.append(Alliance(id=uuid.uuid4(), patient=patient))
    return alliances


def _moments() -> list[datetime.datetime]:
    # Around midnight in the clinic's time zone and in UTC, and across a month's end.
    return [
        datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC),
        datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC),
        datetime.datetime(2026, 1, 1, 0, 5, tzinfo=datetime.UTC),
        timezone.now(),
    ]


def _items(kind: str) -> list:
    items = []
    alliances, moments = _alliances(), _moments()
    days = [TODAY - datetime.timedelta(days=1), TODAY, TODAY + datetime.timedelta(days=6)]
    days.append(datetime.date(2027, 1, 9))
    if kind == "alerts":
        flags = itertools.product([False, True], repeat=3)
        for n, (below, dropped, gap) in enumerate(flags):
            session = Session(id=uuid.uuid4(), starts_at=moments[n % len(moments)])
            alert = AllianceAlert(
                alliance=alliances[n % 3],
                session=session,
                below_cutoff=below,
                dropped=dropped,
                gap=gap,
                patient_total=20 + n,
                previous_total=31 if dropped else None,
                therapist_total=35 if gap else None,
            )
            items.append(alert)
    elif kind == "drafts":
        for n, moment in enumerate(moments):
            items.append(Session(id=uuid.uuid4(), alliance=alliances[n % 3], starts_at=moment))
    elif kind == "decisions":
        for n, text in enumerate(TEXTS):
            talk = DecisionTalk(id=uuid.uuid4(), question=text, due_on=days[n % len(days)])
            talk.alliance = alliances[n % 3]
            items.append(talk)
    else:
        for n, text in enumerate(TEXTS * 2):
            goal = Goal(id=uuid.uuid4(), description=text, next_review_on=days[n % len(days)])
            goal.patient_agreement = ["pending", "disagree", "agree"][n % 3]
            goal.alliance = alliances[n % 3]
            items.append(goal)
    return items


def _drawn(kind: str, items: list) -> str:
    if kind == "reviews":
        return attention_html.review_items(items, TODAY)
    draw = {
        "alerts": attention_html.alert_items,
        "drafts": attention_html.draft_items,
        "unanswered": attention_html.unanswered_items,
        "decisions": attention_html.decision_items,
    }[kind]
    return draw(items)


@pytest.mark.parametrize("zone", ["Europe/London", "Pacific/Auckland", "America/Los_Angeles"])
@pytest.mark.parametrize("kind", list(ITEM_TEMPLATES))
def test_each_list_is_drawn_as_the_template_drew_it(kind, zone):
    items = _items(kind)
    with timezone.override(zone):
        assert _drawn(kind, items) == _template_items(kind, items)


def test_every_value_is_escaped():
    drawn = "".join(_drawn(kind, _items(kind)) for kind in ITEM_TEMPLATES)
    assert "Bo &lt;b&gt; (Bobby &amp; co) O&#x27;Neil" in drawn
    assert "Walk to the shop &lt;alone&gt; &amp; back" in drawn
    assert "<alone>" not in drawn and "<b>" not in drawn


def test_the_home_page_draws_the_lists_with_them(client, therapist, alliance):
    _to_act_on(alliance)
    client.force_login(therapist)
    page = re.sub(r"\s+", " ", client.get(reverse("caseload")).text)
    assert "Walk to the shop alone</a> · " in page and "Overdue" in page
    assert "below the clinic's cutoff and down from 31 last time" in page
    assert '<span class="badge text-bg-warning">Disagrees</span>' in page


CASELOAD_ROW = (
    '<tr><td><a href="{% record_url "alliance_detail" alliance.id %}">'
    "{{ alliance.patient.display_name }}</a></td>"
    "<td>{{ alliance.patient.date_of_birth|day }}</td>"
    "<td>{{ alliance.started_on|day }}</td>"
    "<td>{{ alliance.get_status_display }}{% if alliance.ended_on %} "
    "{{ alliance.ended_on|day }}{% endif %}</td></tr>"
)


def test_the_caseload_rows_are_drawn_as_the_template_drew_them():
    alliances = _alliances()
    for n, alliance in enumerate(alliances):
        alliance.patient.date_of_birth = datetime.date(1980 + n, 1 + n * 5, 9 + n)
        alliance.started_on = datetime.date(2025, 12, 31)
    alliances[1].status, alliances[1].ended_on = "ended", datetime.date(2026, 3, 1)
    rows = CASELOAD_ROW + "{% if not forloop.last %}\n{% endif %}"
    source = "{% load display %}{% for alliance in items %}" + rows + "{% endfor %}"
    expected = Template(source).render(Context({"items": alliances}))
    drawn = caseload_rows_html(alliances)
    assert drawn == expected
    assert "Bo &lt;b&gt; (Bobby &amp; co) O&#x27;Neil" in drawn
    assert "Ended 1 Mar 2026" in drawn and "9 Jan 1980" in drawn
