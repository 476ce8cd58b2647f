"""Who sees and who changes a decision talk, for every role fixture."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from alliance import services as alliance_services
from decisions import selectors, services
from decisions.models import DecisionTalk, Option
from tests.conftest import ROLE_FIXTURES
from tests.decisions.factories import DecisionTalkFactory

READ = {
    "therapist": 200,
    "supervisor": 200,
    "patient_user": 302,
    "clinic_admin": 403,
    "anonymous": 302,
}
# Adding an option: only the therapist saves; everyone else is refused or not shown it.
WRITE = {
    "therapist": 302,
    "supervisor": 403,
    "patient_user": 403,
    "other_patient_user": 403,
    "clinic_admin": 403,
    "anonymous": 302,
}


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_the_talk_page_answers_each_role(role, as_user, talk):
    response = as_user(role).get(reverse("decision_talk", args=[talk.id]))
    assert response.status_code == READ.get(role, 404)
    if role == "patient_user":
        assert response["Location"] == reverse("portal")
    if response.status_code == 200:
        assert talk.question in response.text


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_only_the_therapist_adds_an_option(role, as_user, talk):
    url = reverse("decision_option_new", args=[talk.id])
    response = as_user(role).post(url, {"title": "Volunteer one day a week", "appeal": "5"})
    assert response.status_code == WRITE.get(role, 404)
    added = Option.objects.filter(talk=talk, title="Volunteer one day a week").exists()
    assert added == (role == "therapist")


def test_it_hides_talks_of_other_clinics(client, therapist, outside_alliance):
    elsewhere = DecisionTalkFactory(alliance=outside_alliance)
    client.force_login(therapist)
    assert client.get(reverse("decision_talk", args=[elsewhere.id])).status_code == 404
    assert client.get(reverse("decision_summary", args=[elsewhere.id])).status_code == 404
    assert not DecisionTalk.objects.visible_to(therapist).filter(pk=elsewhere.pk).exists()


def test_the_supervisor_reads_without_controls(client, supervisor, decision_talk):
    client.force_login(supervisor)
    page = client.get(reverse("decision_talk", args=[decision_talk.id])).text
    assert "as their supervisor: read-only" in page
    assert reverse("decision_decide", args=[decision_talk.id]) not in page
    assert 'name="move_on"' not in page


def test_services_refuse_anyone_but_the_therapist(talk, supervisor, other_therapist):
    for person in (supervisor, other_therapist):
        with pytest.raises(PermissionDenied):
            services.option_add(talk=talk, by=person, title="Sneaky")
    with pytest.raises(PermissionDenied):
        services.talk_start(alliance=talk.alliance, by=supervisor, question="Mine?")


def test_an_ended_episode_keeps_its_talks_read_only(client, alliance, therapist, talk):
    alliance_services.alliance_end(
        alliance=alliance,
        by=therapist,
        ended_on=alliance.clinic.today(),
        reason=alliance.EndReason.COMPLETED,
    )
    client.force_login(therapist)
    page = client.get(reverse("decision_talk", args=[talk.id]))
    assert "This episode of care has ended" in page.text
    assert client.get(reverse("decision_option_new", args=[talk.id])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.talk_defer(
            talk=talk, by=therapist, reason="x", come_back_on=datetime.date(2030, 1, 1)
        )


def test_the_list_of_due_talks_keeps_to_the_callers_view(
    talk, therapist, other_therapist, supervisor, unrelated_supervisor
):
    today = talk.alliance.clinic.today()
    services.talk_defer(
        talk=talk, by=therapist, reason="Later.", come_back_on=today + datetime.timedelta(days=1)
    )
    later = today + datetime.timedelta(days=1)
    assert len(selectors.talks_due(user=supervisor, today=later)) == 1
    assert selectors.talks_due(user=unrelated_supervisor, today=later) == []
    assert selectors.talks_due(user=other_therapist, today=later) == []
