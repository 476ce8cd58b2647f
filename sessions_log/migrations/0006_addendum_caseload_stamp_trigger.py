from django.db import migrations

from alliance import caseload_triggers as triggers


class Migration(migrations.Migration):
    dependencies = [
        ("sessions_log", "0005_caseload_stamp_triggers"),
        ("alliance", "0008_caseload_stamp"),
    ]

    operations = [triggers.operations({"sessions_log_addendum": triggers.BY_SESSION})]
