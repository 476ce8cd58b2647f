"""A therapist's caseload stamp moves with every write to what their caseload pages show,
however the row is written: here by the ORM's create() and update(), which send no signal
and skip the services, as the admin, bulk updates and the reminder sweep's SQL do."""

import datetime
import time
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone

from alliance import page_cache
from alliance.models import Alliance, CaseloadStamp, Patient, User
from decisions.models import Decision, DecisionTalk, Option
from goals.models import Goal, GoalProgress
from goals.reminders.models import ReviewReminder
from sessions_log.models import Addendum, AllianceAlert, AllianceRating, Cosignature, ErrorMark
from tests.factories import AllianceFactory, PatientFactory
from tests.sessions_log.factories import make_session


def version(user) -> int:
    return page_cache.caseload_version(user.pk)


@pytest.fixture
def record(alliance, therapist, supervisor):
    today = alliance.clinic.today()
    goal = Goal.objects.create(
        alliance=alliance,
        created_by=therapist,
        expressed_by="therapist",
        lifecycle_status="active",
        description="Walk daily",
    )
    talk = DecisionTalk.objects.create(
        alliance=alliance, question="Work?", stage="option", created_by=therapist
    )
    return {
        "alliance": alliance,
        "therapist": therapist,
        "supervisor": supervisor,
        "today": today,
        "goal": goal,
        "session": make_session(alliance, signed=True),
        "talk": talk,
        "option": Option.objects.create(talk=talk, title="Go back part time"),
    }


def rating(r):
    AllianceRating.objects.create(
        session=r["session"], rater="patient", goals=9, tasks=9, bond=9, overall=9,
        entered_by=r["therapist"],
    )  # fmt: skip


WRITES = {
    "the alliance": lambda r: Alliance.objects.filter(pk=r["alliance"].pk).update(
        status=F("status")
    ),
    "the patient's name": lambda r: Patient.objects.filter(pk=r["alliance"].patient_id).update(
        preferred_name="Pat"
    ),
    "a goal": lambda r: Goal.objects.filter(pk=r["goal"].pk).update(description="Walk further"),
    "progress on a goal": lambda r: GoalProgress.objects.create(
        goal=r["goal"],
        recorded_on=r["today"],
        value=Decimal(2),
        reported_by="patient",
        recorded_by=r["therapist"],
    ),  # fmt: skip
    "a review reminder that failed": lambda r: ReviewReminder.objects.create(
        goal=r["goal"],
        due_on=r["today"],
        recipient=r["therapist"],
        audience="therapist",
        remind_on=r["today"],
        status="failed",
    ),  # fmt: skip
    "a new session": lambda r: make_session(r["alliance"], days_ago=2),
    "a rating": rating,
    "a co-signature": lambda r: Cosignature.objects.create(
        session=r["session"], supervisor=r["supervisor"]
    ),
    "an addendum": lambda r: Addendum.objects.create(
        session=r["session"], author=r["therapist"], reason="Date", text="It was Tuesday."
    ),
    "the patient joining the portal": lambda r: User.objects.filter(
        pk=r["alliance"].patient.portal_user_id
    ).update(password="!joined"),
    "the therapist's name": lambda r: User.objects.filter(pk=r["therapist"].pk).update(
        full_name="Alice Moreno"
    ),
    "an error mark": lambda r: ErrorMark.objects.create(
        session=r["session"], marked_by=r["therapist"], reason="Wrong patient"
    ),
    "an alliance alert": lambda r: AllianceAlert.objects.create(
        alliance=r["alliance"], session=r["session"], below_cutoff=True, patient_total=30
    ),
    "a decision talk": lambda r: DecisionTalk.objects.filter(pk=r["talk"].pk).update(
        question="Work, or study?"
    ),
    "an option": lambda r: Option.objects.filter(pk=r["option"].pk).update(title="Study"),
    "a decision": lambda r: Decision.objects.create(
        talk=r["talk"],
        chosen_option=r["option"],
        decided_by="shared",
        reason="It fits",
        review_on=r["today"] + datetime.timedelta(days=30),
        recorded_by=r["therapist"],
        decided_on=r["today"],
    ),  # fmt: skip
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("write", WRITES)
def test_a_write_moves_the_therapists_stamp_and_no_one_elses(write, record, other_therapist):
    before, others_before = version(record["therapist"]), version(other_therapist)

    WRITES[write](record)

    assert version(record["therapist"]) > before
    assert version(other_therapist) == others_before


@pytest.mark.django_db(transaction=True)
def test_a_patient_moved_to_another_therapist_moves_both_stamps(
    alliance, therapist, other_therapist
):
    before = (version(therapist), version(other_therapist))

    Alliance.objects.filter(pk=alliance.pk).update(therapist=other_therapist)

    assert version(therapist) > before[0]
    assert version(other_therapist) > before[1]


@pytest.mark.django_db(transaction=True)
def test_a_patients_name_moves_the_stamp_of_every_therapist_they_see(
    clinic, therapist, other_therapist
):
    patient = PatientFactory(clinic=clinic)
    for who in (therapist, other_therapist):
        AllianceFactory(clinic=clinic, therapist=who, patient=patient)
    before = (version(therapist), version(other_therapist))

    Patient.objects.filter(pk=patient.pk).update(family_name="Okafor")

    assert version(therapist) > before[0]
    assert version(other_therapist) > before[1]


@pytest.mark.django_db(transaction=True)
def test_a_write_that_is_rolled_back_leaves_the_stamp(alliance, therapist):
    from django.db import transaction

    before = version(therapist)
    with pytest.raises(RuntimeError), transaction.atomic():
        make_session(alliance)
        raise RuntimeError("the save failed")

    assert version(therapist) == before


@pytest.mark.django_db(transaction=True)
def test_reminders_made_and_sent_leave_the_stamp(record):
    """Only a failed reminder shows on a caseload page; the sweep and sending move nothing."""
    before = version(record["therapist"])
    reminder = ReviewReminder.objects.create(
        goal=record["goal"], due_on=record["today"], recipient=record["therapist"],
        audience="therapist", remind_on=record["today"],
    )  # fmt: skip
    ReviewReminder.objects.filter(pk=reminder.pk).update(status="sent", sent_at=timezone.now())

    assert version(record["therapist"]) == before

    ReviewReminder.objects.filter(pk=reminder.pk).update(status="failed", sent_at=None)

    assert version(record["therapist"]) > before


@pytest.mark.django_db(transaction=True)
def test_a_version_is_never_handed_out_twice_even_after_a_restore(alliance, therapist):
    """A database restored from a backup goes back to older versions; the next write must
    not land on a version that copies made before the restore were keyed by."""
    make_session(alliance)
    seen = version(therapist)
    CaseloadStamp.objects.filter(therapist=therapist).update(version=seen - 1000)
    time.sleep(0.002)  # a restore comes later than the write (SQLite's clock counts in ms)

    make_session(alliance, days_ago=2)

    assert version(therapist) > seen


@pytest.mark.django_db(transaction=True)
def test_one_statement_writing_many_rows_of_one_caseload_moves_its_stamp_once(record):
    """On PostgreSQL the trigger runs once per statement, over every row it wrote."""
    before = version(record["therapist"])

    Option.objects.bulk_create(
        [Option(talk=record["talk"], title="Stay"), Option(talk=record["talk"], title="Move")]
    )
    Goal.objects.create(
        alliance=record["alliance"], created_by=record["therapist"], expressed_by="therapist",
        lifecycle_status="active", description="Sleep by eleven",
    )  # fmt: skip
    Goal.objects.filter(alliance=record["alliance"]).update(priority="high-priority")

    assert version(record["therapist"]) > before
