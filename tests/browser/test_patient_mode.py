"""The therapist hands their device to the patient at the end of a session: the patient sees
the four questions and nothing else; the therapist's password brings their pages back."""

from playwright.sync_api import expect

from tests.browser.steps import choose_scale, expect_message, main
from tests.factories import PASSWORD
from tests.sessions_log.factories import make_session


def test_patient_rates_on_the_therapists_device(
    page, live_server, login, a11y, screenshot, therapist, alliance
):
    session = make_session(alliance, days_ago=0.02, signed=True)
    login(page, live_server, therapist.email, PASSWORD)
    a11y.check(page)
    page.goto(f"{live_server.url}/sessions/{session.id}/")
    a11y.check(page)
    page.get_by_role("button", name="Hand the device to the patient").click()

    # The patient's view: the questions only, no navigation, no record.
    expect(page.get_by_role("heading", level=1)).to_have_text("How was today's session?")
    expect(page.get_by_role("navigation")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text(alliance.patient.family_name)
    a11y.check(page)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("alert")).to_have_text("Please choose a number for each question.")
    a11y.check(page)  # the questions, with what is missing marked
    choose_scale(
        page,
        {
            "We worked on what I wanted to work on": 6,
            "The way we worked suited me": 5,
            "I felt heard, understood and respected": 7,
            "Overall, today's session was right for me": 6,
        },
    )
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    a11y.check(page)

    # Any other page leads back here while patient mode is on.
    page.goto(f"{live_server.url}/caseload/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")

    # The therapist's password ends it.
    page.get_by_label("Your password").fill("not-" + PASSWORD)
    page.get_by_role("button", name="Leave patient mode").click()
    expect(page.get_by_text("That is not your password. Patient mode stays on.")).to_be_visible()
    a11y.check(page)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Leave patient mode").click()
    expect_message(page, "Patient mode has ended.")
    ratings = page.get_by_role("region", name="Alliance ratings")
    expect(ratings).to_contain_text("24/40")
    expect(ratings).to_contain_text("on the therapist's device")
    expect(main(page).get_by_role("status").filter(has_text="Alliance alert.")).to_be_visible()

    # The rating was under the clinic's cutoff: the caseload puts the alert first.
    page.get_by_role("link", name="Caseload", exact=True).click()
    to_act_on = page.get_by_role("region", name="To act on")
    expect(to_act_on).to_contain_text(
        f"{alliance.patient.display_name}: The patient rated the session 24/40, below the"
        " clinic's cutoff"
    )
    a11y.check(page)
    screenshot(page, "therapist-caseload-alert")
