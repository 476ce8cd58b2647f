"""Each page reads a fixed number of queries, whether a talk has 2 options or 12."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from decisions import selectors
from tests.decisions.factories import DecisionTalkFactory, OptionFactory, PreferenceFactory

PAGES = ["decision_talk", "decision_compare", "decision_summary", "decision_decide"]
MAX_QUERIES = 14


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", PAGES)
def test_a_page_reads_as_much_for_12_options_as_for_2(
    page, client, decision_talk, therapist, django_assert_max_num_queries
):
    client.force_login(therapist)
    PreferenceFactory.create_batch(3, talk=decision_talk)
    url = reverse(page, args=[decision_talk.id])
    with_two = _count(client, url)
    OptionFactory.create_batch(10, talk=decision_talk)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(url).status_code == 200
    assert _count(client, url) == with_two


def test_a_decided_talk_reads_as_much_for_12_options_as_for_2(client, decided, therapist):
    client.force_login(therapist)
    url = reverse("decision_talk", args=[decided.id])
    with_two = _count(client, url)
    OptionFactory.create_batch(10, talk=decided)
    assert _count(client, url) == with_two <= MAX_QUERIES


def _render_patient_page_list(alliance) -> str:
    talks = selectors.talks_for_alliance(alliance=alliance)
    context = {"talks": talks, "alliance": alliance, "can_edit": True}
    return render_to_string("decisions/partials/alliance_talks.html", context)


def test_the_patient_page_list_reads_as_much_for_12_talks_as_for_2(decided, alliance):
    DecisionTalkFactory(alliance=alliance)
    with CaptureQueriesContext(connection) as two:
        _render_patient_page_list(alliance)
    for _ in range(10):
        OptionFactory.create_batch(2, talk=DecisionTalkFactory(alliance=alliance))
    with CaptureQueriesContext(connection) as twelve:
        html = _render_patient_page_list(alliance)
    assert len(twelve) == len(two)
    assert html.count("list-group-item") == 12
    assert "Chose “Part-time return in May”" in html
