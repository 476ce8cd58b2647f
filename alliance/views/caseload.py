from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from alliance import audit, page_cache, services
from alliance.access import (
    can_edit_alliance,
    get_alliance_for_edit,
    get_alliance_or_404,
    role_required,
)
from alliance.attention import attention_for
from alliance.forms.patients import AllianceEndForm, PatientAddForm
from alliance.models import Alliance
from alliance.models.users import CLINICIAN_ROLES
from alliance.record_reads import RecordRead
from alliance.selectors import caseload as caseload_query
from alliance.selectors import other_episodes, with_other_episodes
from alliance.views.forms_util import add_service_errors
from decisions import selectors as decision_selectors
from goals import selectors as goal_selectors
from goals.reminders.selectors import failed_reminders_for
from sessions_log import selectors as session_selectors
from sessions_log import selectors_ratings

PAGE_SIZE = 50
# What the patient page shows of the episode, the patient, their portal account (joined or
# only invited), the therapist and the clinic; the rest of those rows is never read for it.
PATIENT_PAGE_FIELDS = (
    *("clinic_id", "therapist_id", "patient_id", "started_on", "ended_on", "status", "end_reason"),
    *("patient__given_name", "patient__family_name", "patient__preferred_name"),
    *("patient__date_of_birth", "patient__email", "patient__phone", "patient__portal_user_id"),
    *("patient__portal_user__password", "therapist__full_name"),
    *("clinic__time_zone", "clinic__alert_cutoff"),
)
# The patient page lists the newest sessions; `?sessions=all` lists every one.
RECENT_SESSIONS = 20


@role_required(*CLINICIAN_ROLES)
def caseload(request):
    user = request.user
    status = request.GET.get("status", Alliance.Status.ACTIVE)
    if status not in (Alliance.Status.ACTIVE, Alliance.Status.ENDED):
        status = Alliance.Status.ACTIVE
    query = request.GET.get("q", "").strip()[:100]

    def body() -> str:
        alliances = caseload_query(user=user, status=status, query=query)
        context = {
            "page": Paginator(alliances, PAGE_SIZE).get_page(request.GET.get("page")),
            "status": status,
            "query": query,
            "attention": attention_for(therapist=user),
            "failed_reminders": failed_reminders_for(therapist=user),
        }
        return render_to_string("alliance/partials/caseload_body.html", context, request)

    parts = (page_cache.caseload_version(user.pk), sorted(request.GET.lists()))
    html = page_cache.fragment(user, "caseload", parts, body)
    return render(request, "alliance/caseload.html", {"body": html})


@role_required(*CLINICIAN_ROLES)
def patient_add(request):
    today = request.user.clinic.today()
    form = PatientAddForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        details = {k: v for k, v in form.cleaned_data.items() if k != "started_on"}
        alliance = services.patient_add(
            therapist=request.user, started_on=form.cleaned_data["started_on"], **details
        )
        messages.success(request, f"{alliance.patient.display_name} is now on your caseload.")
        return redirect("alliance_detail", alliance_id=alliance.id)
    return render(request, "alliance/patient_add.html", {"form": form})


def _page_alliance(reader, alliance_id):
    return (
        with_other_episodes(page_cache.with_version(), reader)
        .visible_to(reader)
        .select_related("patient__portal_user", "therapist", "clinic")
        .only(*PATIENT_PAGE_FIELDS)
        .filter(id=alliance_id)
    )


_PAGE_ALLIANCE = RecordRead(_page_alliance)


@role_required(*CLINICIAN_ROLES, "patient")
def alliance_detail(request, alliance_id):
    # The caseload's version comes in the same read as the alliance, before the rest of the
    # record: a write landing in between leaves a copy keyed by the older version, which no
    # later request asks for.
    alliance = get_alliance_or_404(request.user, alliance_id, _PAGE_ALLIANCE)
    audit.known_patient(request, alliance.pk, alliance.patient_id)
    if request.user.is_patient:
        # The portal shows patients what is shared with them; this page is the clinician's.
        return redirect("portal")
    user = request.user
    all_sessions = request.GET.get("sessions") == "all"
    can_edit = can_edit_alliance(user, alliance)

    def body() -> str:
        goals = goal_selectors.goals_for_alliance(alliance=alliance)
        sessions, more_sessions = session_selectors.sessions_listed(
            alliance=alliance, limit=None if all_sessions else RECENT_SESSIONS
        )
        context = {
            "alliance": alliance,
            "patient": alliance.patient,
            "can_edit": can_edit,
            "today": alliance.clinic.today(),
            "goals": goals,
            "gas_t_score": goal_selectors.gas_t_score(goals),
            "talks": decision_selectors.talks_for_alliance(alliance=alliance),
            "sessions": sessions,
            "more_sessions": more_sessions,
            "all_sessions": all_sessions,
            "rating_summary": selectors_ratings.alliance_ratings_summary(alliance=alliance),
        }
        return render_to_string("alliance/partials/alliance_detail_body.html", context, request)

    # Everything the record shows belongs to this alliance, whose therapist's stamp moves
    # with any write to it (the patient's details and portal account included).
    parts = (alliance.pk, alliance.therapist_id, alliance.stamp, can_edit, all_sessions)
    context = {
        "alliance": alliance,
        "patient": alliance.patient,
        "can_edit": can_edit,
        "other_episodes": other_episodes(user=user, alliance=alliance),
        "body": page_cache.fragment(user, "patient", parts, body),
    }
    return render(request, "alliance/alliance_detail.html", context)


@role_required(*CLINICIAN_ROLES)
def alliance_end(request, alliance_id):
    alliance = get_alliance_for_edit(request.user, alliance_id)
    form = AllianceEndForm(
        request.POST or None, alliance=alliance, today=request.user.clinic.today()
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.alliance_end(
                alliance=alliance,
                by=request.user,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The alliance has ended; its record is kept, read-only.")
            return redirect("alliance_detail", alliance_id=alliance.id)
    return render(request, "alliance/alliance_end.html", {"alliance": alliance, "form": form})
