"""The clinic admin's view of the audit trail: who opened a given patient's record, and when.

Only patients of the admin's own clinic can be chosen; rows show who, what kind of page, when,
the outcome and from where: never clinical text. A person from another clinic who tried to
open the record is shown as such, not by name (nothing crosses between clinics).
"""

import datetime

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from alliance.access import role_required
from alliance.forms.security import AccessLogForm
from alliance.models import AuditEvent, Role

PAGE_SIZE = 100
# What each page is, in words, for the admin (URL names stay in the trail itself).
PAGE_WORDS = {
    "alliance_detail": "patient record",
    "alliance_end": "end of care",
    "portal_invite": "portal invitation",
    "patient_assign": "assignment",
    "portal": "patient's own portal",
    "portal_plan": "patient's own plan (export)",
    "portal_settings": "patient's own settings",
}
RECORD_WORDS = {
    "session": "session note",
    "goal": "goal",
    "decision talk": "shared decision",
    "alliance": "patient record",
    "patient": "patient details",
    "portal": "patient's own portal",
}


def describe(event: AuditEvent) -> str:
    if event.url_name.startswith("admin:"):
        return "operators' admin"
    if event.url_name in PAGE_WORDS:
        return PAGE_WORDS[event.url_name]
    return RECORD_WORDS.get(event.record_type, event.record_type or "page")


def _who(event: AuditEvent, clinic_id: int) -> str:
    if event.actor is None:
        return "unknown"
    if event.actor.is_superuser and event.actor.clinic_id is None:
        return f"{event.actor.full_name} (operator)"
    if event.actor.clinic_id != clinic_id:
        return "someone from another clinic"
    role = Role(event.actor_role).label if event.actor_role in Role.values else ""
    return f"{event.actor.full_name} ({role.lower()})" if role else event.actor.full_name


@role_required(Role.CLINIC_ADMIN)
def access_log(request):
    clinic = request.user.clinic
    today = clinic.today()
    form = AccessLogForm(request.GET or None, clinic=clinic, today=today)
    page = None
    if form.is_bound and form.is_valid():
        zone = clinic.zone
        start = datetime.datetime.combine(form.cleaned_data["date_from"], datetime.time(), zone)
        end = datetime.datetime.combine(
            form.cleaned_data["date_to"] + datetime.timedelta(days=1), datetime.time(), zone
        )
        events = (
            AuditEvent.objects.for_patient(form.cleaned_data["patient"])
            .filter(at__gte=start, at__lt=end)
            .select_related("actor")
        )
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
        page.rows = [
            {
                "at": timezone.localtime(event.at, zone),
                "who": _who(event, clinic.id),
                "what": describe(event),
                "action": event.get_action_display(),
                "status": event.status,
                "ip": event.ip or "",
            }
            for event in page.object_list
        ]
    return render(request, "alliance/clinic/access_log.html", {"form": form, "page": page})
