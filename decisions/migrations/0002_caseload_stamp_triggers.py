from django.db import migrations

from alliance import caseload_triggers as triggers


class Migration(migrations.Migration):
    dependencies = [("decisions", "0001_initial"), ("alliance", "0008_caseload_stamp")]

    operations = [
        triggers.operations(
            {
                "decisions_decisiontalk": triggers.BY_ALLIANCE,
                "decisions_decision": triggers.BY_TALK,
                "decisions_option": triggers.BY_TALK,
            }
        )
    ]
