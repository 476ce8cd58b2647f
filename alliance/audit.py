"""Writing the audit trail (alliance.models.AuditEvent).

Requests are recorded in one place, alliance.middleware_security.AuditMiddleware, from the
resolved URL: its name, the record ids in its arguments, the caller, the answer's status and
the caller's address. A view that makes its change in one transaction may have its row
written inside it (`transaction_with_its_row`), so that the two are kept together.
Sign-ins, sign-outs, failed sign-ins and lockouts come from Django's and django-axes'
signals below. Nothing here ever reads a request body: no clinical text, no password and no
typed username reaches the trail.
"""

from contextlib import contextmanager

from django.apps import apps
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from alliance.client_ip import client_ip
from alliance.models import AuditEvent, Patient, Role, User

Action = AuditEvent.Action

# URL argument -> (record type, model, path from that model to the patient's id). The first
# argument found in this order names the record (a talk's option belongs to the talk).
RECORD_ARGUMENTS = {
    "session_id": ("session", "sessions_log.Session", "alliance__patient_id"),
    "goal_id": ("goal", "goals.Goal", "alliance__patient_id"),
    "talk_id": ("decision talk", "decisions.DecisionTalk", "alliance__patient_id"),
    "alliance_id": ("alliance", "alliance.Alliance", "patient_id"),
    "patient_id": ("patient", "alliance.Patient", "id"),
    "therapist_id": ("user", None, None),
    "user_id": ("user", None, None),
    "supervision_id": ("supervision", None, None),
}
# Pages whose whole content leaves the app as a file or a printout.
EXPORTS = {"review_export", "portal_plan"}
# The patient's own portal pages: the record read is the caller's own.
PORTAL_PAGES = {"portal", "portal_plan", "portal_settings"}
# Recorded by the signals and views that know more (or nothing to record: no record, no data).
NOT_RECORDED = {
    "home",
    "healthz",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "invitation_accept",
    "two_factor_setup",
    "two_factor_verify",
}


def record(*, action: str, request=None, user=None, **fields) -> AuditEvent:
    """One row of the trail. `fields` are AuditEvent's own (ids and fixed words only)."""
    actor = user if user is not None and getattr(user, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_role=(actor.role or ("operator" if actor.is_superuser else "")) if actor else "",
        clinic_id=actor.clinic_id if actor else None,
        ip=client_ip(request) if request is not None else None,
        **fields,
    )


def _patient_of(model_label: str, path: str, record_id):
    model = apps.get_model(model_label)
    try:
        return model._base_manager.filter(pk=record_id).values_list(path, flat=True).first()
    except (ValueError, TypeError):
        return None


def known_patient(request, record_id, patient_id) -> None:
    """Said by a view that has read, through the access rule, the record its URL names (or, on
    the portal's own pages, `record_id` None, the patient's own record): whose record it is.
    The trail's row then names that patient without reading the record a second time. Only the
    record the URL names takes it; any other is looked up as before."""
    request.audit_known_patient = (None if record_id is None else str(record_id), patient_id)


def _record_from_arguments(kwargs: dict, known: tuple | None) -> dict:
    for argument, (record_type, model_label, path) in RECORD_ARGUMENTS.items():
        if argument in kwargs:
            value = kwargs[argument]
            if model_label and known is not None and known[0] == str(value):
                patient_id = known[1]
            else:
                patient_id = _patient_of(model_label, path, value) if model_label else None
            return {"record_type": record_type, "record_id": str(value), "patient_id": patient_id}
    return {}


def _record_from_admin(match) -> dict:
    # Admin URL names are <app>_<model>_<view>; object_id is in the change/history/delete URLs.
    object_id = match.kwargs.get("object_id")
    parts = (match.url_name or "").split("_")
    fields = {"record_type": "_".join(parts[:2])[:40] if len(parts) > 2 else ""}
    if object_id:
        fields["record_id"] = str(object_id)[:64]
        if match.url_name.startswith("alliance_patient_"):
            fields["patient_id"] = _patient_of("alliance.Patient", "id", object_id)
    return fields


def _action(request, match, status: int) -> str:
    if match.namespace == "admin":
        return Action.ADMIN
    if status in (403, 404):
        return Action.DENIED
    if match.url_name in EXPORTS and request.method == "GET":
        return Action.EXPORT
    if request.method in ("GET", "HEAD"):
        return Action.READ
    return Action.CHANGE


def record_request(request, response) -> AuditEvent | None:
    """The trail's row for one answered request by a signed-in user, if it is one to keep."""
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    if match is None or user is None or not user.is_authenticated:
        return None
    if match.url_name in NOT_RECORDED and match.namespace != "admin":
        return None
    known = getattr(request, "audit_known_patient", None)
    if match.namespace == "admin":
        fields = _record_from_admin(match)
    else:
        fields = _record_from_arguments(match.kwargs, known)
    if not fields and match.url_name in PORTAL_PAGES and user.role == Role.PATIENT:
        if known is not None and known[0] is None:
            patient_id = known[1]
        else:
            patient_id = (
                Patient.objects.filter(portal_user=user).values_list("id", flat=True).first()
            )
        fields = {"record_type": "portal", "patient_id": patient_id}
    url_name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    return record(
        action=_action(request, match, response.status_code),
        request=request,
        user=user,
        url_name=(url_name or "")[:100],
        method=request.method[:8],
        status=response.status_code,
        **fields,
    )


@contextmanager
def transaction_with_its_row(request):
    """`with audit.transaction_with_its_row(request) as keep:` runs a view's change in one
    transaction; `keep(response)`, at its end, writes the request's row in the trail in that
    same transaction, so the change and its row are kept or lost together. When the
    transaction is rolled back or fails, even as it commits, the middleware writes the row
    after, as for any other request."""

    def keep(response) -> None:
        if not transaction.get_rollback():
            record_request(request, response)
            request.audit_recorded = True

    try:
        with transaction.atomic():
            yield keep
    except BaseException:
        request.audit_recorded = False  # the row went with the transaction
        raise


@receiver(user_logged_in, dispatch_uid="alliance.audit.logged_in")
def _logged_in(sender, request, user, **kwargs):
    record(action=Action.LOGIN, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="alliance.audit.logged_out")
def _logged_out(sender, request, user, **kwargs):
    detail = getattr(request, "_alliance_logout_reason", "") if request is not None else ""
    record(action=Action.LOGOUT, request=request, user=user, detail=detail)


@receiver(user_login_failed, dispatch_uid="alliance.audit.login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    _refused(Action.LOGIN_FAILED, (credentials or {}).get("username"), request=request)


def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    _refused(Action.LOCKED_OUT, username, request=request, ip=ip_address)


def _refused(action: str, typed: str | None, *, request=None, ip=None) -> AuditEvent:
    """A sign-in refused. Only an existing account is named: a mistyped username may be
    someone's password, so what was typed is never kept."""
    account = User.objects.filter(email__iexact=typed.strip()).first() if typed else None
    return AuditEvent.objects.create(
        action=action,
        actor=account,
        actor_role=account.role if account else "",
        clinic_id=account.clinic_id if account else None,
        ip=ip or (client_ip(request) if request is not None else None),
        detail="" if account else "no such account",
    )


def connect_axes_signals() -> None:
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="alliance.audit.locked_out")
