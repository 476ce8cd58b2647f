"""Once decided, the options, preferences and decision are kept exactly as they were."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from decisions import selectors, services
from decisions.models import DecidedBy, Option, Preference


def test_it_locks_options_once_decided(decided, option, therapist):
    with pytest.raises(ValidationError, match="locked"):
        services.option_update(option=option, by=therapist, title="Full-time return")
    with pytest.raises(ValidationError, match="locked"):
        services.option_add(talk=decided, by=therapist, title="A third way")
    with pytest.raises(ValidationError, match="locked"):
        services.option_withdraw(option=option, by=therapist)
    option.refresh_from_db()
    assert option.title == "Part-time return in May"
    assert option.withdrawn_at is None


def test_it_locks_the_question_and_preferences_once_decided(decided, therapist):
    with pytest.raises(ValidationError, match="locked"):
        services.talk_rename(talk=decided, by=therapist, question="Something else?")
    with pytest.raises(ValidationError, match="locked"):
        services.preferences_set(talk=decided, by=therapist, items=["Money"])
    decided.refresh_from_db()
    assert decided.question == "Should I go back to work part-time now?"


def test_it_never_records_a_second_decision(decided, option, therapist, today):
    with pytest.raises(ValidationError, match="locked"):
        services.decision_record(
            talk=decided,
            by=therapist,
            chosen_option=option,
            decided_by=DecidedBy.PATIENT,
            reason="Changed my mind.",
            review_on=today + datetime.timedelta(days=3),
        )
    assert decided.decision.reason == "I want my days to have a shape again."


def test_it_keeps_the_earlier_list_of_what_matters(talk, therapist):
    services.preferences_set(talk=talk, by=therapist, items=["Money", "My kids"])
    services.preferences_set(talk=talk, by=therapist, items=["My kids", "Money", "Sleep"])
    assert [p.text for p in selectors.talk_preferences(talk)] == ["My kids", "Money", "Sleep"]
    assert Preference.objects.filter(talk=talk, removed_at__isnull=False).count() == 2


def test_a_set_aside_option_leaves_the_comparison_but_not_the_record(
    client, talk, option, therapist
):
    services.option_withdraw(option=option, by=therapist)
    client.force_login(therapist)
    compare = client.get(reverse("decision_compare", args=[talk.id])).text
    page = client.get(reverse("decision_talk", args=[talk.id])).text
    assert option.title not in compare
    assert "Options set aside" in page and option.title in page
    assert Option.objects.filter(pk=option.pk).exists()


def test_it_sends_the_therapist_back_from_editing_a_decided_option(
    client, decided, option, therapist
):
    client.force_login(therapist)
    url = reverse("decision_option_edit", args=[decided.id, option.id])
    response = client.post(url, {"title": "Full-time", "appeal": ""}, follow=True)
    option.refresh_from_db()
    assert option.title == "Part-time return in May"
    assert "locked" in response.text
    assert "Record the decision" not in response.text


def test_the_decided_page_offers_a_review_not_an_edit(client, decided, therapist):
    client.force_login(therapist)
    page = client.get(reverse("decision_talk", args=[decided.id])).text
    assert reverse("decision_review", args=[decided.id]) in page
    assert "Edit<span" not in page
    assert reverse("decision_option_new", args=[decided.id]) not in page
