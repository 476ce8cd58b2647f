"""The clinic admin's pages: people and assignments, never clinical content."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from alliance import selectors, services
from alliance.access import role_required
from alliance.forms.clinic_admin import (
    PatientAssignForm,
    StaffInviteForm,
    SupervisionEndForm,
    SupervisionForm,
)
from alliance.models import Patient, Role, Supervision, User
from alliance.views.forms_util import add_service_errors

admin_only = role_required(Role.CLINIC_ADMIN)
NOT_SENT = (
    "The account for {email} is ready, but the invitation email could not be sent. "
    "Try Resend invitation in a while; if it fails again, check the mail server."
)


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


@admin_only
def clinic_home(request):
    clinic = request.user.clinic
    context = {
        "staff": selectors.clinic_staff(clinic=clinic),
        "supervisions": selectors.current_supervisions(clinic=clinic),
        "unassigned": selectors.clinic_patients(clinic=clinic, unassigned_only=True)[:50],
    }
    return render(request, "alliance/clinic/home.html", context)


@admin_only
def staff_invite(request):
    form = StaffInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.staff_invite(
                clinic=request.user.clinic, base_url=_base_url(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if user.invitation_sent:
                messages.success(request, f"Invitation sent to {user.email}.")
            else:
                messages.warning(request, NOT_SENT.format(email=user.email))
            return redirect("clinic_home")
    return render(request, "alliance/clinic/staff_invite.html", {"form": form})


@admin_only
@require_POST
def staff_invite_resend(request, user_id):
    user = get_object_or_404(
        selectors.clinic_staff(clinic=request.user.clinic), id=user_id, is_active=True
    )
    if user.has_usable_password():
        messages.info(request, f"{user.full_name} has already set a password.")
    else:
        if services.invitation_send(user=user, base_url=_base_url(request)):
            messages.success(request, f"A new invitation went to {user.email}.")
        else:
            messages.warning(request, NOT_SENT.format(email=user.email))
    return redirect("clinic_home")


@admin_only
def supervision_add(request):
    clinic = request.user.clinic
    form = SupervisionForm(request.POST or None, clinic=clinic, today=clinic.today())
    if request.method == "POST" and form.is_valid():
        try:
            services.supervision_start(**form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Supervision recorded.")
            return redirect("clinic_home")
    return render(request, "alliance/clinic/supervision_add.html", {"form": form})


@admin_only
def supervision_end(request, supervision_id):
    clinic = request.user.clinic
    supervision = get_object_or_404(
        Supervision.objects.select_related("supervisor", "therapist"),
        id=supervision_id,
        clinic=clinic,
    )
    form = SupervisionEndForm(request.POST or None, initial={"ends_on": clinic.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.supervision_end(supervision=supervision, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Supervision ended.")
            return redirect("clinic_home")
    context = {"supervision": supervision, "form": form}
    return render(request, "alliance/clinic/supervision_end.html", context)


@admin_only
def patient_list(request):
    query = request.GET.get("q", "").strip()[:100]
    patients = selectors.clinic_patients(clinic=request.user.clinic, query=query)
    page = Paginator(patients, 50).get_page(request.GET.get("page"))
    return render(request, "alliance/clinic/patients.html", {"page": page, "query": query})


@admin_only
def patient_assign(request, patient_id):
    clinic = request.user.clinic
    patient = get_object_or_404(Patient, id=patient_id, clinic=clinic)
    form = PatientAssignForm(request.POST or None, clinic=clinic, today=clinic.today())
    if request.method == "POST" and form.is_valid():
        therapist: User = form.cleaned_data["therapist"]
        try:
            services.patient_assign(patient=patient, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{patient.display_name} is now seen by {therapist}.")
            return redirect("clinic_home")
    current = selectors.clinic_patients(clinic=clinic).get(id=patient.id).current_alliances
    context = {"patient": patient, "form": form, "current": current}
    return render(request, "alliance/clinic/patient_assign.html", context)
