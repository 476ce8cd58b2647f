from django.urls import path

from decisions.views import contents, stages, talks

urlpatterns = [
    path("new/<uuid:alliance_id>/", talks.decision_new, name="decision_new"),
    path("<uuid:talk_id>/", talks.decision_talk, name="decision_talk"),
    path("<uuid:talk_id>/question/", talks.decision_edit, name="decision_edit"),
    path("<uuid:talk_id>/compare/", talks.decision_compare, name="decision_compare"),
    path("<uuid:talk_id>/summary/", talks.decision_summary, name="decision_summary"),
    # What the talk weighs
    path("<uuid:talk_id>/options/new/", contents.decision_option_new, name="decision_option_new"),
    path(
        "<uuid:talk_id>/options/<uuid:option_id>/",
        contents.decision_option_edit,
        name="decision_option_edit",
    ),
    path(
        "<uuid:talk_id>/options/<uuid:option_id>/set-aside/",
        contents.decision_option_withdraw,
        name="decision_option_withdraw",
    ),
    path(
        "<uuid:talk_id>/what-matters/",
        contents.decision_preferences,
        name="decision_preferences",
    ),
    # Moving the talk along
    path("<uuid:talk_id>/checklist/", stages.decision_steps, name="decision_steps"),
    path("<uuid:talk_id>/defer/", stages.decision_defer, name="decision_defer"),
    path("<uuid:talk_id>/take-up/", stages.decision_resume, name="decision_resume"),
    path("<uuid:talk_id>/decide/", stages.decision_decide, name="decision_decide"),
    path("<uuid:talk_id>/review/", stages.decision_review, name="decision_review"),
    path("<uuid:talk_id>/goal/", stages.decision_goal_new, name="decision_goal_new"),
]
