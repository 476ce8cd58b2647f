"""Migration steps that drop the index Django gave a foreign key of its own, where another
index already leads with that key (tests/test_no_redundant_indexes.py).

Only the index goes: `DROP INDEX`, the same on PostgreSQL and SQLite. An AlterField would
rebuild the whole table on SQLite and lose the caseload triggers installed on it.
"""

from django.db import migrations


def dropped_key_index(
    model_name: str, field_name: str, field, *, table: str, index: str, column: str
) -> migrations.SeparateDatabaseAndState:
    """The field as it now is (db_index=False) for Django; its index dropped in the database,
    made again if the migration is reversed."""
    return migrations.SeparateDatabaseAndState(
        state_operations=[
            migrations.AlterField(model_name=model_name, name=field_name, field=field)
        ],
        database_operations=[
            migrations.RunSQL(
                f'DROP INDEX IF EXISTS "{index}"',
                reverse_sql=f'CREATE INDEX "{index}" ON "{table}" ("{column}")',
            )
        ],
    )
