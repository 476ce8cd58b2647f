from alliance import two_factor
from alliance.models import Role

_NAV = {
    Role.THERAPIST: [("Caseload", "caseload"), ("Add patient", "patient_add")],
    Role.SUPERVISOR: [
        ("Caseload review", "review"),
        ("My caseload", "caseload"),
        ("Add patient", "patient_add"),
    ],
    Role.PATIENT: [
        ("My care", "portal"),
        ("My plan", "portal_plan"),
        ("Settings", "portal_settings"),
    ],
    Role.CLINIC_ADMIN: [
        ("Staff and supervision", "clinic_home"),
        ("Patients", "clinic_patients"),
        ("Access log", "access_log"),
    ],
}


def navigation(request):
    """The links of the caller's role, with the current one marked for screen readers."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": []}
    current = getattr(getattr(request, "resolver_match", None), "url_name", None)
    links = [
        {"label": label, "url_name": name, "current": name == current}
        for label, name in _NAV.get(user.role, [])
    ]
    # Staff manage their second login step; until it is passed, no other link leads anywhere.
    security_link = None
    if two_factor.uses_two_factor(user):
        if two_factor.second_step_needed(request):
            links = []
        else:
            enrolled = two_factor.is_enrolled(request)
            security_link = "two_factor_recovery" if enrolled else "two_factor_setup"
    return {"nav_links": links, "security_link": security_link}
