"""A decision talk's pages: start it, the guided page of its stage, comparison and summary.

Patients see their decisions in the portal; these pages are the clinician's, so a patient
who opens one of their own is sent to the portal (as the patient page does).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from alliance.access import can_edit_alliance, get_alliance_for_edit, role_required
from alliance.models import Role
from alliance.models.users import CLINICIAN_ROLES
from alliance.views.forms_util import add_service_errors
from decisions import selectors, services
from decisions.forms import ChecklistForm, TalkForm
from decisions.models import DecisionTalk
from decisions.steps import STAGE_PURPOSE, STEPS, TALK_STAGES, Stage

clinicians = role_required(*CLINICIAN_ROLES)
readers = role_required(*CLINICIAN_ROLES, Role.PATIENT)

# The stepper at the top of each guided page.
STEPPER = [*TALK_STAGES, Stage.REVIEW]


def back_to(talk: DecisionTalk) -> HttpResponse:
    return redirect("decision_talk", talk_id=talk.id)


def talk_context(request: HttpRequest, talk: DecisionTalk, **extra) -> dict:
    """What the guided page shows; `extra` carries a bound form after a failed save."""
    record = selectors.talk_record(talk=talk)
    can_edit = can_edit_alliance(request.user, talk.alliance)
    today = talk.alliance.clinic.today()
    checklist = record.current_checklist
    context = {
        "talk": talk,
        "alliance": talk.alliance,
        "patient": talk.alliance.patient,
        "record": record,
        "can_edit": can_edit,
        "today": today,
        "stepper": _stepper(talk, record),
        "purpose": STAGE_PURPOSE[talk.stage],
        "checklist_form": ChecklistForm(steps=checklist.steps, today=today)
        if can_edit and checklist and talk.is_open
        else None,
    }
    context.update(extra)
    return context


def _stepper(talk: DecisionTalk, record: selectors.TalkRecord) -> list[dict]:
    checklists = {c.stage: c for c in record.checklists}
    return [
        {
            "label": Stage(stage).label if stage in STEPS else "Review",
            "current": stage == talk.stage,
            "past": checklists[stage].is_past
            if stage in checklists
            else talk.stage == Stage.CLOSED,
            "skipped": len(checklists[stage].skipped) if stage in checklists else 0,
        }
        for stage in STEPPER
    ]


@readers
def decision_talk(request: HttpRequest, talk_id) -> HttpResponse:
    talk = selectors.get_talk_or_404(request.user, talk_id)
    if request.user.is_patient:
        return redirect("portal")
    return render(request, "decisions/talk.html", talk_context(request, talk))


@clinicians
def decision_new(request: HttpRequest, alliance_id) -> HttpResponse:
    alliance = get_alliance_for_edit(request.user, alliance_id)
    form = TalkForm(request.POST or None, starting=True)
    if request.method == "POST" and form.is_valid():
        try:
            talk = services.talk_start(
                alliance=alliance,
                by=request.user,
                question=form.cleaned_data["question"],
                offer_no_change=form.cleaned_data["offer_no_change"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Decision talk started: begin with choice talk.")
            return back_to(talk)
    context = {"form": form, "alliance": alliance, "talk": None}
    return render(request, "decisions/talk_form.html", context)


@clinicians
def decision_edit(request: HttpRequest, talk_id) -> HttpResponse:
    talk = selectors.get_talk_for_edit(request.user, talk_id)
    if not talk.is_open:
        messages.info(request, "The question is kept as it was when the talk moved on.")
        return back_to(talk)
    form = TalkForm(request.POST or None, initial={"question": talk.question}, starting=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.talk_rename(talk=talk, by=request.user, question=form.cleaned_data["question"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Question saved.")
            return back_to(talk)
    context = {"form": form, "alliance": talk.alliance, "talk": talk}
    return render(request, "decisions/talk_form.html", context)


@readers
def decision_compare(request: HttpRequest, talk_id) -> HttpResponse:
    talk = selectors.get_talk_or_404(request.user, talk_id)
    if request.user.is_patient:
        return redirect("portal")
    record = selectors.talk_record(talk=talk)
    context = {"talk": talk, "record": record, "patient": talk.alliance.patient}
    return render(request, "decisions/compare.html", context)


@readers
def decision_summary(request: HttpRequest, talk_id) -> HttpResponse:
    """The talk as the patient would read it: plain words, printable, no checklists."""
    talk = selectors.get_talk_or_404(request.user, talk_id)
    if request.user.is_patient:
        return redirect("portal")
    context = {
        "talk": talk,
        "record": selectors.talk_record(talk=talk),
        "patient": talk.alliance.patient,
        "therapist": talk.alliance.therapist,
        "clinic": talk.alliance.clinic,
        "today": talk.alliance.clinic.today(),
    }
    return render(request, "decisions/summary.html", context)
