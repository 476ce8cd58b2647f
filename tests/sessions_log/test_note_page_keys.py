"""One opening of the note form makes one session, however its saves cross on the way."""

import json
import uuid

from django.urls import reverse

from sessions_log.models import Session
from tests.sessions_log.test_note_pages import note


def test_sign_pressed_while_the_first_autosave_is_unanswered_signs_that_draft(
    client, therapist, alliance
):
    client.force_login(therapist)
    key = str(uuid.uuid4())
    # The autosave reached the server; its answer never reached the page, which still holds
    # revision 1 and posts to the new-note address.
    client.post(
        reverse("session_autosave_new", args=[alliance.id]),
        note(page_key=key, page_seq="1", plan="Half typed"),
    )
    response = client.post(
        reverse("session_new", args=[alliance.id]),
        note(page_key=key, page_seq="2", plan="The whole plan", sign="1"),
    )
    session = Session.objects.get(alliance=alliance)
    assert response.status_code == 302
    assert response["Location"] == reverse("session_detail", args=[session.id])
    assert session.is_signed and session.plan == "The whole plan"


def test_a_second_click_on_sign_shows_the_signed_note_and_makes_no_copy(
    client, therapist, alliance
):
    client.force_login(therapist)
    url = reverse("session_new", args=[alliance.id])
    data = note(page_key=str(uuid.uuid4()), sign="1")
    client.post(url, data)
    again = client.post(url, data, follow=True)
    assert Session.objects.filter(alliance=alliance).count() == 1
    assert "This note was already signed" in again.text


def test_an_earlier_autosave_arriving_late_does_not_undo_a_later_one(client, therapist, alliance):
    client.force_login(therapist)
    key = str(uuid.uuid4())
    first = client.post(
        reverse("session_autosave_new", args=[alliance.id]),
        note(page_key=key, page_seq="1", plan="First words"),
    )
    url = json.loads(first.content)["autosave_url"]
    client.post(url, note(page_key=key, page_seq="3", revision="2", plan="Latest words"))
    late = client.post(url, note(page_key=key, page_seq="2", revision="2", plan="Middle words"))
    assert json.loads(late.content) == {"saved": False, "stale": True}
    assert Session.objects.get(alliance=alliance).plan == "Latest words"


def test_another_window_still_meets_the_conflict(client, therapist, alliance):
    client.force_login(therapist)
    mine, theirs = str(uuid.uuid4()), str(uuid.uuid4())
    first = client.post(
        reverse("session_autosave_new", args=[alliance.id]),
        note(page_key=mine, page_seq="1", plan="Mine"),
    )
    url = json.loads(first.content)["autosave_url"]
    client.post(url, note(page_key=theirs, page_seq="1", revision="2", plan="Theirs"))
    clash = client.post(url, note(page_key=mine, page_seq="2", revision="2", plan="Mine again"))
    assert clash.status_code == 409
    assert Session.objects.get(alliance=alliance).plan == "Theirs"


def test_each_opening_of_the_form_has_its_own_key(client, therapist, alliance):
    client.force_login(therapist)
    url = reverse("session_new", args=[alliance.id])
    keys = {_page_key(client.get(url).text) for _ in range(2)}
    assert len(keys) == 2


def _page_key(page: str) -> str:
    start = page.index('name="page_key"')
    return page[start : start + 120].split('value="')[1].split('"')[0]
