"""Moving a talk along: its checklist, the next stage, deferral, the decision and its review."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from alliance.views.forms_util import add_service_errors
from decisions import selectors, services
from decisions.forms import ChecklistForm, DecideForm, DeferForm, GoalStartForm, ReviewForm
from decisions.models import ReviewOutcome
from decisions.steps import Stage
from decisions.views.talks import back_to, clinicians, talk_context

NEXT_PAGES = {"decide": "decision_decide", "defer": "decision_defer"}


def _post_only(request: HttpRequest) -> HttpResponse | None:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def _say(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@clinicians
def decision_steps(request: HttpRequest, talk_id) -> HttpResponse:
    """Save the current stage's checklist, and move on if asked.

    A mistake re-shows the guided page with what was typed.
    """
    talk = selectors.get_talk_for_edit(request.user, talk_id)
    if refused := _post_only(request):
        return refused
    if not talk.is_open:
        messages.info(request, "The checklists are kept as they were when the talk moved on.")
        return back_to(talk)
    if request.POST.get("from_stage") != talk.stage:
        # A page opened before the talk moved on would blank the new stage's steps.
        messages.error(request, "This talk moved on after the page was opened; nothing was saved.")
        return back_to(talk)
    checklist = selectors.talk_record(talk=talk).current_checklist
    today = talk.alliance.clinic.today()
    form = ChecklistForm(request.POST, steps=checklist.steps, today=today)
    if form.is_valid():
        try:
            services.steps_record(talk=talk, by=request.user, entries=form.entries())
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for key, problems in error.message_dict.items():
                    form.add_error(f"{key}-done_on" if key != "__all__" else None, problems)
            else:
                form.add_error(None, error.messages)
        else:
            if "move_on" in request.POST:
                return _move_on(request, talk)
            messages.success(request, "Checklist saved.")
            # The decision and deferral buttons save the ticks on the way to their page.
            then = request.POST.get("then")
            if then in NEXT_PAGES:
                return redirect(NEXT_PAGES[then], talk_id=talk.id)
            return redirect(reverse("decision_talk", args=[talk.id]) + "#checklist")
    context = talk_context(request, talk, checklist_form=form)
    return render(request, "decisions/talk.html", context)


def _move_on(request: HttpRequest, talk) -> HttpResponse:
    try:
        talk = services.talk_advance(
            talk=talk, by=request.user, from_stage=request.POST.get("from_stage", "")
        )
    except ValidationError as error:
        messages.success(request, "Checklist saved.")
        _say(request, error)
    else:
        messages.success(request, f"Checklist saved. Now at {talk.get_stage_display().lower()}.")
    return back_to(talk)


@clinicians
def decision_defer(request: HttpRequest, talk_id) -> HttpResponse:
    talk = selectors.get_talk_for_edit(request.user, talk_id)
    if not talk.is_open:
        messages.info(request, "Only a talk still under way can be deferred.")
        return back_to(talk)
    form = DeferForm(request.POST or None, today=talk.alliance.clinic.today())
    if request.method == "POST" and form.is_valid():
        try:
            services.talk_defer(talk=talk, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Deferred. The talk waits where it was until you return.")
            return back_to(talk)
    return render(request, "decisions/defer.html", {"form": form, "talk": talk})


@clinicians
def decision_resume(request: HttpRequest, talk_id) -> HttpResponse:
    talk = selectors.get_talk_for_edit(request.user, talk_id)
    if refused := _post_only(request):
        return refused
    try:
        talk = services.talk_resume(talk=talk, by=request.user)
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, f"Taken up again at {talk.get_stage_display().lower()}.")
    return back_to(talk)


@clinicians
def decision_decide(request: HttpRequest, talk_id) -> HttpResponse:
    talk = selectors.get_talk_for_edit(request.user, talk_id)
    if talk.stage != Stage.DECISION:
        messages.info(request, "The decision is recorded during the decision talk.")
        return back_to(talk)
    form = DecideForm(request.POST or None, talk=talk, today=talk.alliance.clinic.today())
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(talk=talk, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Decision recorded. Its options are now locked.")
            return back_to(talk)
    record = selectors.talk_record(talk=talk)
    return render(request, "decisions/decide.html", {"form": form, "talk": talk, "record": record})


@clinicians
def decision_review(request: HttpRequest, talk_id) -> HttpResponse:
    talk = selectors.get_talk_for_edit(request.user, talk_id)
    if talk.stage != Stage.REVIEW:
        messages.info(request, "Only a decided talk waiting for its review can be reviewed.")
        return back_to(talk)
    form = ReviewForm(request.POST or None, today=talk.alliance.clinic.today())
    if request.method == "POST" and form.is_valid():
        try:
            review, reopened = services.decision_review(
                talk=talk, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if reopened:
                messages.success(
                    request, "The earlier decision is kept. The question is open again here."
                )
                return back_to(reopened)
            if review.outcome == ReviewOutcome.FITS and review.next_review_on:
                messages.success(request, "Review recorded; the next one is in the calendar.")
            else:
                messages.success(request, "Review recorded. The talk is closed.")
            return back_to(talk)
    record = selectors.talk_record(talk=talk)
    return render(request, "decisions/review.html", {"form": form, "talk": talk, "record": record})


@clinicians
def decision_goal_new(request: HttpRequest, talk_id) -> HttpResponse:
    """Start a draft goal from the decision, pre-filled from the chosen option."""
    talk = selectors.get_talk_for_edit(request.user, talk_id)
    decision = selectors.decision_of(talk)
    if decision is None:
        messages.info(request, "Goals start from a decision; record the decision first.")
        return back_to(talk)
    if not selectors.decision_is_current(talk):
        messages.info(request, "This decision was reopened; start goals from the new talk.")
        return back_to(talk)
    initial = selectors.goal_wording_for(decision=decision)
    form = GoalStartForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.decision_goal_start(
                decision=decision, by=request.user, wording=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "Draft goal started from the decision. Complete it to propose it."
            )
            return _to_goal(goal) or back_to(talk)
    context = {"form": form, "talk": talk, "decision": decision}
    return render(request, "decisions/goal_form.html", context)


def _to_goal(goal) -> HttpResponse | None:
    # Goal pages are their own feature; until they exist the talk page lists the goal.
    try:
        return redirect(reverse("goal_edit", kwargs={"goal_id": goal.id}))
    except NoReverseMatch:
        return None
