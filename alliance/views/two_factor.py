"""The second login step for staff: set up an authenticator app, enter its code, recovery codes.

alliance.middleware_security.TwoFactorMiddleware sends a signed-in user who still owes the
step here; these views check again themselves, so that no order of requests skips it.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters

from alliance import audit, two_factor
from alliance.forms.security import CodeForm
from alliance.models import AuditEvent


def staff_only(view):
    """Clinic staff and operators; patients never use a second step."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not two_factor.uses_two_factor(request.user):
            raise PermissionDenied("Two-step login is for staff.")
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else "home"


def _record(request, detail: str, *, failed: bool = False) -> None:
    action = AuditEvent.Action.LOGIN_FAILED if failed else AuditEvent.Action.TWO_FACTOR
    audit.record(action=action, request=request, user=request.user, detail=detail)


@sensitive_post_parameters("code")
@staff_only
def two_factor_setup(request):
    """Show the QR code of a new app secret; the first code from the app confirms it."""
    user = request.user
    if two_factor.is_enrolled(request) and not user.is_verified():
        # Replacing the app needs the second step first: a password alone is not enough.
        return redirect("two_factor_verify")
    device = two_factor.pending_app(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.confirm_app(request, device, two_factor.normalise(form.cleaned_data["code"])):
            request.session[two_factor.NEW_CODES] = two_factor.new_recovery_codes(user)
            _record(request, "authenticator app set up")
            messages.success(request, "Two-step login is on. Keep your recovery codes safe.")
            return redirect("two_factor_recovery")
        form.add_error("code", "That code does not match. Check the app's clock and try again.")
    context = {
        "form": form,
        "qr_svg": two_factor.qr_svg(device),
        "secret": two_factor.secret_for_typing(device),
        "required": two_factor.must_use(user),
        "replacing": two_factor.is_enrolled(request),
    }
    return render(request, "registration/two_factor_setup.html", context)


@sensitive_post_parameters("code")
@staff_only
def two_factor_verify(request):
    """The second step at each login: a code from the app, or one recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not two_factor.is_enrolled(request):
        return redirect("two_factor_setup" if two_factor.must_use(user) else "home")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        passed, how = two_factor.verify(request, form.cleaned_data["code"])
        if passed:
            _record(request, f"second step passed with {how}")
            if how == "recovery code":
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    f"You used a recovery code; {left} left. Make new ones from Two-step login.",
                )
            return redirect(_next_url(request))
        _record(request, "wrong two-factor code", failed=True)
        if how == "throttled":
            form.add_error("code", "Too many wrong codes. Wait a minute, then try again.")
        else:
            form.add_error("code", "That code does not match. Try the newest code from the app.")
    context = {"form": form, "next": _next_url(request) if request.GET.get("next") else ""}
    return render(request, "registration/two_factor_verify.html", context)


@staff_only
def two_factor_recovery(request):
    """Recovery codes: shown once when made; a new set replaces the old one."""
    user = request.user
    if not two_factor.is_enrolled(request):
        return redirect("two_factor_setup")
    if request.method == "POST":
        request.session[two_factor.NEW_CODES] = two_factor.new_recovery_codes(user)
        _record(request, "new recovery codes made")
        return redirect("two_factor_recovery")
    context = {
        "codes": request.session.pop(two_factor.NEW_CODES, None),
        "left": two_factor.recovery_codes_left(user),
    }
    return render(request, "registration/two_factor_recovery.html", context)
