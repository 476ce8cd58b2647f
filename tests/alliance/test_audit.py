"""The audit trail: every read and change of a record, refusals and exports, by whom, when and
from where; append-only; the clinic admin asks who opened a patient's record."""

import datetime

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from django.utils import timezone

from alliance import audit
from alliance.models import AuditEvent, User
from decisions import services as decision_services
from goals.models import Goal
from sessions_log.models import Session
from tests.factories import PatientFactory, force_login_verified


def only_event(**filters) -> AuditEvent:
    return AuditEvent.objects.filter(**filters).exclude(action__in=["login", "logout"]).get()


@pytest.fixture
def goal(alliance, therapist):
    return Goal.objects.create(
        alliance=alliance,
        created_by=therapist,
        expressed_by="therapist",
        description="Sleep before midnight",
        version=1,
    )


@pytest.fixture
def session(alliance, therapist):
    return Session.objects.create(
        alliance=alliance,
        created_by=therapist,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        assessment="Settled.",
    )


def test_a_read_names_who_what_when_and_where(client, therapist, alliance):
    client.force_login(therapist)
    client.get(reverse("alliance_detail", args=[alliance.id]), REMOTE_ADDR="203.0.113.4")
    event = only_event(url_name="alliance_detail")
    assert event.action == "read"
    assert event.actor == therapist and event.actor_role == "therapist"
    assert event.clinic == therapist.clinic
    assert event.patient == alliance.patient
    assert (event.record_type, event.record_id) == ("alliance", str(alliance.id))
    assert event.status == 200 and event.method == "GET"
    assert event.ip == "203.0.113.4"
    assert timezone.now() - event.at < datetime.timedelta(minutes=1)


def test_goals_talks_and_sessions_lead_to_their_patient(client, therapist, alliance, goal, session):
    talk = decision_services.talk_start(alliance=alliance, by=therapist, question="Walk more?")
    client.force_login(therapist)
    client.get(reverse("goal_detail", args=[goal.id]))
    client.get(reverse("decision_talk", args=[talk.id]))
    client.get(reverse("session_detail", args=[session.id]))
    events = AuditEvent.objects.filter(action="read")
    assert {e.record_type for e in events} == {"goal", "decision talk", "session"}
    assert {e.patient_id for e in events} == {alliance.patient_id}


def test_a_patient_told_by_the_view_is_taken_for_the_record_the_url_names_only(alliance):
    other = PatientFactory(clinic=alliance.clinic)
    told = (str(alliance.pk), other.pk)  # not what the row says: shows which value is used
    assert audit._record_from_arguments({"alliance_id": alliance.pk}, told)["patient_id"] == (
        other.pk
    )
    elsewhere = ("7f1c1b8e-0000-4000-8000-000000000000", other.pk)
    found = audit._record_from_arguments({"alliance_id": alliance.pk}, elsewhere)
    assert found["patient_id"] == alliance.patient_id  # read from the record itself


def test_a_change_is_recorded_as_one(client, therapist, alliance):
    client.force_login(therapist)
    client.post(reverse("alliance_end", args=[alliance.id]), {})
    event = only_event(url_name="alliance_end")
    assert event.action == "change" and event.method == "POST"
    assert event.patient == alliance.patient


def test_refusals_are_recorded_with_the_patient_tried(client, outsider, clinic_admin, alliance):
    client.force_login(outsider)
    assert client.get(reverse("alliance_detail", args=[alliance.id])).status_code == 404
    client.force_login(clinic_admin)
    assert client.get(reverse("alliance_detail", args=[alliance.id])).status_code == 403
    denied = AuditEvent.objects.filter(action="denied", patient=alliance.patient)
    assert {(e.actor_id, e.status) for e in denied} == {(outsider.id, 404), (clinic_admin.id, 403)}


def test_a_made_up_id_is_recorded_without_a_patient(client, therapist, db):
    client.force_login(therapist)
    client.get(reverse("goal_detail", args=["7f1c1b8e-0000-4000-8000-000000000000"]))
    event = only_event(action="denied")
    assert event.patient is None and event.record_type == "goal"


def test_exports_are_recorded(client, supervisor, patient_user, alliance):
    client.force_login(supervisor)
    client.get(reverse("review_export"))
    client.force_login(patient_user)
    client.get(reverse("portal_plan"))
    exports = AuditEvent.objects.filter(action="export")
    assert {e.url_name for e in exports} == {"review_export", "portal_plan"}
    assert exports.get(url_name="portal_plan").patient == alliance.patient


def test_anonymous_requests_leave_no_row(client, alliance):
    client.get(reverse("alliance_detail", args=[alliance.id]))
    assert not AuditEvent.objects.exists()


def test_the_trail_holds_no_clinical_text(client, therapist, alliance, goal, session):
    client.force_login(therapist)
    client.get(reverse("goal_detail", args=[goal.id]))
    client.get(reverse("session_detail", args=[session.id]))
    client.get(reverse("caseload") + "?q=Quill")
    text = " ".join(str(v) for row in AuditEvent.objects.values() for v in row.values())
    for clinical in ["Sleep before midnight", "Settled", "Quill", "Patricia"]:
        assert clinical not in text


def test_the_operators_admin_is_recorded(client, alliance):
    operator = User.objects.create_superuser("ops@example.org", "an operator passphrase")
    force_login_verified(client, operator)
    patient = alliance.patient
    client.get(reverse("admin:alliance_patient_change", args=[patient.pk]))
    event = only_event(action="admin")
    assert event.url_name == "admin:alliance_patient_change"
    assert event.patient == patient and event.actor_role == "operator"


class TestAppendOnly:
    def test_the_model_refuses_change_and_removal(self, therapist):
        event = AuditEvent.objects.create(action="read", actor=therapist)
        event.detail = "edited"
        with pytest.raises(TypeError):
            event.save()
        with pytest.raises(TypeError):
            event.delete()
        with pytest.raises(TypeError):
            AuditEvent.objects.filter(pk=event.pk).update(detail="edited")
        with pytest.raises(TypeError):
            AuditEvent.objects.all().delete()

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
    @pytest.mark.parametrize(
        "sql",
        [
            "UPDATE alliance_auditevent SET detail = 'edited'",
            "DELETE FROM alliance_auditevent",
        ],
    )
    def test_the_database_refuses_it_even_by_raw_sql(self, therapist, sql):
        AuditEvent.objects.create(action="read", actor=therapist)
        with (
            pytest.raises(DatabaseError, match="never changed or removed"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
        assert AuditEvent.objects.filter(detail="").count() == 1


class TestAccessLogPage:
    @pytest.fixture
    def trail(self, client, therapist, supervisor, outsider, alliance, other_alliance):
        for user in (therapist, supervisor, outsider):
            client.force_login(user)
            client.get(reverse("alliance_detail", args=[alliance.id]))
        client.force_login(therapist)
        client.get(reverse("alliance_detail", args=[other_alliance.id]))

    def show(self, client, patient, start, end):
        return client.get(
            reverse("access_log"),
            {"patient": patient.id, "date_from": start.isoformat(), "date_to": end.isoformat()},
        )

    def test_it_lists_who_opened_the_record(self, client, clinic_admin, alliance, trail):
        client.force_login(clinic_admin)
        today = clinic_admin.clinic.today()
        page = self.show(client, alliance.patient, today, today)
        assert page.status_code == 200
        assert "3 recorded accesses" in page.text
        assert "Alice Therapist (therapist)" in page.text
        assert "Charlie Supervisor (supervisor)" in page.text
        # Someone from another clinic is shown as such, not by name.
        assert "Oscar" not in page.text and "someone from another clinic" in page.text
        assert "refused (404)" in page.text

    def test_it_keeps_to_the_dates_asked(self, client, clinic_admin, alliance, trail):
        AuditEvent.objects.create(
            action="read",
            actor=clinic_admin,
            patient=alliance.patient,
            at=timezone.now() - datetime.timedelta(days=40),
        )
        client.force_login(clinic_admin)
        today = clinic_admin.clinic.today()
        assert "3 recorded accesses" in self.show(client, alliance.patient, today, today).text
        start = today - datetime.timedelta(days=60)
        assert "4 recorded accesses" in self.show(client, alliance.patient, start, today).text

    def test_only_patients_of_the_admins_clinic(self, client, clinic_admin, outside_alliance):
        client.force_login(clinic_admin)
        today = clinic_admin.clinic.today()
        page = self.show(client, outside_alliance.patient, today, today)
        assert "Select a valid choice" in page.text
        assert "recorded access" not in page.text

    def test_dates_are_checked(self, client, clinic_admin, alliance):
        client.force_login(clinic_admin)
        today = clinic_admin.clinic.today()
        page = self.show(client, alliance.patient, today, today - datetime.timedelta(days=1))
        assert "The end comes on or after the start." in page.text
        page = self.show(client, alliance.patient, today, today + datetime.timedelta(days=1))
        assert "up to today" in page.text
        bad = client.get(reverse("access_log"), {"patient": alliance.patient.id, "date_from": "x"})
        assert bad.status_code == 200

    def test_it_shows_no_clinical_text(self, client, clinic_admin, alliance, therapist, trail):
        PatientFactory(clinic=clinic_admin.clinic, given_name="Zed", family_name="Zulu")
        client.force_login(clinic_admin)
        today = clinic_admin.clinic.today()
        page = self.show(client, alliance.patient, today, today).text
        assert "patient record" in page
        assert str(alliance.id) not in page

    def test_it_is_in_the_admins_navigation(self, client, clinic_admin):
        client.force_login(clinic_admin)
        page = client.get(reverse("clinic_home")).text
        assert f'href="{reverse("access_log")}"' in page

    def test_reading_the_log_is_itself_recorded(self, client, clinic_admin, alliance):
        client.force_login(clinic_admin)
        client.get(reverse("access_log"))
        assert only_event(url_name="access_log").actor == clinic_admin
