"""Foreign keys whose own index another index already leads with: that index dropped."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from alliance.index_ops import dropped_key_index


class Migration(migrations.Migration):
    dependencies = [
        ("alliance", "0009_user_caseload_stamp_trigger"),
    ]

    operations = [
        dropped_key_index(
            "alliance",
            "therapist",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="alliances",
                to=settings.AUTH_USER_MODEL,
            ),
            table="alliance_alliance",
            index="alliance_alliance_therapist_id_3ba1a9df",
            column="therapist_id",
        ),
        dropped_key_index(
            "auditevent",
            "actor",
            models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
            table="alliance_auditevent",
            index="alliance_auditevent_actor_id_d803d486",
            column="actor_id",
        ),
        dropped_key_index(
            "auditevent",
            "patient",
            models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="alliance.patient",
            ),
            table="alliance_auditevent",
            index="alliance_auditevent_patient_id_88339127",
            column="patient_id",
        ),
        dropped_key_index(
            "patient",
            "clinic",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="patients",
                to="alliance.clinic",
            ),
            table="alliance_patient",
            index="alliance_patient_clinic_id_5fce6295",
            column="clinic_id",
        ),
    ]
