from django.urls import path

from sessions_log.views import notes, signed

urlpatterns = [
    path("new/<uuid:alliance_id>/", notes.session_new, name="session_new"),
    path(
        "new/<uuid:alliance_id>/autosave/", notes.session_autosave_new, name="session_autosave_new"
    ),
    path("cosign/", signed.session_cosign_queue, name="session_cosign_queue"),
    path("<uuid:session_id>/", signed.session_detail, name="session_detail"),
    path("<uuid:session_id>/edit/", notes.session_edit, name="session_edit"),
    path("<uuid:session_id>/autosave/", notes.session_autosave, name="session_autosave"),
    path("<uuid:session_id>/addendum/", signed.session_addendum, name="session_addendum"),
    path("<uuid:session_id>/entered-in-error/", signed.session_error, name="session_error"),
    path("<uuid:session_id>/cosign/", signed.session_cosign, name="session_cosign"),
    path("<uuid:session_id>/comment/", signed.session_comment, name="session_comment"),
]
