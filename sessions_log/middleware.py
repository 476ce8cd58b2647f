"""Patient mode: while the therapist's device is in the patient's hands, nothing but the
rating questions can be opened on it.

Add after django.contrib.auth.middleware.AuthenticationMiddleware (it reads request.user).
"""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from sessions_log.views.ratings import PATIENT_MODE

# The pages the patient may be shown, and the therapist's way out (with their password).
PATIENT_MODE_URLS = ("patient_mode_rate", "patient_mode_thanks", "patient_mode_exit")


class PatientModeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if PATIENT_MODE not in request.session:
            return self.get_response(request)
        if not request.user.is_authenticated:
            # The login has gone (expired, or ended elsewhere): so has patient mode.
            del request.session[PATIENT_MODE]
            return self.get_response(request)
        if not self._allowed(request.path):
            # Every other page, logging out included, leads back to the questions.
            return redirect("patient_mode_rate")
        response = self.get_response(request)
        # Nothing shown to the patient is kept for the browser's back button.
        add_never_cache_headers(response)
        return response

    @staticmethod
    def _allowed(path: str) -> bool:
        if settings.STATIC_URL and path.startswith(settings.STATIC_URL):
            return True
        return path in {reverse(name) for name in PATIENT_MODE_URLS}
