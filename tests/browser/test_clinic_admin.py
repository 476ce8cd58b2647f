"""The clinic admin's home: staff and who supervises whom; no clinical record in reach."""

from playwright.sync_api import expect

from tests.factories import PASSWORD


def test_clinic_admin_sees_staff_and_supervision_but_no_records(
    page, live_server, login, a11y, screenshot, clinic_admin, supervisor, therapist, alliance
):
    login(page, live_server, clinic_admin.email, PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/clinic/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Riverside Therapy: staff and supervision"
    )
    staff = page.get_by_role("region", name="Staff")
    expect(staff.get_by_role("row").filter(has_text=therapist.email)).to_contain_text("Therapist")
    supervision = page.get_by_role("region", name="Who supervises whom")
    expect(supervision.get_by_role("row").filter(has_text=supervisor.full_name)).to_contain_text(
        therapist.full_name
    )
    a11y.check(page)
    screenshot(page, "clinic-admin-home")

    page.get_by_role("link", name="All patients").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Patients and their therapists")
    row = page.get_by_role("row").filter(has_text=alliance.patient.display_name)
    expect(row).to_contain_text(therapist.full_name)
    expect(row.get_by_role("link", name=alliance.patient.display_name, exact=True)).to_have_count(0)
    a11y.check(page)

    # The record itself is not for the admin.
    response = page.goto(f"{live_server.url}/alliances/{alliance.id}/")
    assert response is not None
    assert response.status in (403, 404)
    expect(page.locator("body")).not_to_contain_text(alliance.patient.display_name)
    a11y.check(page)
