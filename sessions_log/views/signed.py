"""A session's page, and what follows a signed note: addenda, errors, comments, co-signing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from alliance.access import can_edit_alliance, is_supervising, role_required
from alliance.models import Role
from alliance.models.users import CLINICIAN_ROLES
from alliance.views.forms_util import add_service_errors
from sessions_log import selectors, selectors_ratings
from sessions_log.forms.notes import AddendumForm, CommentForm, CosignForm, ReasonForm
from sessions_log.services import notes as services

clinicians = role_required(*CLINICIAN_ROLES)


@clinicians
def session_detail(request, session_id):
    session = selectors.get_session_or_404(request.user, session_id)
    can_edit = can_edit_alliance(request.user, session.alliance)
    if can_edit and not session.is_signed:
        return redirect("session_edit", session_id=session.id)
    supervising = is_supervising(request.user, session.alliance)
    cosignature = getattr(session, "cosignature", None)
    context = {
        "session": session,
        "alliance": session.alliance,
        "can_edit": can_edit,
        "supervising": supervising,
        "private_note": selectors.private_note_for(session=session, user=request.user),
        "goal_work": session.goal_work.select_related("goal"),
        "decisions": session.decisions.all(),
        "addenda": session.addenda.select_related("author"),
        "comments": session.comments.select_related("author"),
        "cosignature": cosignature,
        "error_mark": getattr(session, "error_mark", None),
        "cosign_form": CosignForm()
        if supervising and session.cosign_required and cosignature is None
        else None,
        "comment_form": CommentForm() if supervising else None,
        "session_ratings": selectors_ratings.session_ratings(session=session),
    }
    return render(request, "sessions_log/session_detail.html", context)


def _signed_action(request, session_id, *, form_class, title, submit, act, done):
    session = selectors.get_session_for_write(request.user, session_id)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            act(session, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("session_detail", session_id=session.id)
    context = {"session": session, "form": form, "title": title, "submit": submit}
    return render(request, "sessions_log/session_action.html", context)


@clinicians
def session_addendum(request, session_id):
    return _signed_action(
        request,
        session_id,
        form_class=AddendumForm,
        title="Add an addendum",
        submit="Add addendum",
        act=lambda session, data: services.addendum_add(session=session, by=request.user, **data),
        done="Addendum added under the signed note.",
    )


@clinicians
def session_error(request, session_id):
    return _signed_action(
        request,
        session_id,
        form_class=ReasonForm,
        title="Mark as entered in error",
        submit="Mark as entered in error",
        act=lambda session, data: services.session_mark_error(
            session=session, by=request.user, **data
        ),
        done="Marked as entered in error. The note stays in the record.",
    )


def _supervised_session(request, session_id):
    session = selectors.get_session_or_404(request.user, session_id)
    if not is_supervising(request.user, session.alliance):
        raise PermissionDenied("Only the therapist's supervisor does this.")
    return session


@role_required(Role.SUPERVISOR)
def session_cosign(request, session_id):
    session = _supervised_session(request, session_id)
    form = CosignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cosign(session=session, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Co-signed.")
            return redirect("session_cosign_queue")
    context = {"session": session, "form": form, "title": "Co-sign this note", "submit": "Co-sign"}
    return render(request, "sessions_log/session_action.html", context)


@role_required(Role.SUPERVISOR)
def session_comment(request, session_id):
    session = _supervised_session(request, session_id)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.supervisor_comment(session=session, by=request.user, **form.cleaned_data)
        messages.success(request, "Comment added.")
        return redirect("session_detail", session_id=session.id)
    context = {
        "session": session,
        "form": form,
        "title": "Comment on this note",
        "submit": "Add comment",
    }
    return render(request, "sessions_log/session_action.html", context)


@role_required(Role.SUPERVISOR)
def session_cosign_queue(request):
    sessions = selectors.cosign_queue(supervisor=request.user)
    return render(request, "sessions_log/cosign_queue.html", {"sessions": sessions})
