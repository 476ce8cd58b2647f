"""The alliance over time on the patient page: an SVG chart with the cutoff and alerts."""

import re
from xml.etree import ElementTree

from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from sessions_log import charts
from sessions_log.selectors_ratings import alliance_ratings_summary
from sessions_log.services import notes
from tests.sessions_log.rating_factories import make_session, rate, rated_sessions


def render_chart(alliance) -> str:
    summary = alliance_ratings_summary(alliance=alliance)
    context = {"alliance": alliance, "rating_summary": summary}
    return render_to_string("sessions_log/partials/alliance_chart.html", context)


def test_before_the_first_rating_there_is_no_chart(alliance):
    html = render_chart(alliance)
    assert "<svg" not in html
    assert "No ratings yet." in html


def test_totals_run_from_0_at_the_bottom_to_40_at_the_top():
    assert charts.y_of(40) == charts.TOP
    assert charts.y_of(0) == charts.HEIGHT - charts.BOTTOM


def test_the_cutoff_line_sits_at_the_clinics_cutoff(alliance, clinic):
    clinic.alert_cutoff = 30
    clinic.save()
    rated_sessions(alliance, [(36, 35)])
    chart = alliance_ratings_summary(alliance=alliance)["chart"]
    assert chart["cutoff_y"] == charts.y_of(30)
    assert "Cutoff 30" in render_chart(alliance)


def test_later_sessions_are_further_right(alliance):
    rated_sessions(alliance, [(38, 36), (37, 36), (39, 37)])
    chart = alliance_ratings_summary(alliance=alliance)["chart"]
    xs = [mark.x for mark in chart["patient"]]
    assert xs == sorted(xs)
    assert len(set(xs)) == 3


def test_the_patients_and_the_therapists_totals_are_two_lines(alliance):
    rated_sessions(alliance, [(38, 30), (37, 31)])
    html = render_chart(alliance)
    assert html.count('class="patient-point"') == 2
    assert html.count('class="therapist-point"') == 2
    assert 'class="patient-line"' in html
    assert 'class="therapist-line"' in html


def test_the_chart_is_described_for_screen_readers(alliance, clinic):
    rated_sessions(alliance, [(38, 36), (30, 37)])
    html = render_chart(alliance)
    assert 'role="img"' in html
    title = re.search(r"<title id=\"alliance-chart-title-[^\"]+\">([^<]+)</title>", html)[1]
    assert "over 2 sessions" in title
    assert "Latest: patient 30/40, therapist 37/40" in title
    assert f"cutoff is {clinic.alert_cutoff}" in title


def test_a_table_gives_the_values_behind_the_chart(alliance):
    rated_sessions(alliance, [(38, None), (None, 33)])
    html = render_chart(alliance)
    table = html[html.index("<table") :]
    assert "<td>38</td><td>not rated</td>" in table
    assert "<td>not rated</td><td>33</td>" in table


def test_the_figure_and_its_table_are_well_formed_markup(alliance, therapist):
    rated_sessions(alliance, [(38, 37), (20, None), (None, 33)])
    html = render_chart(alliance)
    figure = html[html.index("<figure") : html.index("</table>") + len("</table>")]
    root = ElementTree.fromstring(f"<div>{figure}</div>")  # noqa: S314 (our own markup)
    svg = root.find("figure/svg")
    assert svg.get("viewBox") == f"0 0 {charts.WIDTH} {charts.HEIGHT}"
    assert len(svg.findall("circle[@class='patient-point']")) == 2
    cells = [td.text for td in root.findall("table/tbody/tr/td")]
    assert cells == [
        "38", "37", "none", "20", "not rated", "open", "not rated", "33", "none",
    ]  # fmt: skip


def test_an_open_alert_is_ringed_on_the_chart(alliance, clinic):
    rated_sessions(alliance, [(38, None), (20, None)])
    html = render_chart(alliance)
    assert html.count('class="alert-open"') == 1
    assert "1 open alert." in html


def test_a_repaired_alert_is_marked_as_repaired(alliance, therapist):
    strained = rate(make_session(alliance, days_ago=7), patient=20)
    repair = make_session(alliance, days_ago=1, assessment="Ok.", plan="Go on.", repair="Talked.")
    notes.session_sign(session=repair, by=therapist)
    html = render_chart(alliance)
    assert 'class="alert-repaired"' in html
    assert 'class="alert-open"' not in html
    assert strained.alert.closed_by_session == repair


def test_open_alerts_are_listed_under_the_chart(alliance):
    rated_sessions(alliance, [(20, None)])
    html = render_chart(alliance)
    assert "The patient rated the session 20/40, below the clinic's cutoff." in html


def test_a_session_entered_in_error_is_left_off_the_chart(alliance, therapist):
    wrong, _ = rated_sessions(alliance, [(12, None), (38, None)])
    notes.session_mark_error(session=wrong, by=therapist, reason="Wrong patient")
    summary = alliance_ratings_summary(alliance=alliance)
    assert [row.patient for row in summary["rows"]] == [38]
    assert summary["open_alerts"] == []


def test_the_chart_reads_as_much_for_30_sessions_as_for_3(alliance, django_assert_max_num_queries):
    rated_sessions(alliance, [(38, 36), (20, 37), (39, 38)])
    with CaptureQueriesContext(connection) as three:
        html = render_chart(alliance)
    assert html.count('class="patient-point"') == 3
    rated_sessions(alliance, [(36, 35), (25, 36), (37, 30)] * 9)
    with django_assert_max_num_queries(len(three)):
        html = render_chart(alliance)
    assert html.count('class="patient-point"') == 30
