"""Writes to the shared core: keyword-only functions that views and commands call."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from alliance.models import Alliance, Clinic, Patient, Role, Supervision, User
from alliance.tokens import invitation_token_generator

logger = logging.getLogger(__name__)


@transaction.atomic
def patient_add(*, therapist: User, started_on: datetime.date, **details) -> Alliance:
    """Create the patient and the therapist's alliance with them, together."""
    patient = Patient.objects.create(clinic_id=therapist.clinic_id, **details)
    return Alliance.objects.create(
        clinic_id=therapist.clinic_id, therapist=therapist, patient=patient, started_on=started_on
    )


def alliance_end(*, alliance: Alliance, by: User, ended_on: datetime.date, reason: str) -> Alliance:
    """End an episode of care. The alliance and all it holds are kept, read-only."""
    if not alliance.is_active:
        raise ValidationError("This alliance has already ended.")
    if ended_on < alliance.started_on:
        raise ValidationError({"ended_on": "The end cannot come before the start."})
    alliance.status = Alliance.Status.ENDED
    alliance.ended_on = ended_on
    alliance.end_reason = reason
    alliance.ended_by = by
    alliance.save(update_fields=["status", "ended_on", "end_reason", "ended_by"])
    return alliance


@transaction.atomic
def patient_assign(
    *, patient: Patient, therapist: User, by: User, starts_on: datetime.date
) -> Alliance:
    """Give a patient a therapist; a current alliance with someone else ends as a transfer."""
    if therapist.clinic_id != patient.clinic_id or not therapist.carries_caseload:
        raise ValidationError({"therapist": "Choose a therapist of this clinic."})
    current = list(Alliance.objects.select_for_update().filter(patient=patient).active())
    if any(a.therapist_id == therapist.id for a in current):
        raise ValidationError({"therapist": "This therapist already sees this patient."})
    for alliance in current:
        alliance_end(
            alliance=alliance,
            by=by,
            ended_on=max(starts_on, alliance.started_on),
            reason=Alliance.EndReason.TRANSFERRED,
        )
    return Alliance.objects.create(
        clinic_id=patient.clinic_id, therapist=therapist, patient=patient, started_on=starts_on
    )


def supervision_start(
    *,
    supervisor: User,
    therapist: User,
    starts_on: datetime.date,
    requires_cosign: bool,
) -> Supervision:
    if supervisor.role != Role.SUPERVISOR:
        raise ValidationError({"supervisor": "Only a supervisor can supervise."})
    if not therapist.carries_caseload:
        raise ValidationError({"therapist": "Only a therapist can be supervised."})
    if supervisor.id == therapist.id:
        raise ValidationError({"therapist": "Nobody supervises themselves."})
    if supervisor.clinic_id != therapist.clinic_id:
        raise ValidationError({"therapist": "Both must work in the same clinic."})
    overlapping = Supervision.objects.filter(
        supervisor=supervisor, therapist=therapist, ends_on__isnull=True
    )
    if overlapping.exists():
        raise ValidationError({"therapist": "This supervision is already in place."})
    return Supervision.objects.create(
        clinic_id=supervisor.clinic_id,
        supervisor=supervisor,
        therapist=therapist,
        starts_on=starts_on,
        requires_cosign=requires_cosign,
    )


def supervision_end(*, supervision: Supervision, ends_on: datetime.date) -> Supervision:
    if supervision.ends_on is not None:
        raise ValidationError("This supervision has already ended.")
    if ends_on < supervision.starts_on:
        raise ValidationError({"ends_on": "The end cannot come before the start."})
    supervision.ends_on = ends_on
    supervision.save(update_fields=["ends_on"])
    return supervision


def invitation_link(*, user: User, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse("invitation_accept", args=[uid, token])


def invitation_send(*, user: User, base_url: str) -> bool:
    """Email a one-time set-password link. The mail names the clinic, nothing clinical.

    A mail server that refuses or is down does not stop the caller: the failure is logged
    without the address (an SMTP error's text carries it) and False tells the page to say so.
    """
    context = {
        "user": user,
        "clinic": user.clinic,
        "link": invitation_link(user=user, base_url=base_url),
        "hours": 72,
    }
    try:
        send_mail(
            subject=f"Your Alliance account at {user.clinic.name}",
            message=render_to_string("alliance/email/invitation.txt", context),
            html_message=render_to_string("alliance/email/invitation.html", context),
            from_email=None,
            recipient_list=[user.email],
        )
    except Exception as error:  # noqa: BLE001 - any mail failure: reported, never raised
        code = getattr(error, "smtp_code", None)
        logger.warning(
            "Invitation email for user %s not sent: %s%s",
            user.pk,
            type(error).__name__,
            f" (SMTP {code})" if code else "",
        )
        return False
    return True


def _invite_after_commit(user: User, base_url: str) -> None:
    """Send once the account is saved; `user.invitation_sent` then says whether it went."""
    user.invitation_sent = False

    def send():
        user.invitation_sent = invitation_send(user=user, base_url=base_url)

    transaction.on_commit(send)


def staff_invite(*, clinic: Clinic, email: str, full_name: str, role: str, base_url: str) -> User:
    if role not in (Role.THERAPIST, Role.SUPERVISOR, Role.CLINIC_ADMIN):
        raise ValidationError({"role": "Choose a staff role."})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "Someone already has an account with this email."})
    # No password until the person sets one through the link.
    user = User.objects.create_user(email, None, full_name=full_name, clinic=clinic, role=role)
    # A mail server that is down must not undo the account: the admin can resend.
    _invite_after_commit(user, base_url)
    return user


@transaction.atomic
def patient_portal_invite(*, alliance: Alliance, by: User, email: str, base_url: str) -> User:
    """Give the patient a portal account and email them a one-time link to set a password."""
    if alliance.therapist_id != by.id or not alliance.is_active:
        raise ValidationError("Only the patient's therapist invites them, while care goes on.")
    patient = Patient.objects.select_for_update().get(pk=alliance.patient_id)
    user = patient.portal_user
    if user is not None and user.has_usable_password():
        raise ValidationError("This patient already uses the portal.")
    if user is None:
        email = email.strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError({"email": "Someone already has an account with this email."})
        user = User.objects.create_user(
            email,
            None,
            full_name=f"{patient.given_name} {patient.family_name}",
            clinic_id=patient.clinic_id,
            role=Role.PATIENT,
        )
        patient.portal_user = user
        patient.email = patient.email or email
        patient.save(update_fields=["portal_user", "email"])
    _invite_after_commit(user, base_url)
    return user
