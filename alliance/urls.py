from django.contrib import admin
from django.urls import include, path

from alliance.views import (
    access_log,
    auth,
    caseload,
    clinic_admin,
    health,
    homes,
    portal,
    portal_invite,
    review,
    two_factor,
)

urlpatterns = [
    path("", homes.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    # Signing in and out
    path("login/", auth.login, name="login"),
    path("logout/", auth.logout, name="logout"),
    path("password-reset/", auth.password_reset, name="password_reset"),
    path("password-reset/sent/", auth.password_reset_done, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/done/", auth.password_reset_complete, name="password_reset_complete"),
    path("invitation/<uidb64>/<token>/", auth.invitation_accept, name="invitation_accept"),
    # The second login step for staff
    path("login/code/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("account/two-step/", two_factor.two_factor_setup, name="two_factor_setup"),
    path(
        "account/two-step/recovery-codes/",
        two_factor.two_factor_recovery,
        name="two_factor_recovery",
    ),
    # Clinicians
    path("caseload/", caseload.caseload, name="caseload"),
    path("caseload/add/", caseload.patient_add, name="patient_add"),
    path("alliances/<uuid:alliance_id>/", caseload.alliance_detail, name="alliance_detail"),
    path("alliances/<uuid:alliance_id>/end/", caseload.alliance_end, name="alliance_end"),
    path(
        "alliances/<uuid:alliance_id>/portal-invite/",
        portal_invite.portal_invite,
        name="portal_invite",
    ),
    path("review/", review.review, name="review"),
    path("review/export.csv", review.review_export, name="review_export"),
    path(
        "review/therapists/<int:therapist_id>/",
        review.review_therapist,
        name="review_therapist",
    ),
    # Patients
    path("portal/", portal.portal_home, name="portal"),
    path("portal/goals/<uuid:goal_id>/", portal.portal_goal, name="portal_goal"),
    path("portal/decisions/<uuid:talk_id>/", portal.portal_decision, name="portal_decision"),
    path("portal/sessions/<uuid:session_id>/rate/", portal.portal_rate, name="portal_rate"),
    path("portal/plan/", portal.portal_plan, name="portal_plan"),
    path("portal/settings/", portal.portal_settings, name="portal_settings"),
    # Clinic admins
    path("clinic/", clinic_admin.clinic_home, name="clinic_home"),
    path("clinic/staff/invite/", clinic_admin.staff_invite, name="staff_invite"),
    path(
        "clinic/staff/<int:user_id>/resend/",
        clinic_admin.staff_invite_resend,
        name="staff_invite_resend",
    ),
    path("clinic/supervisions/add/", clinic_admin.supervision_add, name="supervision_add"),
    path(
        "clinic/supervisions/<int:supervision_id>/end/",
        clinic_admin.supervision_end,
        name="supervision_end",
    ),
    path("clinic/patients/", clinic_admin.patient_list, name="clinic_patients"),
    path("clinic/access-log/", access_log.access_log, name="access_log"),
    path(
        "clinic/patients/<uuid:patient_id>/assign/",
        clinic_admin.patient_assign,
        name="patient_assign",
    ),
    # Features, each on the alliance's access rule
    path("goals/", include("goals.urls")),
    path("decisions/", include("decisions.urls")),
    path("sessions/", include("sessions_log.urls")),
    # Operators only (superusers); clinic staff never use the Django admin.
    path("admin/", admin.site.urls),
]
