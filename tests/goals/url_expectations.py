"""GET statuses of the goal pages per role fixture (see tests/alliance/url_expectations.py)."""

from django.utils import timezone

from goals.models import Goal

LOGIN = 302
# Clinicians only; the patient's side lives in the portal. Supervisors read, never write.
READ = {
    "*": 404,
    "therapist": 200,
    "supervisor": 200,
    "patient_user": 403,
    "other_patient_user": 403,
    "clinic_admin": 403,
    "anonymous": LOGIN,
}
WRITE = {**READ, "supervisor": 403}
# Actions taken by POST only: a GET is refused the same way whatever the goal.
POST_ONLY = {**WRITE, "*": 405, "therapist": 405, "supervisor": 405}

EXPECTED = {
    "goal_new": WRITE,
    "goal_detail": READ,
    "goal_edit": WRITE,
    "goal_history": READ,
    "goal_propose": POST_ONLY,
    "goal_answer": WRITE,
    "goal_progress": WRITE,
    "goal_review": WRITE,
    "goal_hold": WRITE,
    "goal_resume": POST_ONLY,
    "goal_withdraw": WRITE,
    "goal_error": WRITE,
}

# An empty POST, where it answers otherwise than GET: the actions taken by POST alone send the
# therapist back to the goal (a goal not yet SMART to its edit page); others are refused.
EXPECTED_POST = {
    "goal_propose": {**WRITE, "therapist": 302},
    "goal_resume": {**WRITE, "therapist": 302},
}


def url_kwargs(world, therapist) -> dict:
    alliance = world["alliance"]
    # Put forward for agreement, so that the patient's portal shows it too.
    goal = Goal.objects.filter(alliance=alliance).first() or Goal.objects.create(
        alliance=alliance,
        created_by=therapist,
        expressed_by="therapist",
        description="Walk to the shop alone",
        proposed_at=timezone.now(),
        version=1,
        therapist_agreement="agree",
    )
    return {"goal_id": goal.id}
