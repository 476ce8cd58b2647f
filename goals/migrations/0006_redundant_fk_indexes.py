"""Foreign keys whose own index another index already leads with: that index dropped."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from alliance.index_ops import dropped_key_index


class Migration(migrations.Migration):
    dependencies = [
        ("alliance", "0010_redundant_fk_indexes"),
        ("goals", "0005_goal_alliance_review_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        dropped_key_index(
            "goal",
            "alliance",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="goals",
                to="alliance.alliance",
            ),
            table="goals_goal",
            index="goals_goal_alliance_id_01071bbc",
            column="alliance_id",
        ),
        dropped_key_index(
            "goalversion",
            "goal",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="versions",
                to="goals.goal",
            ),
            table="goals_goalversion",
            index="goals_goalversion_goal_id_33cc7295",
            column="goal_id",
        ),
        dropped_key_index(
            "reviewreminder",
            "goal",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reminders",
                to="goals.goal",
            ),
            table="goals_reviewreminder",
            index="goals_reviewreminder_goal_id_6febcaa4",
            column="goal_id",
        ),
        dropped_key_index(
            "reviewreminder",
            "recipient",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
            table="goals_reviewreminder",
            index="goals_reviewreminder_recipient_id_8e0171db",
            column="recipient_id",
        ),
    ]
