from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from alliance.models import Role

HOMES = {
    Role.THERAPIST: "caseload",
    Role.SUPERVISOR: "review",
    Role.PATIENT: "portal",
    Role.CLINIC_ADMIN: "clinic_home",
}


@login_required
def home(request):
    """Each role lands on its own home."""
    user = request.user
    if user.role in HOMES and user.clinic_id:
        return redirect(HOMES[user.role])
    if user.is_superuser:
        return redirect("admin:index")
    raise PermissionDenied("Your account has no role in a clinic yet.")
