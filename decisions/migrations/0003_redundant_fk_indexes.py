"""Foreign keys whose own index another index already leads with: that index dropped."""

import django.db.models.deletion
from django.db import migrations, models

from alliance.index_ops import dropped_key_index


class Migration(migrations.Migration):
    dependencies = [
        ("alliance", "0010_redundant_fk_indexes"),
        ("decisions", "0002_caseload_stamp_triggers"),
    ]

    operations = [
        dropped_key_index(
            "decisiontalk",
            "alliance",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="decision_talks",
                to="alliance.alliance",
            ),
            table="decisions_decisiontalk",
            index="decisions_decisiontalk_alliance_id_fe29b06f",
            column="alliance_id",
        ),
        dropped_key_index(
            "stepcheck",
            "talk",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="steps",
                to="decisions.decisiontalk",
            ),
            table="decisions_stepcheck",
            index="decisions_stepcheck_talk_id_d66c711a",
            column="talk_id",
        ),
    ]
