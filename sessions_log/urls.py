from django.urls import include, path

urlpatterns = [
    path("", include("sessions_log.urls_notes")),
    path("", include("sessions_log.urls_ratings")),
]
