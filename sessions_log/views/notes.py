"""Writing a session note: new, edit, autosave. Nothing typed is ever lost."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from alliance import audit
from alliance.access import get_alliance_for_edit, role_required
from alliance.display import record_url
from alliance.models.users import CLINICIAN_ROLES
from alliance.views.forms_util import add_service_errors
from goals import selectors as goal_selectors
from sessions_log import selectors, selectors_ratings
from sessions_log.forms import quick_note
from sessions_log.forms.notes import GoalWorkForm, SessionForm
from sessions_log.forms.quick_note import NoteInput
from sessions_log.services import notes as services

clinicians = role_required(*CLINICIAN_ROLES)


def _forms(request, alliance, session, goals=None):
    data = request.POST if request.method == "POST" else None
    initial = {"revision": session.revision if session else 1, "page_key": uuid.uuid4()}
    if session is None:
        now = timezone.localtime().replace(second=0, microsecond=0)
        initial.update(starts_at=now, note_format=alliance.clinic.default_note_format)
    elif data is None:
        # What was saved fills an unbound form only: a posted form shows what was posted.
        initial["decisions"] = list(session.decisions.values_list("id", flat=True))
        note = selectors.private_note_for(session=session, user=request.user)
        initial["private_note"] = note.text if note else ""
    form = SessionForm(data, instance=session, initial=initial, alliance=alliance)
    done = {w.goal_id: w for w in session.goal_work.all()} if session and data is None else {}
    if goals is None:
        goals = goal_selectors.goals_to_work_on(alliance_id=alliance.pk)
    goal_forms = [
        GoalWorkForm(data, goal=goal, initial=_work_initial(done.get(goal.id))) for goal in goals
    ]
    return form, goal_forms


def _work_initial(work) -> dict:
    if work is None:
        return {}
    return {
        "worked_on": True,
        "value": work.value,
        "gas_level": work.gas_level,
        "comment": work.comment,
    }


def _save(request, alliance, session, note: NoteInput):
    """Create or update the draft from checked input; returns the saved session."""
    if session is None:
        with transaction.atomic():  # a new draft is kept only with its first save
            session = services.session_start(
                alliance=alliance, by=request.user, page_key=note.page_key
            )
            return _save_draft(request, session, note)
    return _save_draft(request, session, note)


def _save_draft(request, session, note: NoteInput):
    return services.session_save_draft(
        session=session,
        by=request.user,
        fields=note.fields,
        expected_revision=note.revision,
        goal_work=note.goal_work,
        decision_ids=note.decision_ids,
        private_note=note.private_note,
        page_key=note.page_key,
        page_seq=note.page_seq or 0,
    )


def _page(request, alliance, session):
    form, goal_forms = _forms(request, alliance, session)
    status = 200
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in goal_forms):
        try:
            session = _save(request, alliance, session, NoteInput.from_forms(form, goal_forms))
        except services.DraftConflict as clash:
            status = 409
            form.add_error(
                None,
                "This draft was saved in another window after you opened it. "
                "Your text is still here: check it, then save again to keep it.",
            )
            _carry_revision(form, clash.current.revision)
        except ValidationError as error:
            add_service_errors(form, error)
        except services.StaleSave as stale:
            messages.info(request, "A later save from this page was already kept: here it is.")
            return redirect("session_edit", session_id=stale.current.id)
        else:
            if "sign" not in request.POST:
                messages.success(request, "Draft saved.")
                return redirect("session_edit", session_id=session.id)
            try:
                services.session_sign(session=session, by=request.user)
            except ValidationError as error:
                # The draft is saved; show beside each field what signing still needs.
                add_service_errors(form, error)
                _carry_revision(form, session.revision)
            else:
                messages.success(request, "Signed. The note is locked; add to it with an addendum.")
                return redirect("session_detail", session_id=session.id)
    context = {
        "alliance": alliance,
        "session": session,
        "form": form,
        "goal_forms": goal_forms,
        "autosave_url": reverse("session_autosave", args=[session.id])
        if session
        else reverse("session_autosave_new", args=[alliance.id]),
        "session_ratings": selectors_ratings.session_ratings(session=session) if session else None,
    }
    return render(request, "sessions_log/session_form.html", context, status=status)


def _carry_revision(form, revision: int) -> None:
    # The typed text stays in the form; the next save builds on the saved revision.
    form.data = form.data.copy()
    form.data["revision"] = revision


@clinicians
def session_new(request, alliance_id):
    alliance = get_alliance_for_edit(request.user, alliance_id)
    if request.method == "POST":
        # This form's autosave (or a first click) may already have made the draft.
        earlier = services.session_started_from(
            alliance=alliance, by=request.user, page_key=request.POST.get("page_key")
        )
        if earlier is not None and earlier.is_signed:
            messages.info(request, "This note was already signed.")
            return redirect("session_detail", session_id=earlier.id)
        if earlier is not None:
            return _page(request, alliance, earlier)
    return _page(request, alliance, None)


@clinicians
def session_edit(request, session_id):
    session = selectors.get_session_for_write(request.user, session_id)
    if session.is_signed:
        return redirect("session_detail", session_id=session.id)
    return _page(request, session.alliance, session)


def _checked_input(request, alliance, session) -> NoteInput | JsonResponse:
    """The autosave's input, checked directly when it is plainly right (quick_note), else by
    the forms; a JSON answer naming what is wrong when it is not."""
    goals = goal_selectors.goals_to_work_on(alliance_id=alliance.pk)
    note = quick_note.clean(request.POST, goals)
    if note is not None:
        return note
    form, goal_forms = _forms(request, alliance, session, goals)
    if form.is_valid() and all(f.is_valid() for f in goal_forms):
        return NoteInput.from_forms(form, goal_forms)
    errors = {**form.errors.get_json_data()}
    for goal_form in goal_forms:
        errors.update(
            {f"{goal_form.prefix}-{k}": v for k, v in goal_form.errors.get_json_data().items()}
        )
    return JsonResponse({"saved": False, "errors": errors}, status=400)


def _autosave(request, alliance, session):
    note = _checked_input(request, alliance, session)
    if isinstance(note, JsonResponse):
        return note
    try:
        session = _save(request, alliance, session, note)
    except services.DraftConflict as clash:
        return JsonResponse(
            {"saved": False, "conflict": True, "revision": clash.current.revision}, status=409
        )
    except services.StaleSave:
        return JsonResponse({"saved": False, "stale": True})
    except ValidationError as error:
        return JsonResponse({"saved": False, "errors": error.messages}, status=400)
    return JsonResponse(
        {
            "saved": True,
            "revision": session.revision,
            "saved_at": timezone.localtime(session.updated_at).strftime("%H:%M:%S"),
            "edit_url": record_url("session_edit", session.id),
            "autosave_url": record_url("session_autosave", session.id),
        }
    )


@clinicians
@require_POST
def session_autosave_new(request, alliance_id):
    alliance = get_alliance_for_edit(request.user, alliance_id)
    return _autosave(request, alliance, None)


@clinicians
@require_POST
def session_autosave(request, session_id):
    # One transaction: the draft read through the access rule with its row locked, the save
    # built on it, and the save's row in the audit trail, kept or lost together.
    with audit.transaction_with_its_row(request) as keep:
        session = selectors.get_draft_to_save(request.user, session_id)
        audit.known_patient(request, session.pk, session.alliance.patient_id)
        if session.is_signed:
            response = JsonResponse({"saved": False, "signed": True}, status=409)
        else:
            response = _autosave(request, session.alliance, session)
        keep(response)
    return response
