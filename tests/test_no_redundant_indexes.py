"""Every index on the app's own tables earns its keep: none is the leading part of another.

An index on (a) beside one on (a, b), or a second one on (a), answers no query the other
cannot, and every insert and every update that moves a row writes both. Django indexes each
foreign key by default; where a composite index or a unique constraint already leads with
that key, the key's own index is turned off (db_index=False). Checked against the migrated
database, PostgreSQL in CI.
"""

import pytest
from django.apps import apps
from django.db import connection

# The apps' own models' tables. The many-to-many tables Django makes itself (a session's
# decisions, a decision's goals) keep Django's index on their first key beside the unique pair.
APPS = ("alliance", "goals", "decisions", "sessions_log")


def redundant_indexes() -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for app in APPS:
            for model in apps.get_app_config(app).get_models():
                table = model._meta.db_table
                constraints = connection.introspection.get_constraints(cursor, table)
                # A partial index covers some rows only: it stands in for no other.
                partial = {
                    i.name
                    for i in [*model._meta.indexes, *model._meta.constraints]
                    if getattr(i, "condition", None) is not None
                }
                # Plain B-tree indexes only ("idx" on SQLite): a text index for LIKE
                # (PostgreSQL's "_like", another operator class) answers other queries.
                keys = [
                    (name, tuple(c["columns"]))
                    for name, c in constraints.items()
                    if (c["index"] or c["unique"])
                    and c["columns"]
                    and name not in partial
                    and c.get("type") in ("btree", "idx", None)
                    and not name.endswith("_like")
                ]
                for name, columns in keys:
                    if constraints[name]["unique"]:
                        continue
                    for other, longer in keys:
                        if other != name and longer[: len(columns)] == columns:
                            found.append(f"{table}: {name} {columns} leads {other} {longer}")
                            break
    return found


@pytest.mark.django_db
def test_no_index_is_the_leading_part_of_another():
    assert redundant_indexes() == []
