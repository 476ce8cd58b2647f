"""The supervisor's caseload review: every supervisee at a glance, then each caseload."""

import csv

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from alliance import indicators, page_cache
from alliance.access import role_required
from alliance.models import Alliance, Role, User
from alliance.models.care import current_supervisees
from alliance.spreadsheet import cell

supervisors_only = role_required(Role.SUPERVISOR)

SORTS = {
    "patient": ("patient__family_name", "patient__given_name"),
    "alerts": ("-open_alerts", "patient__family_name"),
    "overdue": ("-overdue_reviews", "patient__family_name"),
    "unsigned": ("-unsigned_notes", "patient__family_name"),
    "cosign": ("-awaiting_cosign", "patient__family_name"),
    "decisions": ("-decisions_due", "patient__family_name"),
    "last_session": ("-last_session", "patient__family_name"),
    "score": ("latest_patient_score", "patient__family_name"),
}
PATIENT_NAME = ("patient__given_name", "patient__preferred_name", "patient__family_name")
FILTERS = {
    "alerts": {"open_alerts__gt": 0},
    "overdue": {"overdue_reviews__gt": 0},
    "unsigned": {"unsigned_notes__gt": 0},
    "cosign": {"awaiting_cosign__gt": 0},
    "decisions": {"decisions_due__gt": 0},
}


def _supervisees(supervisor: User) -> list[User]:
    """The therapists `supervisor` supervises today, each with their caseload's stamp."""
    return list(
        User.objects.filter(id__in=current_supervisees(supervisor))
        .select_related("caseload_stamp")
        .order_by("full_name")
    )


def _supervisee_rows(supervisor: User, therapists: list[User]) -> list[tuple[User, dict]]:
    alliances = indicators.indicator_values(
        Alliance.objects.visible_to(supervisor).active().filter(therapist__in=therapists),
        today=supervisor.clinic.today(),
    )
    by_therapist: dict[int, list] = {t.id: [] for t in therapists}
    for row in alliances:
        by_therapist[row["therapist_id"]].append(row)
    return [(t, indicators.summarise(by_therapist[t.id])) for t in therapists]


@supervisors_only
def review(request):
    supervisor = request.user
    therapists = _supervisees(supervisor)

    def body() -> str:
        rows = _supervisee_rows(supervisor, therapists)
        return render_to_string("alliance/partials/review_body.html", {"rows": rows}, request)

    caseloads = tuple((t.pk, t.full_name, page_cache.stamp_of(t)) for t in therapists)
    html = page_cache.fragment(supervisor, "review", (caseloads,), body)
    return render(request, "alliance/review.html", {"body": html})


@supervisors_only
def review_therapist(request, therapist_id):
    supervisor = request.user
    try:
        therapist = User.objects.filter(id__in=current_supervisees(supervisor)).get(id=therapist_id)
    except User.DoesNotExist:
        raise Http404("Not one of your supervisees.") from None
    sort = request.GET.get("sort", "alerts")
    only = request.GET.get("only", "")
    alliances = indicators.with_indicators(
        Alliance.objects.visible_to(supervisor)
        .active()
        .filter(therapist=therapist)
        .select_related("patient")
        # The table shows the patient's name and the indicators: nothing else is read.
        .only("id", "patient", *PATIENT_NAME),
        today=supervisor.clinic.today(),
    )
    if only in FILTERS:
        alliances = alliances.filter(**FILTERS[only])
    # The alliance id last: rows that tie on every key keep one order from page to page.
    alliances = alliances.order_by(*SORTS.get(sort, SORTS["alerts"]), "pk")
    page = Paginator(alliances, 25).get_page(request.GET.get("page"))
    context = {
        "therapist": therapist,
        "page": page,
        "sort": sort if sort in SORTS else "alerts",
        "only": only if only in FILTERS else "",
        "filters": FILTERS,
    }
    return render(request, "alliance/review_therapist.html", context)


@supervisors_only
def review_export(request):
    """The supervisor's indicators as CSV: counts and dates, never clinical text."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="caseload-review.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "therapist",
            "active_patients",
            "overdue_reviews",
            "notes_unsigned_72h",
            "notes_awaiting_cosign",
            "open_alliance_alerts",
            "decisions_due_for_review",
            "last_session",
            "mean_latest_patient_score",
        ]
    )
    supervisor = request.user
    for therapist, summary in _supervisee_rows(supervisor, _supervisees(supervisor)):
        last = summary["last_session"]
        writer.writerow(
            [
                cell(therapist.full_name),
                summary["active_patients"],
                summary["overdue_reviews"],
                summary["unsigned_notes"],
                summary["awaiting_cosign"],
                summary["open_alerts"],
                summary["decisions_due"],
                last.date().isoformat() if last else "",
                "" if summary["mean_patient_score"] is None else summary["mean_patient_score"],
            ]
        )
    return response
