from django.urls import path

from sessions_log.views import ratings

urlpatterns = [
    path("<uuid:session_id>/rate/", ratings.rating_therapist, name="rating_therapist"),
    path("<uuid:session_id>/patient-mode/", ratings.patient_mode_start, name="patient_mode_start"),
    path("patient-mode/", ratings.patient_mode_rate, name="patient_mode_rate"),
    path("patient-mode/thanks/", ratings.patient_mode_thanks, name="patient_mode_thanks"),
    path("patient-mode/exit/", ratings.patient_mode_exit, name="patient_mode_exit"),
]
