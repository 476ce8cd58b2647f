import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from alliance import caseload_triggers as triggers


class Migration(migrations.Migration):
    dependencies = [("alliance", "0007_user_two_factor_on")]

    operations = [
        migrations.CreateModel(
            name="CaseloadStamp",
            fields=[
                (
                    "therapist",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="caseload_stamp",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("version", models.BigIntegerField(default=0)),
            ],
        ),
        triggers.operations(
            {"alliance_alliance": triggers.ALLIANCE_ITSELF, "alliance_patient": triggers.PATIENT}
        ),
    ]
