from django.utils import timezone


class ClinicTimeZoneMiddleware:
    """Show and read times in the caller's clinic time zone (UTC for the anonymous)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.clinic_id:
            timezone.activate(user.clinic.zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
