"""Request-wide security: idle logout, the two-factor gate, the audit trail, private pages.

Order in settings.MIDDLEWARE: after AuthenticationMiddleware, OTPMiddleware and
MessageMiddleware (they provide request.user, user.is_verified() and messages).
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from alliance import audit, two_factor
from alliance.models import Role

LAST_SEEN = "_alliance_last_seen"
# How often the last-seen time is written back (seconds): not on every request.
LAST_SEEN_RESOLUTION = 60
DEFAULT_IDLE_MINUTES = 15


def idle_minutes(user) -> int:
    clinic = user.clinic if user.clinic_id else None
    if clinic is None:
        return DEFAULT_IDLE_MINUTES  # operators, who belong to no clinic
    if user.role == Role.PATIENT:
        return clinic.idle_logout_patient_minutes
    return clinic.idle_logout_staff_minutes


def _login_url(request, **params) -> str:
    if request.method == "GET":
        params["next"] = request.get_full_path()
    return f"{reverse('login')}?{urlencode(params)}" if params else reverse("login")


class IdleLogoutMiddleware:
    """Log out after the clinic's idle minutes for the user's role (staff 15, patients 30)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            minutes = idle_minutes(user)
            if last_seen is not None and now - last_seen > minutes * 60:
                request._alliance_logout_reason = "idle logout"
                logout(request)
                messages.info(
                    request,
                    f"You were logged out after {minutes} minutes without activity, to keep "
                    "your records private. Log in again to carry on.",
                )
                return redirect(_login_url(request))
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="alliance.idle.logged_in")
def _start_idle_clock(sender, request, user, **kwargs):
    # At login the idle clock starts, so the first pages need no extra session write.
    session = getattr(request, "session", None)
    if session is not None:
        session[LAST_SEEN] = int(time.time())


class TwoFactorMiddleware:
    """Until the second step is passed, only the two-factor pages and the logout open."""

    OPEN = {"two_factor_verify", "two_factor_setup", "logout"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if two_factor.second_step_needed(request) and not self._open(request):
            enrolled = two_factor.is_enrolled(request)
            target = reverse("two_factor_verify" if enrolled else "two_factor_setup")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)

    def _open(self, request) -> bool:
        path = request.path_info
        if settings.STATIC_URL and path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        return any(path == reverse(name) for name in self.OPEN)


class AuditMiddleware:
    """Record every answered request of a signed-in user (alliance.audit.record_request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, "audit_recorded", False):  # audit.transaction_with_its_row
            audit.record_request(request, response)
        return response


class PrivateResponseMiddleware:
    """Pages for a signed-in user are never stored by the browser or a shared cache, so the
    back button after logout (or on the therapist's device in patient mode) shows nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
