"""Journey 3: a supervisor sees what needs them, co-signs a note and reads a record."""

import pytest
from playwright.sync_api import expect

from alliance.models import Supervision
from sessions_log.services.notes import session_sign
from tests.browser.steps import expect_message, field, main
from tests.factories import PASSWORD
from tests.sessions_log.factories import make_session
from tests.sessions_log.rating_factories import rate


@pytest.fixture
def strained(alliance, supervisor):
    """Two signed sessions; the patient rated the latest below the clinic's cutoff, and the
    supervision began to ask for co-signing before it was signed."""
    earlier = rate(make_session(alliance, days_ago=8, signed=True), patient=38, therapist=35)
    Supervision.objects.filter(supervisor=supervisor, therapist=alliance.therapist).update(
        requires_cosign=True
    )
    latest = make_session(alliance, days_ago=1)
    latest = session_sign(session=latest, by=alliance.therapist)
    rate(latest, patient=24, therapist=33)
    return earlier, latest


def test_supervisor_sees_the_alert_cosigns_and_reads_the_record(
    page, live_server, login, a11y, screenshot, supervisor, therapist, alliance, strained
):
    patient_name = alliance.patient.display_name

    login(page, live_server, supervisor.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Caseload review")
    review = page.get_by_role("table", name="Your supervisees' caseloads")
    row = review.get_by_role("row").filter(has_text=therapist.full_name)
    expect(row.get_by_role("link", name="1 open")).to_be_visible()
    expect(row.get_by_role("link", name="1 waiting")).to_be_visible()
    a11y.check(page)
    screenshot(page, "supervisor-review")

    # The alert leads to the therapist's patients with one.
    row.get_by_role("link", name="1 open").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{therapist.full_name}'s caseload")
    expect(page.get_by_label("Show", exact=True)).to_have_value("alerts")
    patients = page.get_by_role("table", name=f"Patients of {therapist.full_name}")
    expect(patients.get_by_role("row").filter(has_text=patient_name)).to_contain_text("1 open")
    a11y.check(page)

    # The note waiting for co-signature.
    page.get_by_role("link", name="Caseload review").first.click()
    main(page).get_by_role("link", name="Notes to co-sign").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notes waiting for your co-signature")
    a11y.check(page)
    queue = page.get_by_role("table")
    expect(queue.get_by_role("row")).to_have_count(2)  # the header and one note
    queue.get_by_role("row").filter(has_text=patient_name).get_by_role("link").click()
    expect(main(page)).to_contain_text("Waiting for co-signature")
    expect(page.get_by_role("region", name="Alliance ratings")).to_contain_text("Alliance alert.")
    expect(main(page).get_by_role("link", name="Add an addendum")).to_have_count(0)
    a11y.check(page)
    session_page = page.url
    main(page).get_by_role("link", name="Co-sign").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Co-sign this note")
    a11y.check(page)
    field(page, "Comment (optional)").fill("Good that you named the strain. Discuss on Monday.")
    page.get_by_role("button", name="Co-sign").click()
    expect_message(page, "Co-signed.")
    expect(main(page)).to_contain_text("Nothing waits for your co-signature.")
    page.goto(session_page)
    expect(main(page)).to_contain_text(f"co-signed by {supervisor.full_name}")

    # Down to the patient: everything readable, nothing editable.
    page.get_by_role("link", name="Caseload review").first.click()
    expect(row.get_by_role("link", name="1 open")).to_be_visible()
    expect(row.get_by_role("link", name="1 waiting")).to_have_count(0)
    row.get_by_role("link", name=therapist.full_name).click()
    page.get_by_role("link", name=patient_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(patient_name)
    expect(page.get_by_role("status").filter(has_text="read-only")).to_contain_text(
        f"You are reading {therapist.full_name}'s record as their supervisor"
    )
    alerts = page.get_by_role("region", name="Alliance alerts")
    expect(alerts).to_contain_text("The patient rated the session 24/40, below the clinic's cutoff")
    for control in ("New goal", "Start a decision talk", "Log a session", "Invite to the portal"):
        expect(main(page).get_by_role("link", name=control)).to_have_count(0)
    expect(main(page).get_by_role("link", name="End this episode of care")).to_have_count(0)
    a11y.check(page)
    screenshot(page, "supervisor-patient-page")
