from django.urls import path

from goals.views import actions, pages

urlpatterns = [
    path("new/<uuid:alliance_id>/", pages.goal_new, name="goal_new"),
    path("<uuid:goal_id>/", pages.goal_detail, name="goal_detail"),
    path("<uuid:goal_id>/edit/", pages.goal_edit, name="goal_edit"),
    path("<uuid:goal_id>/history/", pages.goal_history, name="goal_history"),
    path("<uuid:goal_id>/propose/", actions.goal_propose, name="goal_propose"),
    path("<uuid:goal_id>/answer/", actions.goal_answer, name="goal_answer"),
    path("<uuid:goal_id>/progress/", actions.goal_progress, name="goal_progress"),
    path("<uuid:goal_id>/review/", actions.goal_review, name="goal_review"),
    path("<uuid:goal_id>/hold/", actions.goal_hold, name="goal_hold"),
    path("<uuid:goal_id>/resume/", actions.goal_resume, name="goal_resume"),
    path("<uuid:goal_id>/stop/", actions.goal_withdraw, name="goal_withdraw"),
    path("<uuid:goal_id>/entered-in-error/", actions.goal_enter_in_error, name="goal_error"),
]
