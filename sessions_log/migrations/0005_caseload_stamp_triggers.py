from django.db import migrations

from alliance import caseload_triggers as triggers


class Migration(migrations.Migration):
    dependencies = [("sessions_log", "0004_draft_page_keys"), ("alliance", "0008_caseload_stamp")]

    operations = [
        triggers.operations(
            {
                "sessions_log_session": triggers.BY_ALLIANCE,
                "sessions_log_alliancealert": triggers.BY_ALLIANCE,
                "sessions_log_alliancerating": triggers.BY_SESSION,
                "sessions_log_cosignature": triggers.BY_SESSION,
                "sessions_log_errormark": triggers.BY_SESSION,
            }
        )
    ]
