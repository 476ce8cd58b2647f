"""Journey 4: the patient, on a phone 375 px wide, agrees to a goal, records progress and rates
the session. Every page must fit the screen: no sideways scrolling."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from goals.services import progress_record
from tests.browser.conftest import PHONE
from tests.browser.steps import check_radio_scale, expect_message, main
from tests.factories import PASSWORD
from tests.goals.factories import ActiveGoalFactory, ProposedGoalFactory
from tests.sessions_log.factories import make_session

SHOP = "Go to the corner shop on my own, without a panic attack."
SLEEP = "Sleep through most nights without waking before five."


@pytest.fixture
def goals(alliance, therapist):
    """An agreed goal with three weeks of progress, and a new one proposed by the therapist."""
    today = alliance.clinic.today()
    shop = ActiveGoalFactory(alliance=alliance, description=SHOP)
    for weeks_ago, trips in ((3, 0), (2, 1), (1, 1)):
        progress_record(
            goal=shop,
            by=therapist,
            party="therapist",
            recorded_on=today - datetime.timedelta(weeks=weeks_ago),
            value=Decimal(trips),
        )
    sleep = ProposedGoalFactory(
        alliance=alliance,
        description=SLEEP,
        measure="Nights a week asleep until five",
        baseline=Decimal("1"),
        target=Decimal("5"),
        unit="nights",
    )
    return shop, sleep


@pytest.fixture
def phone(new_context) -> Page:
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    return context.new_page()


def assert_fits(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen"


def test_patient_on_a_phone_agrees_records_progress_and_rates(
    phone, live_server, login, a11y, screenshot, patient_user, alliance, goals
):
    session = make_session(alliance, days_ago=1, signed=True)
    session_day = session.starts_at.astimezone(alliance.clinic.zone).strftime("%A %-d %B")

    login(phone, live_server, patient_user.email, PASSWORD)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hello Patricia")
    expect(
        phone.get_by_role("heading", name=f"How was your session on {session_day}?")
    ).to_be_visible()
    assert_fits(phone)
    a11y.check(phone)

    # The proposed goal: read it, agree.
    phone.get_by_role("link", name="Read it and answer").tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text(SLEEP)
    assert_fits(phone)
    a11y.check(phone)
    phone.get_by_label("I agree").tap()
    phone.get_by_role("button", name="Send my answer").tap()
    expect_message(phone, "Thank you: your therapist sees your answer.")
    expect(phone.get_by_text("Waiting for agreement")).to_have_count(0)
    expect(phone.get_by_role("region", name="Record how it is going")).to_be_visible()

    # Her progress on the goal agreed before, from its card on her home page.
    main(phone).get_by_role("link", name="My care").tap()
    expect(phone.get_by_role("link", name="Read it and answer")).to_have_count(0)
    card = main(phone).locator(".card").filter(has=phone.get_by_role("link", name=SHOP, exact=True))
    card.get_by_role("link", name="Record how it is going").tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text(SHOP)
    progress = phone.get_by_role("region", name="Record how it is going")
    expect(progress).to_be_in_viewport()
    progress.get_by_label("Trips to the shop alone per week (trips)").fill("2")
    progress.get_by_label("Anything to add?").fill("Went on Tuesday and Saturday, early.")
    progress.get_by_role("button", name="Record").tap()
    expect_message(phone, "Recorded. Your therapist will see it before your review.")
    expect(phone.get_by_role("region", name="Progress")).to_contain_text("2 trips · by you")
    assert_fits(phone)
    a11y.check(phone)

    # The menu, folded away on a phone, takes her back to her care.
    menu = phone.get_by_role("button", name="Show menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.tap()
    expect(menu).to_have_attribute("aria-expanded", "true")
    phone.get_by_role("navigation", name="Main").get_by_role("link", name="My care").tap()
    expect(phone.get_by_role("link", name=SLEEP, exact=True)).to_be_visible()

    # Four questions about yesterday's session.
    phone.get_by_role("link", name="Rate the session").tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text(f"Your session on {session_day}")
    assert_fits(phone)
    a11y.check(phone)
    check_radio_scale(
        phone,
        {
            "We worked on what I wanted to work on": 9,
            "The way we worked suited me": 8,
            "I felt heard, understood and respected": 10,
            "Overall, today's session was right for me": 9,
        },
    )
    phone.get_by_role("button", name="Send").tap()
    expect_message(phone, "Thank you. Your rating helps your therapist work with you.")
    expect(phone.get_by_role("link", name="Rate the session")).to_have_count(0)
    expect(main(phone)).to_contain_text("Our goals")
    assert_fits(phone)
    screenshot(phone, "patient-portal-phone")
