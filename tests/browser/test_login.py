from playwright.sync_api import expect

from tests.factories import PASSWORD


def test_therapist_lands_on_own_caseload_and_cannot_open_others(
    page, live_server, login, screenshot, a11y, therapist, alliance, other_alliance
):
    own_name = alliance.patient.display_name
    other_name = other_alliance.patient.display_name

    login(page, live_server, therapist.email, PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/caseload/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    expect(page.get_by_role("link", name=own_name)).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(other_name)
    assert other_name not in page.content()
    a11y.check(page)

    # Editing the address bar to another therapist's alliance: not found, nothing leaked.
    response = page.goto(f"{live_server.url}/alliances/{other_alliance.id}/")

    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(other_name)
    assert other_name not in page.content()
    a11y.check(page)
    screenshot(page, "therapist-other-alliance-404")

    page.go_back()
    expect(page.get_by_role("link", name=own_name)).to_be_visible()
    screenshot(page, "therapist-caseload")


def test_wrong_password_shows_error_and_keeps_email(
    page, live_server, login, screenshot, a11y, therapist
):
    response = login(page, live_server, therapist.email, "not-" + PASSWORD)

    assert response is not None
    assert response.status == 200
    expect(page).to_have_url(f"{live_server.url}/login/")
    expect(page.get_by_text("That email and password do not match an account.")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value(therapist.email)
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    a11y.check(page)
    screenshot(page, "login-wrong-password")
