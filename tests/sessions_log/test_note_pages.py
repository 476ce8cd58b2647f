"""Logging a session in the browser: drafts, autosave, signing, addenda, co-signing."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.models import Supervision
from goals.models import GoalProgress
from sessions_log.models import PsychotherapyNote, Session
from tests.sessions_log.factories import make_session


def note(**overrides) -> dict:
    when = timezone.localtime(timezone.now() - datetime.timedelta(hours=2))
    data = {
        "revision": "1",
        "starts_at": when.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "50",
        "modality": "in_person",
        "attendance": "attended",
        "note_format": "soap",
        "subjective": "Slept better; one panic at the bus stop.",
        "objective": "Calm, good eye contact.",
        "data": "",
        "assessment": "Gradual exposure is working.",
        "plan": "Two shop trips alone before next week.",
        "homework": "Breathing twice a day.",
        "next_steps": "",
        "risk_level": "none",
        "risk_plan": "",
        "repair": "",
        "private_note": "I felt protective of her today.",
    }
    data.update(overrides)
    return data


def test_it_requires_login(client, alliance):
    response = client.get(reverse("session_new", args=[alliance.id]))
    assert response["Location"].startswith(reverse("login"))


def test_save_draft_keeps_everything_typed(client, therapist, alliance):
    client.force_login(therapist)
    response = client.post(reverse("session_new", args=[alliance.id]), {**note(), "draft": "1"})
    session = Session.objects.get()
    assert response["Location"] == reverse("session_edit", args=[session.id])
    assert not session.is_signed
    page = client.get(response["Location"]).text
    assert "Slept better; one panic at the bus stop." in page
    assert "I felt protective of her today." in page


def test_signing_with_something_missing_saves_the_draft_and_says_what(client, therapist, alliance):
    client.force_login(therapist)
    response = client.post(
        reverse("session_new", args=[alliance.id]),
        {**note(plan="", risk_level="high"), "sign": "1"},
    )
    session = Session.objects.get()
    assert response.status_code == 200
    assert not session.is_signed
    assert "Write the plan before signing." in response.text
    assert "A risk above none needs a plan." in response.text
    assert "Gradual exposure is working." in response.text
    # The next submit goes to the saved draft, not to a second new session.
    assert f'action="{reverse("session_edit", args=[session.id])}"' in response.text


def test_signing_locks_the_note_and_records_goal_progress(
    client,
    therapist,
    alliance,
    active_goal,  # noqa: F811
):
    client.force_login(therapist)
    prefix = f"goal-{active_goal.id}"
    data = {
        **note(),
        "sign": "1",
        f"{prefix}-worked_on": "on",
        f"{prefix}-value": "2",
        f"{prefix}-comment": "Went twice with her sister",
    }
    response = client.post(reverse("session_new", args=[alliance.id]), data)
    session = Session.objects.get()
    assert response["Location"] == reverse("session_detail", args=[session.id])
    assert session.is_signed
    progress = GoalProgress.objects.get(goal=active_goal)
    assert progress.value == 2 and progress.reported_by == "therapist"
    edit = client.post(reverse("session_edit", args=[session.id]), {**note(plan="Changed")})
    assert edit["Location"] == reverse("session_detail", args=[session.id])
    assert Session.objects.get().plan == "Two shop trips alone before next week."


def test_autosave_creates_the_draft_then_keeps_saving_it(client, therapist, alliance):
    client.force_login(therapist)
    first = client.post(reverse("session_autosave_new", args=[alliance.id]), note())
    body = json.loads(first.content)
    session = Session.objects.get()
    assert body["saved"] is True
    assert body["edit_url"] == reverse("session_edit", args=[session.id])
    second = client.post(body["autosave_url"], note(plan="Typed later", revision=body["revision"]))
    assert json.loads(second.content)["saved"] is True
    assert Session.objects.get().plan == "Typed later"


def test_autosave_from_an_old_tab_does_not_overwrite(client, therapist, alliance):
    session = make_session(alliance)
    client.force_login(therapist)
    url = reverse("session_autosave", args=[session.id])
    client.post(url, note(plan="Newer", revision="1"))
    stale = client.post(url, note(plan="Older tab", revision="1"))
    assert stale.status_code == 409
    assert json.loads(stale.content)["conflict"] is True
    assert Session.objects.get().plan == "Newer"


def test_autosave_of_a_bad_date_says_so_and_saves_nothing(client, therapist, alliance):
    session = make_session(alliance)
    client.force_login(therapist)
    response = client.post(
        reverse("session_autosave", args=[session.id]), note(starts_at="soon", plan="Kept?")
    )
    assert response.status_code == 400
    assert "starts_at" in json.loads(response.content)["errors"]


def test_the_private_note_is_for_its_author_alone(client, therapist, supervisor, alliance):
    client.force_login(therapist)
    client.post(reverse("session_new", args=[alliance.id]), {**note(), "sign": "1"})
    session = Session.objects.get()
    assert PsychotherapyNote.objects.get(session=session).author == therapist
    assert (
        "I felt protective of her today."
        in client.get(reverse("session_detail", args=[session.id])).text
    )
    client.force_login(supervisor)
    page = client.get(reverse("session_detail", args=[session.id])).text
    assert "Gradual exposure is working." in page
    assert "I felt protective of her today." not in page


def test_an_addendum_shows_under_the_signed_note(client, therapist, alliance):
    session = make_session(alliance, signed=True)
    client.force_login(therapist)
    response = client.post(
        reverse("session_addendum", args=[session.id]),
        {"reason": "Forgot to note homework", "text": "Sleep diary every morning."},
    )
    assert response["Location"] == reverse("session_detail", args=[session.id])
    page = client.get(reverse("session_detail", args=[session.id])).text
    assert "Forgot to note homework" in page
    assert "Sleep diary every morning." in page


def test_an_addendum_without_a_reason_keeps_the_text(client, therapist, alliance):
    session = make_session(alliance, signed=True)
    client.force_login(therapist)
    response = client.post(
        reverse("session_addendum", args=[session.id]), {"reason": "", "text": "Kept text"}
    )
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert "Kept text" in response.text


def test_the_supervisor_cosigns_from_the_queue(client, therapist, supervisor, alliance):
    Supervision.objects.filter(therapist=therapist).update(requires_cosign=True)
    session = make_session(alliance, signed=True)
    client.force_login(supervisor)
    queue = client.get(reverse("session_cosign_queue")).text
    assert reverse("session_detail", args=[session.id]) in queue
    response = client.post(reverse("session_cosign", args=[session.id]), {"comment": "Agreed"})
    assert response["Location"] == reverse("session_cosign_queue")
    assert (
        "Nothing waits for your co-signature." in client.get(reverse("session_cosign_queue")).text
    )
    client.force_login(therapist)
    page = client.get(reverse("session_detail", args=[session.id])).text
    assert "co-signed by Charlie Supervisor" in page
    assert "Agreed" in page


def test_a_supervisor_cannot_write_the_note(client, supervisor, alliance):
    session = make_session(alliance)
    client.force_login(supervisor)
    response = client.post(reverse("session_edit", args=[session.id]), note(plan="Mine"))
    assert response.status_code == 403
    assert Session.objects.get().plan == "Keep the breathing practice."


@pytest.mark.parametrize("role", ["other_therapist", "unrelated_supervisor", "outsider"])
def test_others_do_not_find_the_session(client, request, role, alliance):
    session = make_session(alliance, signed=True)
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("session_detail", args=[session.id])).status_code == 404


@pytest.mark.parametrize("role", ["patient_user", "clinic_admin"])
def test_patients_and_admins_never_see_a_note(client, request, role, alliance):
    session = make_session(alliance, signed=True)
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("session_detail", args=[session.id]))
    assert response.status_code == 403
    assert "Anxiety easing." not in response.text


@pytest.mark.parametrize("count", [3, 30])
def test_the_patient_page_lists_sessions_in_fixed_queries(
    client, therapist, alliance, count, django_assert_max_num_queries
):
    for n in range(count):
        make_session(alliance, days_ago=n + 1, signed=n % 2 == 0)
    client.force_login(therapist)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("alliance_detail", args=[alliance.id]), {"sessions": "all"})
    assert response.text.count('href="/sessions/') >= count


def test_the_patient_page_lists_the_latest_20_sessions_and_links_to_all(
    client, therapist, alliance
):
    sessions = [make_session(alliance, days_ago=n + 1) for n in range(21)]
    url = reverse("alliance_detail", args=[alliance.id])
    client.force_login(therapist)
    latest = client.get(url).text
    every = client.get(url, {"sessions": "all"}).text
    oldest = reverse("session_detail", args=[sessions[-1].id])
    assert reverse("session_detail", args=[sessions[19].id]) in latest
    assert oldest not in latest and "?sessions=all" in latest
    assert oldest in every and "?sessions=all" not in every


def test_the_patient_page_has_no_link_to_all_when_all_are_listed(client, therapist, alliance):
    sessions = [make_session(alliance, days_ago=n + 1) for n in range(20)]
    client.force_login(therapist)
    page = client.get(reverse("alliance_detail", args=[alliance.id])).text
    assert all(reverse("session_detail", args=[s.id]) in page for s in sessions)
    assert "?sessions=all" not in page


@pytest.mark.parametrize("role", ["other_therapist", "unrelated_supervisor", "outsider"])
def test_others_do_not_find_every_session_either(client, request, role, alliance):
    make_session(alliance, signed=True)
    client.force_login(request.getfixturevalue(role))
    url = reverse("alliance_detail", args=[alliance.id])
    assert client.get(url, {"sessions": "all"}).status_code == 404


def test_every_session_needs_a_login_and_is_not_the_patients_page(client, patient_user, alliance):
    url = reverse("alliance_detail", args=[alliance.id])
    assert client.get(url, {"sessions": "all"})["Location"].startswith(reverse("login"))
    client.force_login(patient_user)
    assert client.get(url, {"sessions": "all"})["Location"] == reverse("portal")


def test_a_supervisor_reads_every_session_of_a_supervisee(client, supervisor, alliance):
    sessions = [make_session(alliance, days_ago=n + 1, signed=True) for n in range(21)]
    client.force_login(supervisor)
    url = reverse("alliance_detail", args=[alliance.id])
    page = client.get(url, {"sessions": "all"}).text
    assert reverse("session_detail", args=[sessions[-1].id]) in page


def test_the_demo_has_sessions_signed_drafted_rated_alerted_and_waiting(demo_clinic):
    from sessions_log.models import Addendum, AllianceAlert

    assert Session.objects.signed().count() > 100
    assert Session.objects.drafts().exists()
    assert Addendum.objects.exists()
    assert AllianceAlert.objects.filter(closed_at__isnull=True).count() == 1
    waiting = Session.objects.filter(cosign_required=True, cosignature__isnull=True)
    assert waiting.count() == 1


def test_the_note_offers_work_on_the_active_and_paused_goals_only(
    client, therapist, alliance, other_alliance
):
    from goals.models import Goal

    def goal(on, description, status):
        return Goal.objects.create(
            alliance=on,
            created_by=on.therapist,
            expressed_by="patient",
            description=description,
            lifecycle_status=status,
            proposed_at=timezone.now(),
        )

    offered = [goal(alliance, "Walk to the shop", "active"), goal(alliance, "Swim", "on-hold")]
    left_out = [
        goal(alliance, "Sleep by eleven", "proposed"),
        goal(alliance, "Call a friend", "completed"),
        goal(other_alliance, "Another patient's goal", "active"),
    ]
    client.force_login(therapist)
    for url in (
        reverse("session_new", args=[alliance.id]),
        reverse("session_edit", args=[make_session(alliance).id]),
    ):
        page = client.get(url).text
        assert all(f"goal-{g.id}-" in page for g in offered)
        assert not any(f"goal-{g.id}-" in page for g in left_out)
        assert page.index("Walk to the shop") < page.index("Swim")
