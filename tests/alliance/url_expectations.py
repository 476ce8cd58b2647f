"""GET statuses of alliance's URLs per role fixture, for tests/alliance/test_url_matrix.py.

Each app's tests keep a module like this one: EXPECTED maps a URL name to {role: status},
with "*" for the roles not named; url_kwargs gives real ids for the URL's parameters.
"""

from alliance.models import Supervision

LOGIN = 302  # anonymous users are sent to the login page

PATIENT_PAGE = {"*": 403, "patient_user": 200, "other_patient_user": 200, "anonymous": LOGIN}
STAFF_ONLY = {"patient_user": 403, "other_patient_user": 403, "anonymous": LOGIN}

EXPECTED = {
    "home": {"*": 302},
    "healthz": {"*": 200},
    "login": {"*": 302, "anonymous": 200},
    "logout": {"*": 405},
    "password_reset": {"*": 200},
    "password_reset_done": {"*": 200},
    "password_reset_confirm": {"*": 200},
    "password_reset_complete": {"*": 200},
    "invitation_accept": {"*": 200},
    # Two-step login: the fixtures' clinics do not require it (tests/factories.py), so nobody
    # owes the step; staff may set it up, patients are never asked.
    "two_factor_verify": {**STAFF_ONLY, "*": 302},
    "two_factor_setup": {**STAFF_ONLY, "*": 200},
    "two_factor_recovery": {**STAFF_ONLY, "*": 302},
    "caseload": {
        "*": 403,
        "therapist": 200,
        "other_therapist": 200,
        "supervisor": 200,
        "unrelated_supervisor": 200,
        "outsider": 200,
        "anonymous": LOGIN,
    },
    "patient_add": {
        "*": 403,
        "therapist": 200,
        "other_therapist": 200,
        "supervisor": 200,
        "unrelated_supervisor": 200,
        "outsider": 200,
        "anonymous": LOGIN,
    },
    "alliance_detail": {
        "*": 404,
        "therapist": 200,
        "supervisor": 200,
        "patient_user": 302,
        "clinic_admin": 403,
        "anonymous": LOGIN,
    },
    "alliance_end": {
        "*": 404,
        "therapist": 200,
        "supervisor": 403,
        "patient_user": 403,
        "other_patient_user": 403,
        "clinic_admin": 403,
        "anonymous": LOGIN,
    },
    # patricia already uses the portal: the page still opens (a new link is refused on POST).
    "portal_invite": {
        "*": 404,
        "therapist": 200,
        "supervisor": 403,
        "patient_user": 403,
        "other_patient_user": 403,
        "clinic_admin": 403,
        "anonymous": LOGIN,
    },
    "review": {"*": 403, "supervisor": 200, "unrelated_supervisor": 200, "anonymous": LOGIN},
    "review_export": {"*": 403, "supervisor": 200, "unrelated_supervisor": 200, "anonymous": LOGIN},
    # Only the therapist's current supervisor drills into the caseload.
    "review_therapist": {
        "*": 403,
        "supervisor": 200,
        "unrelated_supervisor": 404,
        "anonymous": LOGIN,
    },
    "portal": PATIENT_PAGE,
    "portal_plan": PATIENT_PAGE,
    "portal_settings": PATIENT_PAGE,
    # Records of the patient's own care: another patient is told nothing (404).
    "portal_goal": {**PATIENT_PAGE, "other_patient_user": 404},
    "portal_decision": {**PATIENT_PAGE, "patient_user": 404, "other_patient_user": 404},
    # A session of the last 7 days to rate; for anyone else it is simply not open (back home).
    "portal_rate": {**PATIENT_PAGE, "other_patient_user": 302},
    "clinic_home": {"*": 403, "clinic_admin": 200, "anonymous": LOGIN},
    "staff_invite": {"*": 403, "clinic_admin": 200, "anonymous": LOGIN},
    "staff_invite_resend": {"*": 403, "clinic_admin": 405, "anonymous": LOGIN},
    "supervision_add": {"*": 403, "clinic_admin": 200, "anonymous": LOGIN},
    "supervision_end": {"*": 403, "clinic_admin": 200, "anonymous": LOGIN},
    "clinic_patients": {"*": 403, "clinic_admin": 200, "anonymous": LOGIN},
    "access_log": {"*": 403, "clinic_admin": 200, "anonymous": LOGIN},
    "patient_assign": {"*": 403, "clinic_admin": 200, "anonymous": LOGIN},
}

# An empty POST, where it answers otherwise than GET (tests/alliance/test_url_matrix.py).
EXPECTED_POST = {
    "healthz": {"*": 405},
    "logout": {"*": 302},  # to the login page, signed in or not
    "password_reset_done": {"*": 405},
    "password_reset_complete": {"*": 405},
    # An unticked box posts nothing: reminders off, saved.
    "portal_settings": {"patient_user": 302, "other_patient_user": 302},
    # alice has set her password: nothing is sent, back to the clinic page.
    "staff_invite_resend": {"clinic_admin": 302},
}


def url_kwargs(world, therapist) -> dict:
    return {
        "alliance_id": world["alliance"].id,
        "patient_id": world["alliance"].patient.id,
        "supervision_id": Supervision.objects.get(therapist=therapist).id,
        "user_id": therapist.id,
        "therapist_id": therapist.id,
        "uidb64": "MQ",
        "token": "set-password",
    }
