"""Alliance ratings: the therapist's own, and the patient's on the therapist's device.

Patient mode: the therapist hands their logged-in device to the patient, who sees the four
questions and nothing else (sessions_log.middleware keeps every other page away) until the
therapist types their password again.
"""

import contextlib

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from alliance.access import can_edit_alliance, role_required
from alliance.models.users import CLINICIAN_ROLES
from alliance.views.forms_util import add_service_errors
from sessions_log import selectors
from sessions_log.forms.ratings import PatientModeExitForm, RatingForm
from sessions_log.models import AllianceAlert, Session
from sessions_log.models.ratings import Rater
from sessions_log.services import ratings as services

PATIENT_MODE = "patient_mode"  # the session being rated, kept in the login session
ATTEMPTS = "patient_mode_attempts"
MAX_ATTEMPTS = 5

clinicians = role_required(*CLINICIAN_ROLES)


def _session_to_rate(user, session_id) -> Session:
    session = selectors.get_session_or_404(user, session_id)
    if not can_edit_alliance(user, session.alliance):
        raise PermissionDenied("Only the patient's therapist rates this session.")
    return session


@clinicians
def rating_therapist(request, session_id):
    session = _session_to_rate(request.user, session_id)
    problem = services.rating_problem(session=session, rater=Rater.THERAPIST)
    if problem:
        context = {"session": session, "alliance": session.alliance, "problem": problem}
        status = 200 if request.method == "GET" else 409
        return render(request, "sessions_log/ratings/unavailable.html", context, status=status)
    form = RatingForm(request.POST or None, audience="therapist")
    if request.method == "POST" and form.is_valid():
        try:
            rating = services.rating_record(
                session=session, by=request.user, rater=Rater.THERAPIST, scores=form.scores()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Your rating is recorded: {rating.total}/40.")
            _say_if_alert(request, session)
            return redirect("session_detail", session_id=session.id)
    context = {"session": session, "alliance": session.alliance, "form": form}
    return render(request, "sessions_log/ratings/therapist_rating.html", context)


def _say_if_alert(request, session: Session) -> None:
    alert = AllianceAlert.objects.filter(session=session, closed_at__isnull=True).first()
    if alert is not None:
        reasons = render_to_string("sessions_log/ratings/alert_reasons.html", {"alert": alert})
        messages.warning(request, f"This session raised an alliance alert. {reasons.strip()}")


@clinicians
@require_POST
def patient_mode_start(request, session_id):
    session = _session_to_rate(request.user, session_id)
    problem = services.rating_problem(session=session, rater=Rater.PATIENT)
    if problem:
        messages.error(request, f"The patient cannot rate this session here. {problem}")
        return redirect("session_detail", session_id=session.id)
    request.session[PATIENT_MODE] = str(session.id)
    request.session[ATTEMPTS] = 0
    return redirect("patient_mode_rate")


def _session_in_patient_mode(request) -> Session | None:
    return (
        Session.objects.visible_to(request.user)
        .select_related("alliance")
        .filter(id=request.session[PATIENT_MODE])
        .first()
    )


def _patient_page(request, template: str, context: dict):
    # Only what the patient may see: the therapist's name, never the record.
    context = {"therapist_name": request.user.full_name, **context}
    return render(request, f"sessions_log/ratings/{template}", context)


@clinicians
def patient_mode_rate(request):
    if PATIENT_MODE not in request.session:
        return redirect("home")
    session = _session_in_patient_mode(request)
    if session is None or services.rating_problem(session=session, rater=Rater.PATIENT):
        return redirect("patient_mode_thanks")
    form = RatingForm(request.POST or None, audience="patient")
    if request.method == "POST" and form.is_valid():
        # Rated meanwhile, or care ended: either way the patient has nothing more to do here.
        with contextlib.suppress(ValidationError, PermissionDenied):
            services.rating_record(
                session=session,
                by=request.user,
                rater=Rater.PATIENT,
                scores=form.scores(),
                in_patient_mode=True,
            )
        return redirect("patient_mode_thanks")
    return _patient_page(
        request, "patient_mode_rate.html", {"form": form, "when": session.starts_at}
    )


@clinicians
def patient_mode_thanks(request):
    if PATIENT_MODE not in request.session:
        return redirect("home")
    return _patient_page(
        request, "patient_mode_thanks.html", {"form": PatientModeExitForm(user=request.user)}
    )


@clinicians
def patient_mode_exit(request):
    if PATIENT_MODE not in request.session:
        return redirect("home")
    form = PatientModeExitForm(request.POST or None, user=request.user)
    if request.method != "POST":
        return _patient_page(request, "patient_mode_exit.html", {"form": form})
    if form.is_valid():
        session_id = request.session.pop(PATIENT_MODE)
        request.session.pop(ATTEMPTS, None)
        messages.success(request, "Patient mode has ended.")
        return redirect("session_detail", session_id=session_id)
    if form.has_error("password", "wrong_password"):
        return _wrong_password(request, form)
    return _patient_page(request, "patient_mode_exit.html", {"form": form})


def _wrong_password(request, form):
    """Guessing the therapist's password on their device ends the login altogether."""
    attempts = request.session.get(ATTEMPTS, 0) + 1
    if attempts >= MAX_ATTEMPTS:
        logout(request)
        messages.error(request, "Too many wrong passwords: you have been logged out.")
        return redirect("login")
    request.session[ATTEMPTS] = attempts
    return _patient_page(request, "patient_mode_exit.html", {"form": form})
