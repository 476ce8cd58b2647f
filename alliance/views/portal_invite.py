from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from alliance import services
from alliance.access import get_alliance_for_edit, role_required
from alliance.forms.invite import PortalInviteForm
from alliance.models.users import CLINICIAN_ROLES
from alliance.views.forms_util import add_service_errors


@role_required(*CLINICIAN_ROLES)
def portal_invite(request, alliance_id):
    """The therapist invites their patient to the portal (or sends a new link)."""
    alliance = get_alliance_for_edit(request.user, alliance_id)
    patient = alliance.patient
    portal_user = patient.portal_user
    initial = {"email": portal_user.email if portal_user else patient.email}
    form = PortalInviteForm(request.POST or None, initial=initial)
    if portal_user is not None:
        form.fields["email"].disabled = True  # a new link goes to the account's address
    if request.method == "POST" and form.is_valid():
        try:
            user = services.patient_portal_invite(
                alliance=alliance,
                by=request.user,
                email=form.cleaned_data["email"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if user.invitation_sent:
                messages.success(request, f"Invitation sent to {user.email}.")
            else:
                messages.warning(
                    request,
                    f"The portal account for {user.email} is ready, but the invitation email "
                    "could not be sent. Use Send a new link on this page in a while.",
                )
            return redirect("alliance_detail", alliance_id=alliance.id)
    context = {"alliance": alliance, "form": form, "already": portal_user is not None}
    return render(request, "alliance/portal_invite.html", context)
