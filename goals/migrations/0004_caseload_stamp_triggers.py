from django.db import migrations

from alliance import caseload_triggers as triggers


class Migration(migrations.Migration):
    dependencies = [("goals", "0003_review_reminder"), ("alliance", "0008_caseload_stamp")]

    operations = [
        triggers.operations(
            {
                "goals_goal": triggers.BY_ALLIANCE,
                "goals_goalprogress": triggers.BY_GOAL,
                "goals_reviewreminder": triggers.FAILED_REMINDER,
            }
        )
    ]
