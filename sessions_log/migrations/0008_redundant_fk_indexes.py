"""Foreign keys whose own index another index already leads with: that index dropped."""

import django.db.models.deletion
from django.db import migrations, models

from alliance.index_ops import dropped_key_index


class Migration(migrations.Migration):
    dependencies = [
        ("alliance", "0010_redundant_fk_indexes"),
        ("sessions_log", "0007_session_work_digest"),
    ]

    operations = [
        dropped_key_index(
            "alliancealert",
            "alliance",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="alerts",
                to="alliance.alliance",
            ),
            table="sessions_log_alliancealert",
            index="sessions_log_alliancealert_alliance_id_ca1c8a58",
            column="alliance_id",
        ),
        dropped_key_index(
            "alliancerating",
            "session",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="ratings",
                to="sessions_log.session",
            ),
            table="sessions_log_alliancerating",
            index="sessions_log_alliancerating_session_id_91a70d14",
            column="session_id",
        ),
        dropped_key_index(
            "session",
            "alliance",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="sessions",
                to="alliance.alliance",
            ),
            table="sessions_log_session",
            index="sessions_log_session_alliance_id_dbd50568",
            column="alliance_id",
        ),
        dropped_key_index(
            "sessiongoal",
            "session",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="goal_work",
                to="sessions_log.session",
            ),
            table="sessions_log_sessiongoal",
            index="sessions_log_sessiongoal_session_id_04c4aa82",
            column="session_id",
        ),
    ]
