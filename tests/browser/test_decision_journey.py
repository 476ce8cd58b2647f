"""Journey 2: a shared decision, from the question to its review; the patient reads it after."""

import datetime

from playwright.sync_api import expect

from tests.browser.steps import expect_message, main
from tests.factories import PASSWORD

QUESTION = "Should we add a weekly group session, or keep to one-to-one for now?"
GROUP = "Add the Thursday anxiety group"


def test_therapist_runs_a_decision_talk_and_the_patient_reads_it(
    page, live_server, login, new_context, a11y, screenshot, therapist, alliance, patient_user
):
    today = alliance.clinic.today()
    login(page, live_server, therapist.email, PASSWORD)
    a11y.check(page)
    page.get_by_role("link", name=alliance.patient.display_name).click()
    a11y.check(page)

    # The question, as the patient would say it.
    main(page).get_by_role("link", name="Start a decision talk").click()
    a11y.check(page)
    page.get_by_label("The question, in plain words").fill(QUESTION)
    page.get_by_role("button", name="Start the talk").click()
    expect_message(page, "Decision talk started")
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    expect(page.get_by_role("heading", level=2, name="Choice talk")).to_be_visible()
    a11y.check(page)

    # Choice talk: every step ticked, then on to the options.
    for step in ("Take a step back", "Offer the choices", "Monitor the reaction"):
        page.get_by_role("checkbox", name=step).check()
    page.get_by_role("button", name="Move on to option talk").click()
    expect_message(page, "Now at option talk")
    expect(page.get_by_role("heading", level=2, name="Option talk")).to_be_visible()
    a11y.check(page)

    # Option talk: "no change" is offered already; add the group, and what matters most.
    main(page).get_by_role("link", name="Add an option").first.click()
    a11y.check(page)
    page.get_by_label("The option, in a few words").fill(GROUP)
    page.get_by_label("What it involves").fill(
        "Ninety minutes on Thursdays, eight people, CBT-based."
    )
    page.get_by_label("Benefits", exact=True).fill(
        "Meeting others who feel the same; more practice."
    )
    page.get_by_label("Drawbacks and risks").fill("Speaking in a group is hard at first; evenings.")
    page.get_by_label("How much it appeals to the patient").select_option("7")
    page.get_by_label("The patient's view, in their words").fill(
        "It scares me a bit, but I think I need it."
    )
    page.get_by_role("button", name="Save the option").click()
    expect(page.get_by_role("heading", level=4, name=GROUP)).to_be_visible()
    main(page).get_by_role("link", name="Write them down").click()
    a11y.check(page)
    texts = page.get_by_role("textbox", name="What matters")
    texts.nth(0).fill("Not feeling alone with it")
    texts.nth(1).fill("Keeping my evenings free for the kids")
    page.get_by_role("button", name="Save the list").click()
    expect(page.get_by_role("region", name="What matters most to Patricia")).to_contain_text(
        "Not feeling alone with it"
    )
    page.get_by_role("checkbox", name="Give the options").check()
    page.get_by_role("link", name="See the options side by side").click()
    expect(page.get_by_role("table", name="The options side by side")).to_contain_text(GROUP)
    a11y.check(page)
    page.get_by_role("link", name="Back to the talk").click()
    page.get_by_role("button", name="Move on to decision talk").click()
    expect(page.get_by_role("heading", level=2, name="Decision talk")).to_be_visible()
    a11y.check(page)

    # Decision talk: the decision, in the patient's words, with a review date.
    page.get_by_role("checkbox", name="Elicit the preferences").check()
    main(page).get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the decision")
    a11y.check(page)
    page.get_by_role("radio", name=GROUP).check()
    page.get_by_role("radio", name="Decided together").check()
    page.get_by_label("Why, in the patient's words").fill("I want to try it for six weeks.")
    page.get_by_role("button", name="Record the decision").click()
    expect_message(page, "Decision recorded")
    decision = page.get_by_role("region", name="The decision")
    expect(decision).to_contain_text(GROUP)
    a11y.check(page)

    # The review: it still fits; the next one in eight weeks.
    main(page).get_by_role("link", name="Review the decision: does it still fit?").click()
    a11y.check(page)
    page.get_by_role("radio", name="It still fits").check()
    page.get_by_label("What the patient said").fill("The group helps; Thursdays work.")
    next_review = today + datetime.timedelta(weeks=8)
    page.get_by_label("Next review (if it still fits)").fill(next_review.isoformat())
    page.get_by_role("button", name="Record the review").click()
    expect_message(page, "Review recorded; the next one is in the calendar.")
    history = page.get_by_role("region", name="The record")
    expect(history).to_contain_text("It still fits. “The group helps; Thursdays work.”")
    page.get_by_role("link", name="Printable summary").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    a11y.check(page)

    # The patient, in the portal, finds the decision and its summary.
    portal = new_context().new_page()
    login(portal, live_server, patient_user.email, PASSWORD)
    a11y.check(portal)
    decisions = portal.get_by_role("region", name="With Alice Therapist")
    expect(decisions).to_contain_text(f"Decided: {GROUP}")
    portal.get_by_role("link", name=QUESTION).click()
    expect(portal.get_by_role("heading", level=1)).to_have_text(QUESTION)
    expect(main(portal)).to_contain_text(f"You and Alice Therapist decided together: {GROUP}")
    expect(main(portal)).to_contain_text("“I want to try it for six weeks.”")
    expect(main(portal)).to_contain_text("Not feeling alone with it")
    expect(main(portal)).to_contain_text(next_review.strftime("%-d %B %Y"))
    a11y.check(portal)
    screenshot(portal, "patient-portal-decision")
