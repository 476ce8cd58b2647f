"""The therapist's goal pages; supervisors read them, nobody else sees them."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from alliance.access import can_edit_alliance, get_alliance_for_edit, role_required
from alliance.models.users import CLINICIAN_ROLES
from alliance.views.forms_util import add_service_errors
from goals import selectors, services
from goals.charts import progress_chart
from goals.forms import GoalForm, ProgressForm, ReviewForm, TherapistAnswerForm
from goals.models import Goal, Lifecycle, Party
from goals.reminders.selectors import goal_reminders

clinicians = role_required(*CLINICIAN_ROLES)


@clinicians
def goal_new(request, alliance_id):
    alliance = get_alliance_for_edit(request.user, alliance_id)
    today = alliance.clinic.today()
    proposing = "propose" in request.POST
    form = GoalForm(request.POST or None, today=today, proposing=proposing, put_forward=False)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(
                alliance=alliance,
                by=request.user,
                party=Party.THERAPIST,
                wording=form.wording(),
                propose=proposing,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if proposing:
                messages.success(request, "Goal proposed: it becomes active once both agree.")
            else:
                messages.success(request, "Draft saved. Propose it when all five parts are set.")
            return redirect("goal_detail", goal_id=goal.id)
    context = {"form": form, "alliance": alliance, "goal": None}
    return render(request, "goals/goal_form.html", context)


@clinicians
def goal_detail(request, goal_id):
    goal = selectors.get_goal_or_404(request.user, goal_id)
    today = goal.alliance.clinic.today()
    progress = list(selectors.goal_progress(goal=goal))
    can_edit = can_edit_alliance(request.user, goal.alliance)
    open_for_progress = goal.lifecycle_status in (Lifecycle.ACTIVE, Lifecycle.ON_HOLD)
    context = {
        "goal": goal,
        "alliance": goal.alliance,
        "can_edit": can_edit,
        "today": today,
        "overdue": goal.review_overdue_on(today),
        "progress": progress,
        "chart": progress_chart(goal=goal, progress=progress, today=today),
        "reviews": goal.reviews.select_related("reviewed_by"),
        "reminders": goal_reminders(goal=goal),
        # Decisions link to goals (the decisions app owns the link); read it backwards.
        "decisions": list(goal.decisions.select_related("talk")),
        "answer_form": TherapistAnswerForm(initial={"version": goal.version, "answer": "agree"})
        if can_edit and goal.lifecycle_status == Lifecycle.PROPOSED and not goal.is_draft
        else None,
        "progress_form": ProgressForm(goal=goal, today=today)
        if can_edit and open_for_progress
        else None,
        "review_form": ReviewForm(today=today) if can_edit and open_for_progress else None,
    }
    return render(request, "goals/goal_detail.html", context)


@clinicians
def goal_edit(request, goal_id):
    goal = selectors.get_goal_for_edit(request.user, goal_id)
    if not goal.is_open:
        messages.info(request, "This goal has ended; its wording is kept as it was.")
        return redirect("goal_detail", goal_id=goal.id)
    today = goal.alliance.clinic.today()
    proposing = "propose" in request.POST
    form = GoalForm(
        request.POST or None,
        instance=copy.copy(goal),  # the form edits a copy; `goal` stays as read
        initial={"revision": goal.revision},
        today=today,
        proposing=proposing,
        put_forward=not goal.is_draft,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_update(
                goal=goal,
                by=request.user,
                party=Party.THERAPIST,
                wording=form.wording(),
                expected_revision=form.cleaned_data["revision"] or 0,
                reason=form.cleaned_data.get("reason", ""),
                agree=form.cleaned_data.get("agree", False),
            )
            if proposing and goal.is_draft:
                goal = services.goal_propose(goal=goal, by=request.user, party=Party.THERAPIST)
        except services.GoalConflict as clash:
            conflict = clash.current
            # Keep what was typed; a second save now replaces the newer wording knowingly.
            data = request.POST.copy()
            data["revision"] = conflict.revision
            form = GoalForm(
                data,
                instance=conflict,
                today=today,
                proposing=proposing,
                put_forward=not conflict.is_draft,
            )
            form.is_valid()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _saved_message(goal, proposing))
            return redirect("goal_detail", goal_id=goal.id)
    context = {"form": form, "alliance": goal.alliance, "goal": goal, "conflict": conflict}
    return render(request, "goals/goal_form.html", context, status=409 if conflict else 200)


def _saved_message(goal: Goal, proposing: bool) -> str:
    if goal.is_draft:
        return "Draft saved."
    if goal.lifecycle_status == Lifecycle.ACTIVE:
        return "Saved. Both agree to this wording: the goal is active."
    return "Saved as a new version: both are asked to agree to it."


@clinicians
def goal_history(request, goal_id):
    goal = selectors.get_goal_or_404(request.user, goal_id)
    versions = list(selectors.goal_history(goal=goal))
    labels = {f.name: f.verbose_name for f in Goal._meta.fields}
    changes = []
    for newer, older in zip(versions, [*versions[1:], None][: len(versions)], strict=True):
        fields = [
            (labels[name].capitalize(), older.wording.get(name) if older else None, value)
            for name, value in newer.wording.items()
            if older is None or older.wording.get(name) != value
        ]
        changes.append((newer, fields))
    return render(request, "goals/goal_history.html", {"goal": goal, "changes": changes})
