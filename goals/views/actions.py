"""What the therapist does to a goal: propose, answer, record progress and reviews, status."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.access import role_required
from alliance.models.users import CLINICIAN_ROLES
from alliance.views.forms_util import add_service_errors
from goals import selectors, services
from goals.forms import ProgressForm, ReasonForm, ReviewForm, TherapistAnswerForm
from goals.models import Party

clinicians = role_required(*CLINICIAN_ROLES)


def _back(goal):
    return redirect("goal_detail", goal_id=goal.id)


@clinicians
@require_POST
def goal_propose(request, goal_id):
    goal = selectors.get_goal_for_edit(request.user, goal_id)
    try:
        services.goal_propose(goal=goal, by=request.user, party=Party.THERAPIST)
    except ValidationError as error:
        # The edit form shows each missing part beside its field, with guidance.
        messages.error(request, " ".join(error.messages))
        return redirect("goal_edit", goal_id=goal.id)
    messages.success(request, "Goal proposed: it becomes active once both agree.")
    return _back(goal)


@clinicians
def goal_answer(request, goal_id):
    goal = selectors.get_goal_for_edit(request.user, goal_id)
    form = TherapistAnswerForm(request.POST or None, initial={"version": goal.version})
    if request.method == "POST" and form.is_valid():
        answer = {k: form.cleaned_data[k] for k in ("answer", "comment", "version")}
        try:
            if form.cleaned_data["whose"] == Party.PATIENT:
                services.goal_record_patient_answer(goal=goal, by=request.user, **answer)
            else:
                services.goal_answer(goal=goal, by=request.user, party=Party.THERAPIST, **answer)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The answer is recorded.")
            return _back(goal)
    context = {"goal": goal, "form": form, "title": "Agree to this goal?", "submit": "Save answer"}
    return render(request, "goals/goal_action.html", context)


@clinicians
def goal_progress(request, goal_id):
    goal = selectors.get_goal_for_edit(request.user, goal_id)
    today = goal.alliance.clinic.today()
    form = ProgressForm(request.POST or None, goal=goal, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_record(
                goal=goal, by=request.user, party=Party.THERAPIST, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Progress recorded.")
            return _back(goal)
    return render(
        request,
        "goals/goal_action.html",
        {"goal": goal, "form": form, "title": "Record progress", "submit": "Record progress"},
    )


@clinicians
def goal_review(request, goal_id):
    goal = selectors.get_goal_for_edit(request.user, goal_id)
    form = ReviewForm(request.POST or None, today=goal.alliance.clinic.today())
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_record(goal=goal, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Review recorded.")
            if review.outcome == review.Outcome.REVISE:
                return redirect("goal_edit", goal_id=goal.id)
            return _back(goal)
    return render(
        request,
        "goals/goal_action.html",
        {"goal": goal, "form": form, "title": "Review this goal", "submit": "Record review"},
    )


STATUS_ACTIONS = {
    "hold": (services.goal_hold, "Put this goal on hold", "Goal on hold."),
    "withdraw": (services.goal_withdraw, "Stop working on this goal", "Goal stopped."),
    "error": (
        services.goal_enter_in_error,
        "Mark this goal as entered in error",
        "Marked as entered in error. It stays in the record, struck through.",
    ),
}


def _status_view(action: str):
    service, title, done = STATUS_ACTIONS[action]

    @clinicians
    def view(request, goal_id):
        goal = selectors.get_goal_for_edit(request.user, goal_id)
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                service(goal=goal, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, done)
                return _back(goal)
        return render(
            request,
            "goals/goal_action.html",
            {"goal": goal, "form": form, "title": title, "submit": title},
        )

    view.__name__ = f"goal_{action}"
    return view


goal_hold = _status_view("hold")
goal_withdraw = _status_view("withdraw")
goal_enter_in_error = _status_view("error")


@clinicians
@require_POST
def goal_resume(request, goal_id):
    goal = selectors.get_goal_for_edit(request.user, goal_id)
    try:
        services.goal_resume(goal=goal, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Goal resumed.")
    return _back(goal)
