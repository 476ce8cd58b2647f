"""Reads of the shared core, each a fixed number of queries whatever the caseload size."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from alliance.models import Alliance, Clinic, Patient, Role, Supervision, User


def caseload(*, user: User, status: str = Alliance.Status.ACTIVE, query: str = "") -> QuerySet:
    """The alliances a clinician carries themselves (not those they supervise)."""
    alliances = (
        Alliance.objects.visible_to(user)
        .filter(therapist=user)
        .select_related("patient")
        .order_by("patient__family_name", "patient__given_name")
    )
    if status:
        alliances = alliances.filter(status=status)
    for word in query.split():
        alliances = alliances.filter(
            Q(patient__given_name__icontains=word)
            | Q(patient__family_name__icontains=word)
            | Q(patient__preferred_name__icontains=word)
        )
    return alliances


def _episodes_beside(user: User, patient_id, alliance_id) -> QuerySet:
    """The patient's other alliances that `user` may also see."""
    return Alliance.objects.visible_to(user).filter(patient_id=patient_id).exclude(id=alliance_id)


def with_other_episodes(queryset: QuerySet, user: User) -> QuerySet:
    """Alliances, each saying (`has_other_episodes`) whether `user` may see another episode of
    care of the same patient: in the same statement, so most patient pages, of a patient with
    one episode, need no read of other episodes."""
    beside = _episodes_beside(user, OuterRef("patient_id"), OuterRef("pk"))
    return queryset.annotate(has_other_episodes=Exists(beside))


def other_episodes(*, user: User, alliance: Alliance) -> list[Alliance]:
    """The same patient's other alliances that the caller may also see (what the patient
    page lists of each: its therapist, start and status), newest first. None are read for an
    alliance read `with_other_episodes` that has none."""
    if not getattr(alliance, "has_other_episodes", True):
        return []
    return list(
        _episodes_beside(user, alliance.patient_id, alliance.pk)
        .select_related("therapist")
        .only("started_on", "status", "therapist__full_name")
        .order_by("-started_on")
    )


def clinic_staff(*, clinic: Clinic) -> QuerySet:
    return User.objects.filter(clinic=clinic).exclude(role=Role.PATIENT).order_by("full_name")


def clinic_clinicians(*, clinic: Clinic) -> QuerySet:
    return clinic_staff(clinic=clinic).filter(
        role__in=[Role.THERAPIST, Role.SUPERVISOR], is_active=True
    )


def current_supervisions(*, clinic: Clinic) -> QuerySet:
    today = clinic.today()
    return (
        Supervision.objects.filter(clinic=clinic)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("supervisor", "therapist")
        .order_by("supervisor__full_name", "therapist__full_name")
    )


def clinic_patients(*, clinic: Clinic, query: str = "", unassigned_only: bool = False):
    """Patients with their current therapists (names only: no clinical content)."""
    current = Alliance.objects.active().select_related("therapist")
    patients = (
        Patient.objects.filter(clinic=clinic)
        .annotate(has_therapist=Exists(Alliance.objects.active().filter(patient=OuterRef("pk"))))
        .prefetch_related(Prefetch("alliances", queryset=current, to_attr="current_alliances"))
    )
    if unassigned_only:
        patients = patients.filter(has_therapist=False)
    for word in query.split():
        patients = patients.filter(
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(preferred_name__icontains=word)
        )
    return patients
