"""Journey 1: a therapist takes on a new patient and works with them, in the browser.

Add the patient, write a SMART goal (meeting the form's guidance on the way) and propose it;
the patient, invited to the portal, agrees in their own browser; the therapist logs a session
with progress on the goal, signs it, rates the alliance and adds an addendum.
"""

import datetime
import re

from playwright.sync_api import expect

from sessions_log.forms import quick_note
from sessions_log.models import Session
from tests.browser.steps import choose_scale, expect_message, field, main
from tests.factories import PASSWORD
from tests.sessions_log.factories import make_session

PATIENT_PASSWORD = "a-garden-of-quiet-lanterns"
GOAL = "Take the bus to work on my own, three days a week."


def test_therapist_adds_patient_agrees_goal_and_signs_session(
    page, live_server, login, new_context, a11y, screenshot, mailoutbox, therapist
):
    today = therapist.clinic.today()

    # The therapist starts from an empty caseload and adds a patient.
    login(page, live_server, therapist.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    a11y.check(page)
    main(page).get_by_role("link", name="Add patient").click()
    a11y.check(page)
    # A required field is named by its label alone (no "star" read aloud); the asterisk is
    # still drawn on screen.
    page.get_by_role("textbox", name="Given name", exact=True).fill("Maya")
    page.get_by_role("textbox", name="Family name", exact=True).fill("Okafor")
    page.get_by_role("textbox", name="Date of birth", exact=True).fill("1991-03-14")
    drawn = page.eval_on_selector(
        "label[for=id_given_name]", "label => getComputedStyle(label, '::after').content"
    )
    assert "*" in drawn
    page.get_by_label("Email").fill("maya.okafor@example.org")
    main(page).get_by_role("button", name="Add patient").click()
    expect_message(page, "Maya Okafor is now on your caseload.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maya Okafor")
    a11y.check(page)
    patient_page = page.url

    # A goal proposed with only its first part: the form says what each SMART part still needs.
    main(page).get_by_role("link", name="New goal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A new SMART goal with Maya")
    a11y.check(page)
    page.get_by_label("What exactly will change").fill(GOAL)
    page.get_by_role("button", name="Save and propose to Maya").click()
    guidance = page.get_by_role("alert").filter(has_text="the goal still needs")
    expect(guidance).to_be_visible()
    for part in ("Measurable", "Attainable", "Relevant", "Time-limited"):
        expect(guidance).to_contain_text(part)
    expect(guidance).not_to_contain_text("Specific")
    expect(page.get_by_label("How it is measured")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("What exactly will change")).to_have_value(GOAL)
    a11y.check(page)  # the form with its errors shown

    # Each part filled in as the guidance asks; now it can be proposed.
    page.get_by_label("How it is measured").fill("Days a week I take the bus to work alone")
    page.get_by_label("Baseline").fill("0")
    field(page, "Target").fill("3")
    page.get_by_label("Unit").fill("days")
    page.get_by_label("Steps").fill("One stop with my brother; then the whole way; then alone.")
    page.get_by_label("Resources and support").fill("My brother Tunde; the breathing exercise.")
    page.get_by_label("Barriers and how to meet them").fill("Crowded buses: take the 7:40.")
    page.get_by_label("Why it matters, in the patient's words").fill(
        "“I want to keep my job without asking for lifts.”"
    )
    page.get_by_label("Target date").fill((today + datetime.timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Save and propose to Maya").click()
    expect_message(page, "Goal proposed")
    expect(page.get_by_role("heading", level=1)).to_have_text(GOAL)
    expect(main(page).get_by_text("Waiting for agreement").first).to_be_visible()
    a11y.check(page)

    # Maya has no portal account yet: the therapist invites her.
    page.goto(patient_page)
    main(page).get_by_role("link", name="Invite to the portal").click()
    expect(page.get_by_label("Email")).to_have_value("maya.okafor@example.org")
    a11y.check(page)
    page.get_by_role("button", name="Send invitation").click()
    expect_message(page, "Invitation sent to maya.okafor@example.org")
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/invitation/\S+", mailoutbox[0].body).group(0)

    # Maya, in her own browser, chooses a password and agrees to the goal.
    patient = new_context().new_page()
    patient.goto(link)
    a11y.check(patient)
    field(patient, "New password").fill(PATIENT_PASSWORD)
    field(patient, "New password confirmation").fill(PATIENT_PASSWORD)
    patient.get_by_role("button", name="Set password").click()
    expect(patient.get_by_role("heading", level=1)).to_have_text("Hello Maya")
    a11y.check(patient)
    patient.get_by_role("link", name="Read it and answer").click()
    expect(patient.get_by_role("heading", level=1)).to_have_text(GOAL)
    a11y.check(patient)
    patient.get_by_label("I agree").check()
    patient.get_by_role("button", name="Send my answer").click()
    expect_message(patient, "Thank you: your therapist sees your answer.")
    a11y.check(patient)
    main(patient).get_by_role("link", name="My care").click()
    expect(patient.get_by_role("link", name=GOAL, exact=True)).to_be_visible()
    expect(patient.get_by_role("link", name="Read it and answer")).to_have_count(0)

    # Back with the therapist: the goal is active; she logs today's session.
    page.goto(patient_page)
    goals = page.get_by_role("table", name="Goals of this episode of care")
    expect(goals.get_by_role("row").filter(has_text=GOAL)).to_contain_text("Active")
    main(page).get_by_role("link", name="Log a session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Session with Maya Okafor")
    a11y.check(page)
    page.get_by_label("Subjective").fill("Took the bus one stop with her brother, twice.")
    page.get_by_label("Objective").fill("Calm, good eye contact; breathing practised in session.")
    page.get_by_label("Assessment").fill("Avoidance easing; ready for the whole journey.")
    field(page, "Plan").fill("The whole way with Tunde, then alone on Friday.")
    page.get_by_role("checkbox", name=GOAL).check()
    page.get_by_label("Value (days)").fill("1")
    page.get_by_label("Comment").fill("One day alone, the short way.")
    # Nothing typed is lost: the draft saves itself while she types.
    expect(page.get_by_role("status").filter(has_text="Draft saved at")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/sessions/[0-9a-f-]+/edit/$"))
    page.get_by_role("button", name="Sign and lock").click()
    expect_message(page, "Signed. The note is locked")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Session of "))
    work = page.get_by_role("region", name="Goals worked on")
    expect(work).to_contain_text(f"{GOAL}: 1 days · One day alone, the short way.")
    a11y.check(page)

    # Her own alliance rating of the session.
    page.get_by_role("link", name="Rate this session").click()
    a11y.check(page)
    choose_scale(page, {"Goals": 8, "Tasks": 7, "Bond": 9, "Overall": 8})
    page.get_by_role("button", name="Record my rating").click()
    ratings = page.get_by_role("region", name="Alliance ratings")
    expect(ratings).to_contain_text("32/40 (goals 8, tasks 7, bond 9, overall 8)")

    # An addendum under the signed note.
    page.get_by_role("link", name="Add an addendum").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an addendum")
    a11y.check(page)
    page.get_by_label("Why the addendum").fill("Her brother called after the session")
    field(page, "Addendum").fill("Tunde can come on Friday too.")
    page.get_by_role("button", name="Add addendum").click()
    expect_message(page, "Addendum added under the signed note.")
    addenda = page.get_by_role("region", name="Addenda")
    expect(addenda).to_contain_text("Her brother called after the session")
    expect(addenda).to_contain_text("Tunde can come on Friday too.")

    # The patient page now holds it all: the goal's progress, the session, the rating.
    page.goto(patient_page)
    expect(goals.get_by_role("row").filter(has_text=GOAL)).to_contain_text("1 days")
    sessions = page.get_by_role("table", name="Sessions of this episode of care")
    expect(sessions).to_contain_text("Signed, 1 addendum")
    screenshot(page, "therapist-patient-page")
    page.get_by_role("link", name="Caseload", exact=True).click()
    a11y.check(page)
    screenshot(page, "therapist-caseload-journey")


def test_signing_while_the_first_autosave_is_on_its_way_keeps_one_session(
    page, live_server, login, a11y, therapist, alliance
):
    # A slow connection: the autosave reaches the server, its answer is late to the page.
    late: list = []
    page.route("**/autosave/", lambda route: late.append((route, route.fetch())))
    login(page, live_server, therapist.email, PASSWORD)
    a11y.check(page)
    page.goto(f"{live_server.url}/sessions/new/{alliance.id}/")
    a11y.check(page)
    page.get_by_label("Subjective").fill("Slept better; one panic attack, on the bus.")
    page.get_by_label("Assessment").fill("Improving.")
    field(page, "Plan").fill("Keep the sleep diary.")
    for _ in range(50):
        if late:
            break
        page.wait_for_timeout(100)
    assert late, "the autosave never went out"

    page.get_by_role("button", name="Sign and lock").click()

    expect_message(page, "Signed. The note is locked")
    a11y.check(page)
    sessions = Session.objects.filter(alliance=alliance)
    assert [s.is_signed for s in sessions] == [True]


def test_the_editors_autosave_is_checked_directly_and_keeps_everything_typed(
    page, live_server, login, a11y, therapist, alliance, gas_goal, monkeypatch
):
    # What the browser posts as a therapist types is plain input: no form is built to check
    # it (sessions_log.forms.quick_note), and all of it is kept.
    checked = []
    check = quick_note.clean

    def watched(data, goals):
        note = check(data, goals)
        checked.append(note is not None)
        return note

    monkeypatch.setattr(quick_note, "clean", watched)
    draft = make_session(alliance)
    login(page, live_server, therapist.email, PASSWORD)
    a11y.check(page)
    page.goto(f"{live_server.url}/sessions/{draft.id}/edit/")
    a11y.check(page)
    page.get_by_label(gas_goal.title).check()
    field(page, "Attainment level").select_option("1")
    field(page, "Comment").fill("Took the bus twice, once alone.")
    field(page, "Plan").fill("Three trips alone before next week.")
    expect(page.locator(".autosave-status")).to_contain_text("Draft saved at", timeout=8_000)
    saved = Session.objects.get(pk=draft.pk)
    assert saved.plan == "Three trips alone before next week."
    [work] = saved.goal_work.all()
    assert (work.goal_id, work.gas_level, work.comment) == (
        gas_goal.id,
        1,
        "Took the bus twice, once alone.",
    )
    assert checked and all(checked)
