"""GET statuses of the decision pages per role fixture (see tests/alliance/url_expectations.py).

The talk of url_kwargs is at decision talk, with two options: the pages of that stage answer
200, and those of a later stage send the therapist back to the talk (302).
"""

from decisions import services
from decisions.models import DecisionTalk
from decisions.steps import Stage

LOGIN = 302
QUESTION = "Should we try weekly walks between sessions?"

# Clinicians read; a patient opening their own talk is sent to the portal, as on the
# patient page; clinic admins see no clinical content.
READ = {
    "*": 404,
    "therapist": 200,
    "supervisor": 200,
    "patient_user": 302,
    "clinic_admin": 403,
    "anonymous": LOGIN,
}
# Only the alliance's therapist writes; supervisors read, never write.
WRITE = {
    "*": 404,
    "therapist": 200,
    "supervisor": 403,
    "patient_user": 403,
    "other_patient_user": 403,
    "clinic_admin": 403,
    "anonymous": LOGIN,
}
LATER_STAGE = {**WRITE, "therapist": 302}
POST_ONLY = {**WRITE, "therapist": 405}

EXPECTED = {
    "decision_new": WRITE,
    "decision_talk": READ,
    "decision_edit": WRITE,
    "decision_compare": READ,
    "decision_summary": READ,
    "decision_option_new": WRITE,
    "decision_option_edit": WRITE,
    "decision_option_withdraw": POST_ONLY,
    "decision_preferences": WRITE,
    "decision_steps": POST_ONLY,
    "decision_defer": WRITE,
    "decision_resume": POST_ONLY,
    "decision_decide": WRITE,
    "decision_review": LATER_STAGE,
    "decision_goal_new": LATER_STAGE,
}

# An empty POST, where it answers otherwise than GET: the POST-only actions send the therapist
# back to the talk.
EXPECTED_POST = {
    "decision_option_withdraw": {"therapist": 302},
    "decision_steps": {"therapist": 302},
    "decision_resume": {"therapist": 302},
}


def url_kwargs(world, therapist) -> dict:
    alliance = world["alliance"]
    talk = DecisionTalk.objects.filter(alliance=alliance, question=QUESTION).first()
    if talk is None:
        talk = services.talk_start(alliance=alliance, by=therapist, question=QUESTION)
        services.option_add(talk=talk, by=therapist, title="Walk twice a week")
        talk = services.talk_advance(talk=talk, by=therapist, from_stage=Stage.CHOICE)
        talk = services.talk_advance(talk=talk, by=therapist, from_stage=Stage.OPTION)
    option = talk.options.filter(is_no_change=False).first()
    return {"talk_id": talk.id, "option_id": option.id}
