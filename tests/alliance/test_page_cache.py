"""The home pages, the review and the portal keep a rendered copy for their own user, and
show any change, by anyone and by any path, on the next request."""

import datetime

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone

from alliance.models import Clinic, Patient, Supervision, User
from goals.models import Goal
from sessions_log.models import Addendum, AllianceAlert, AllianceRating
from tests.factories import AllianceFactory
from tests.sessions_log.factories import make_session


def main(response) -> str:
    """The page's own content, without the layout around it (whose form tokens change)."""
    html = response.text
    return html[html.index("<main") : html.index("</main>")]


def raise_alert(alliance) -> None:
    """An alert on a signed session, written as the rating rules write it."""
    session = make_session(alliance, signed=True)
    AllianceAlert.objects.create(
        alliance=alliance, session=session, below_cutoff=True, patient_total=30
    )


def logged_in(client, user):
    client.force_login(user)
    return client


def test_the_home_page_shows_a_renamed_patient_at_once(client, therapist, alliance):
    logged_in(client, therapist)
    assert alliance.patient.display_name in client.get(reverse("caseload")).text

    # By the ORM, without the services or a signal: as the admin or a bulk update would.
    Patient.objects.filter(pk=alliance.patient_id).update(given_name="Zuleika", preferred_name="")

    assert "Zuleika" in client.get(reverse("caseload")).text


def test_the_home_page_shows_an_alert_raised_by_someone_else(client, therapist, alliance):
    logged_in(client, therapist)
    assert "Alliance alerts" not in client.get(reverse("caseload")).text

    raise_alert(alliance)

    assert "Alliance alerts" in client.get(reverse("caseload")).text


def test_a_new_day_draws_the_home_page_again(client, therapist, alliance, monkeypatch):
    today = alliance.clinic.today()
    Goal.objects.create(
        alliance=alliance, created_by=therapist, expressed_by="therapist",
        lifecycle_status="active", description="Walk daily", next_review_on=today,
    )  # fmt: skip
    logged_in(client, therapist)
    assert "Overdue" not in client.get(reverse("caseload")).text

    tomorrow = today + datetime.timedelta(days=1)
    monkeypatch.setattr(Clinic, "today", lambda clinic: tomorrow)

    assert "Overdue" in client.get(reverse("caseload")).text


def test_a_copy_serves_its_own_user_only(client, therapist, other_therapist, alliance):
    logged_in(client, therapist).get(reverse("caseload"))
    client.logout()

    page = logged_in(client, other_therapist).get(reverse("caseload")).text

    assert alliance.patient.display_name not in page


def test_each_filter_and_page_has_its_own_copy(client, therapist, alliance):
    ended = AllianceFactory(therapist=therapist, status="ended", ended_on=alliance.started_on)
    logged_in(client, therapist)

    current = client.get(reverse("caseload")).text
    past = client.get(reverse("caseload"), {"status": "ended"}).text

    assert alliance.patient.display_name in current
    assert ended.patient.display_name not in current
    assert ended.patient.display_name in past
    assert alliance.patient.display_name not in past


def test_messages_are_not_kept_in_the_copy(client, therapist, alliance):
    logged_in(client, therapist).get(reverse("caseload"))
    response = client.post(
        reverse("patient_add"),
        {
            "given_name": "Ines",
            "family_name": "Abara",
            "date_of_birth": "1990-01-01",
            "started_on": alliance.started_on.isoformat(),
        },
        follow=True,
    )
    assert "is now on your caseload" in response.text

    home = client.get(reverse("caseload")).text

    assert "Abara" in home
    assert "is now on your caseload" not in home


# The patient page


def test_the_patient_page_shows_a_new_addendum_and_the_patient_joining_at_once(
    client, therapist, alliance
):
    session = make_session(alliance, signed=True)
    User.objects.filter(pk=alliance.patient.portal_user_id).update(password="!")  # invited
    logged_in(client, therapist)
    page = reverse("alliance_detail", args=[alliance.pk])
    assert "Invited, not yet joined" in client.get(page).text

    Addendum.objects.create(session=session, author=therapist, reason="Date", text="Tuesday")
    User.objects.filter(pk=alliance.patient.portal_user_id).update(password=make_password("pw"))

    text = client.get(page).text
    assert "Uses the portal" in text
    assert "1 addend" in text


def test_a_write_landing_while_the_page_is_drawn_shows_on_the_next_request(
    client, therapist, alliance, monkeypatch
):
    from alliance.views import caseload

    load = caseload.get_alliance_or_404

    def load_then_someone_writes(user, alliance_id, *queryset):
        loaded = load(user, alliance_id, *queryset)
        Patient.objects.filter(pk=loaded.patient_id).update(given_name="Zuleika", preferred_name="")
        return loaded

    monkeypatch.setattr(caseload, "get_alliance_or_404", load_then_someone_writes)
    page = reverse("alliance_detail", args=[alliance.pk])
    logged_in(client, therapist).get(page)  # drawn from the rows read before the write
    monkeypatch.setattr(caseload, "get_alliance_or_404", load)

    assert "Zuleika" in main(client.get(page))


def test_a_supervisor_reads_the_record_but_is_not_offered_the_therapists_actions(
    client, therapist, supervisor, alliance
):
    page = reverse("alliance_detail", args=[alliance.pk])
    assert "End this episode of care" in logged_in(client, therapist).get(page).text
    client.logout()

    text = logged_in(client, supervisor).get(page).text

    assert "as their supervisor: read-only" in text
    assert "End this episode of care" not in text
    assert "Invite to the portal" not in text


def test_the_patient_page_draws_the_clinics_new_cutoff_at_once(client, therapist, alliance):
    session = make_session(alliance, signed=True)
    AllianceRating.objects.create(
        session=session, rater="patient", goals=9, tasks=9, bond=9, overall=9,
        entered_by=therapist,
    )  # fmt: skip
    logged_in(client, therapist)
    page = reverse("alliance_detail", args=[alliance.pk])
    assert "Cutoff 36" in client.get(page).text

    Clinic.objects.filter(pk=alliance.clinic_id).update(alert_cutoff=30)

    assert "Cutoff 30" in client.get(page).text


# The supervisor's review


def test_the_review_shows_a_supervisees_new_alert_at_once(client, supervisor, alliance):
    logged_in(client, supervisor)
    assert "1 open" not in client.get(reverse("review")).text

    raise_alert(alliance)

    assert "1 open" in client.get(reverse("review")).text


def test_the_review_drops_a_supervisee_whose_supervision_ended(
    client, supervisor, therapist, alliance
):
    logged_in(client, supervisor)
    assert therapist.full_name in client.get(reverse("review")).text

    Supervision.objects.filter(supervisor=supervisor, therapist=therapist).update(
        ends_on=alliance.clinic.today() - alliance.clinic.today().resolution
    )

    assert therapist.full_name not in client.get(reverse("review")).text


# The portal


def test_the_portal_shows_a_goal_the_therapist_puts_forward_at_once(
    client, patient_user, therapist, alliance
):
    logged_in(client, patient_user)
    assert "Goals waiting for your answer" not in client.get(reverse("portal")).text

    Goal.objects.create(
        alliance=alliance,
        created_by=therapist,
        expressed_by="therapist",
        lifecycle_status="proposed",
        description="Sleep before midnight",
        proposed_at=timezone.now(),
    )

    assert "Sleep before midnight" in client.get(reverse("portal")).text


# Served from the copy, whatever the caseload's size


@pytest.mark.parametrize(
    "who,page,most",
    [
        ("therapist", lambda alliance: reverse("caseload"), 4),
        ("therapist", lambda alliance: reverse("alliance_detail", args=[alliance.pk]), 6),
        ("supervisor", lambda alliance: reverse("review"), 4),
        ("patient_user", lambda alliance: reverse("portal"), 4),
    ],
    ids=["home", "patient page", "review", "portal"],
)
def test_an_unchanged_page_is_served_from_its_copy(
    request, client, therapist, alliance, who, page, most, django_assert_max_num_queries
):
    AllianceFactory.create_batch(60, therapist=therapist)
    for days in range(1, 30):
        make_session(alliance, days_ago=days, signed=True)
    logged_in(client, request.getfixturevalue(who))
    first = main(client.get(page(alliance)))

    with django_assert_max_num_queries(most):
        again = main(client.get(page(alliance)))

    assert again == first
