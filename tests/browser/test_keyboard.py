"""The session-note journey with the keyboard only, focus seen at every stop.

Nothing here clicks: Tab and Shift+Tab move, typing fills, Space ticks, arrows choose, Enter
follows a link or presses a button. `tab_to` fails if any stop on the way shows no focus,
is off screen or is covered (by the sticky Save/Sign bar, say). The browser prefers reduced
motion, so that it jumps to the focused element instead of scrolling there smoothly: the page
is at rest, as the person sees it, when each stop is checked.
"""

import re

from playwright.sync_api import expect

from tests.browser.a11y import assert_focus_visible, press_and_follow, tab_to
from tests.browser.steps import field, main
from tests.factories import PASSWORD


def test_session_note_written_signed_rated_and_amended_with_the_keyboard(
    new_context, live_server, a11y, therapist, alliance, active_goal
):
    page = new_context(reduced_motion="reduce").new_page()
    keys = page.keyboard
    patient_name = alliance.patient.display_name

    page.goto(f"{live_server.url}/login/")
    a11y.check(page)
    tab_to(page, page.get_by_label("Email"))
    keys.type(therapist.email)
    tab_to(page, page.get_by_label("Password"))
    keys.type(PASSWORD)
    press_and_follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    a11y.check(page)

    # The first Tab shows the skip link; it takes focus past the navigation.
    keys.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    assert_focus_visible(page)
    keys.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    tab_to(page, page.get_by_role("link", name=patient_name))
    press_and_follow(page)
    a11y.check(page)

    tab_to(page, main(page).get_by_role("link", name="Log a session"))
    press_and_follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Session with {patient_name}")
    a11y.check(page)

    # The note, the goal worked on, then Sign and lock: the sticky bar never hides the focus.
    tab_to(page, page.get_by_label("Subjective"))
    keys.type("Went to the shop alone twice; once turned back at the door.")
    tab_to(page, page.get_by_label("Objective"))
    keys.type("Calmer than last week; breathing steady when describing it.")
    tab_to(page, page.get_by_label("Assessment"))
    keys.type("Graded exposure working; avoidance at busy times remains.")
    tab_to(page, field(page, "Plan"))
    keys.type("Try a busier hour with the breathing app.")
    tab_to(page, page.get_by_role("checkbox", name=active_goal.title))
    keys.press("Space")
    expect(page.get_by_role("checkbox", name=active_goal.title)).to_be_checked()
    tab_to(page, page.get_by_label("Value (trips)"))
    keys.type("2")
    tab_to(page, page.get_by_role("button", name="Sign and lock"))
    press_and_follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Session of "))
    expect(main(page)).to_contain_text(f"signed by {therapist.full_name}")
    expect(page.get_by_role("region", name="Goals worked on")).to_contain_text("2 trips")
    a11y.check(page)

    # The therapist's rating: arrows choose a number in each group of buttons.
    tab_to(page, page.get_by_role("link", name="Rate this session"))
    press_and_follow(page)
    a11y.check(page)
    for question, score in (("Goals", 7), ("Tasks", 8), ("Bond", 9), ("Overall", 8)):
        group = page.get_by_role("group", name=question)
        tab_to(page, group.get_by_role("radio", name="0", exact=True))
        for _ in range(score):
            keys.press("ArrowRight")
            assert_focus_visible(page)
        expect(group.get_by_role("radio", name=str(score), exact=True)).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Record my rating"))
    press_and_follow(page)
    ratings = page.get_by_role("region", name="Alliance ratings")
    expect(ratings).to_contain_text("32/40 (goals 7, tasks 8, bond 9, overall 8)")

    # An addendum under the signed note.
    tab_to(page, page.get_by_role("link", name="Add an addendum"))
    press_and_follow(page)
    a11y.check(page)
    tab_to(page, page.get_by_label("Why the addendum"))
    keys.type("Late entry: homework agreed")
    tab_to(page, field(page, "Addendum"))
    keys.type("Shop visit before 9 on Saturday, with the app.")
    tab_to(page, page.get_by_role("button", name="Add addendum"))
    press_and_follow(page)
    addenda = page.get_by_role("region", name="Addenda")
    expect(addenda).to_contain_text("Late entry: homework agreed")
    expect(addenda).to_contain_text("Shop visit before 9 on Saturday, with the app.")
