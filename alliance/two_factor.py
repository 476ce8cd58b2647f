"""Two-factor login for staff (django-otp): an authenticator app (TOTP) and recovery codes.

Who must use it: staff (therapists, supervisors, clinic admins) of a clinic whose
`staff_two_factor_required` is on (the default for every new clinic), and anyone who has set
an app up. Patients are never asked. Until the second step is passed, a signed-in user reaches
nothing but the two-factor pages and the logout (alliance.middleware_security).
"""

from base64 import b32encode

import segno
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance.models.users import STAFF_ROLES

# Whether the signed-in user has a confirmed app: known at login, kept in the session so that
# pages need no extra query to decide.
ENROLLED = "_alliance_2fa_enrolled"
# Recovery codes just made, shown once on the next page and then forgotten.
NEW_CODES = "_alliance_2fa_new_codes"
RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def is_staff_member(user) -> bool:
    return user.is_authenticated and user.role in STAFF_ROLES and user.clinic_id is not None


def clinic_requires(user) -> bool:
    return is_staff_member(user) and user.clinic.staff_two_factor_required


def has_app(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_enrolled(request) -> bool:
    if ENROLLED not in request.session:
        request.session[ENROLLED] = has_app(request.user)
    return request.session[ENROLLED]


def second_step_needed(request) -> bool:
    """The user has signed in with a password and still owes the second step."""
    user = request.user
    if not user.is_authenticated or getattr(user, "is_verified", lambda: False)():
        return False
    return clinic_requires(user) or (is_staff_member(user) and is_enrolled(request))


@receiver(user_logged_in, dispatch_uid="alliance.two_factor.logged_in")
def _remember_enrolment(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None and is_staff_member(user):
        session[ENROLLED] = has_app(user)


def pending_app(user) -> TOTPDevice:
    """The app being set up: the same secret on every reload until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The setup QR code as inline SVG, drawn here: the secret never leaves for a QR service."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title="QR code for your authenticator app"
    )


def secret_for_typing(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def confirm_app(request, device: TOTPDevice, code: str) -> bool:
    """Check the first code from the app; on success it becomes the user's only app."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(code):
            return False
        device.confirmed = True
        device.save()
        # Replacing a phone: the old app stops working once the new one is confirmed.
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    _passed(request, device)
    return True


def new_recovery_codes(user) -> list[str]:
    """Ten fresh single-use codes; any earlier ones stop working."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def verify(request, code: str):
    """Check a code from the app, or a recovery code (spent once used).

    Returns (passed, how): how is "app", "recovery code" or, when the devices refuse every
    attempt for a while after many wrong codes, "throttled".
    """
    user = request.user
    code = normalise(code)
    kind = "app" if code.isdigit() else "recovery code"
    model = TOTPDevice if kind == "app" else StaticDevice
    with transaction.atomic():
        devices = list(
            model.objects.select_for_update().filter(user=user, confirmed=True).order_by("id")
        )
        for device in devices:
            if device.verify_token(code):
                break
        else:
            if devices and not any(d.verify_is_allowed()[0] for d in devices):
                return False, "throttled"
            return False, kind
    _passed(request, device)
    return True, kind


def _passed(request, device) -> None:
    # A new session key at each step up in privilege, as at login.
    request.session.cycle_key()
    otp_login(request, device)
    request.session[ENROLLED] = True
