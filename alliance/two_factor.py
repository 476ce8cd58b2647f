"""Two-factor login (django-otp): an authenticator app (TOTP) and recovery codes.

Who must use it: operators (superusers, who reach the Django admin), staff (therapists,
supervisors, clinic admins) of a clinic whose `staff_two_factor_required` is on (the default
for every new clinic), and any staff member who has set an app up. Patients are never asked.
Until the second step is passed, a signed-in user reaches nothing but the two-factor pages and
the logout (alliance.middleware_security).
"""

from base64 import b32encode

import segno
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance.models.users import STAFF_ROLES

# Recovery codes just made, shown once on the next page and then forgotten.
NEW_CODES = "_alliance_2fa_new_codes"
RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def is_staff_member(user) -> bool:
    return user.is_authenticated and user.role in STAFF_ROLES and user.clinic_id is not None


def uses_two_factor(user) -> bool:
    """Who may set up an app: clinic staff, and the operators who run the Django admin."""
    return is_staff_member(user) or (user.is_authenticated and user.is_operator)


def clinic_requires(user) -> bool:
    return is_staff_member(user) and user.clinic.staff_two_factor_required


def must_use(user) -> bool:
    """Operators always (the admin reaches every clinic's records); staff where the clinic
    says so."""
    return (user.is_authenticated and user.is_operator) or clinic_requires(user)


def is_enrolled(request) -> bool:
    return request.user.two_factor_on


def second_step_needed(request) -> bool:
    """The user has signed in with a password and still owes the second step."""
    user = request.user
    if not user.is_authenticated or getattr(user, "is_verified", lambda: False)():
        return False
    return must_use(user) or (uses_two_factor(user) and user.two_factor_on)


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
        type(device.user).objects.filter(pk=device.user_id).update(two_factor_on=True)
    request.user.two_factor_on = True
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
