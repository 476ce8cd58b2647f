"""The patient's portal, phone first. Only what is shared with the patient, ever."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from alliance import audit, page_cache, portal
from alliance.access import role_required
from alliance.forms.portal import PatientProgressForm, RatingForm, ReminderPreferenceForm
from alliance.models import Role
from alliance.views.forms_util import add_service_errors
from decisions.models import DecisionTalk
from decisions.selectors import talk_record
from goals import services as goal_services
from goals.charts import progress_chart
from goals.forms import AnswerForm
from goals.models import Goal, Lifecycle
from sessions_log.services.ratings import rating_record

patients_only = role_required(Role.PATIENT)


def _my_goal(request, goal_id) -> Goal:
    try:
        return portal.patient_goals(request.user).get(id=goal_id)
    except Goal.DoesNotExist:
        raise Http404("No such goal.") from None


@patients_only
def portal_home(request):
    user = request.user
    # One read of the patient's alliances, their therapists and the versions of those
    # caseloads: the copy's key, and what the page is drawn from when there is no copy.
    cares = portal.visible_cares(user)
    if cares:
        audit.known_patient(request, None, cares[0].patient_id)

    def body() -> str:
        context = {
            "groups": portal.portal_home(user=user, cares=cares),
            "to_rate": portal.sessions_to_rate(user=user, cares=cares),
        }
        return render_to_string("alliance/portal/home_body.html", context, request)

    key = tuple(sorted((str(a.pk), a.therapist.full_name, a.stamp) for a in cares))
    html = page_cache.fragment(user, "portal", (user.get_short_name(), key), body)
    return render(request, "alliance/portal/home.html", {"body": html})


@patients_only
def portal_goal(request, goal_id):
    goal = _my_goal(request, goal_id)
    today = timezone.localdate()
    active = goal.alliance.is_active
    answering = active and goal.lifecycle_status == Lifecycle.PROPOSED
    recording = active and goal.lifecycle_status in (Lifecycle.ACTIVE, Lifecycle.ON_HOLD)
    answer_form = AnswerForm(
        request.POST if "answer" in request.POST else None, initial={"version": goal.version}
    )
    progress_form = PatientProgressForm(
        request.POST if "recorded_on" in request.POST else None, goal=goal, today=today
    )
    if request.method == "POST" and answering and answer_form.is_valid():
        try:
            goal_services.goal_answer(
                goal=goal, by=request.user, party="patient", **answer_form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(answer_form, error)
        else:
            messages.success(request, "Thank you: your therapist sees your answer.")
            return redirect("portal_goal", goal_id=goal.id)
    elif request.method == "POST" and recording and progress_form.is_valid():
        try:
            goal_services.progress_record(
                goal=goal, by=request.user, party="patient", **progress_form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(progress_form, error)
        else:
            messages.success(request, "Recorded. Your therapist will see it before your review.")
            return redirect("portal_goal", goal_id=goal.id)
    context = {
        "goal": goal,
        "chart": progress_chart(goal=goal, progress=goal.shared_progress, today=today),
        "answer_form": answer_form if answering else None,
        "progress_form": progress_form if recording else None,
    }
    return render(request, "alliance/portal/goal.html", context)


@patients_only
def portal_decision(request, talk_id):
    talks = DecisionTalk.objects.visible_to(request.user).filter(
        stage__in=portal.SHARED_TALK_STAGES
    )
    try:
        talk = talks.select_related("alliance__therapist").get(id=talk_id)
    except DecisionTalk.DoesNotExist:
        raise Http404("No such decision.") from None
    context = {"talk": talk, "record": talk_record(talk=talk)}
    return render(request, "alliance/portal/decision.html", context)


@patients_only
def portal_rate(request, session_id):
    session = portal.session_to_rate_or_none(user=request.user, session_id=session_id)
    if session is None:
        messages.info(
            request, "That session can no longer be rated: ratings stay open for 7 days, once."
        )
        return redirect("portal")
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rating_record(session=session, by=request.user, rater="patient", scores=form.scores())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Thank you. Your rating helps your therapist work with you.")
            return redirect("portal")
    return render(request, "alliance/portal/rate.html", {"session": session, "form": form})


@patients_only
def portal_plan(request):
    return render(
        request,
        "alliance/portal/plan.html",
        {"groups": portal.portal_home(user=request.user), "today": timezone.localdate()},
    )


@patients_only
def portal_settings(request):
    patient = request.user.patient_record
    # An unticked box posts nothing: bind on the method, not on the data.
    data = request.POST if request.method == "POST" else None
    form = ReminderPreferenceForm(data, initial={"review_reminders": patient.review_reminders})
    if request.method == "POST" and form.is_valid():
        patient.review_reminders = form.cleaned_data["review_reminders"]
        patient.save(update_fields=["review_reminders"])
        messages.success(
            request, "Saved." if patient.review_reminders else "Saved: no more reminder emails."
        )
        return redirect("portal_settings")
    return render(request, "alliance/portal/settings.html", {"form": form})
