"""On PostgreSQL the database itself refuses to change a signed note or remove any note,
and refuses any change to addenda, co-signatures and error marks, even by raw SQL."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION sessions_log_keep_signed_note() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'session notes are never deleted; mark them entered in error';
    END IF;
    IF OLD.signed_at IS NOT NULL THEN
        RAISE EXCEPTION 'a signed note cannot be changed; add an addendum';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER sessions_log_session_keep_signed
    BEFORE UPDATE OR DELETE ON sessions_log_session
    FOR EACH ROW EXECUTE FUNCTION sessions_log_keep_signed_note();

CREATE OR REPLACE FUNCTION sessions_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows are written once and never changed or removed', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""
APPEND_ONLY = ["sessions_log_addendum", "sessions_log_cosignature", "sessions_log_errormark",
               "sessions_log_supervisorcomment"]
BACKWARD = """
DROP TRIGGER IF EXISTS sessions_log_session_keep_signed ON sessions_log_session;
DROP FUNCTION IF EXISTS sessions_log_keep_signed_note();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite (development): the models' save() and delete() refuse instead
    schema_editor.execute(FORWARD, params=None)
    for table in APPEND_ONLY:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION sessions_log_append_only();"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in APPEND_ONLY:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute(BACKWARD, params=None)
    schema_editor.execute("DROP FUNCTION IF EXISTS sessions_log_append_only();")


class Migration(migrations.Migration):
    dependencies = [("sessions_log", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
