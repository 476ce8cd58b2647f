from django.db import migrations

from alliance import caseload_triggers as triggers


class Migration(migrations.Migration):
    dependencies = [("alliance", "0008_caseload_stamp")]

    operations = [triggers.operations({"alliance_user": triggers.USER})]
