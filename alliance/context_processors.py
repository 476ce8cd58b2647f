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
    return {"nav_links": links}
