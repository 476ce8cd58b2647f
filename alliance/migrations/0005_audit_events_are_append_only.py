"""On PostgreSQL the database itself refuses to change or remove an audit event, even by raw
SQL: the trail stays as it was written."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION alliance_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are written once and never changed or removed (%)', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER alliance_auditevent_append_only
    BEFORE UPDATE OR DELETE ON alliance_auditevent
    FOR EACH ROW EXECUTE FUNCTION alliance_audit_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS alliance_auditevent_append_only ON alliance_auditevent;
DROP FUNCTION IF EXISTS alliance_audit_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite (development): AuditEvent's save(), delete() and queryset refuse instead
    schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("alliance", "0004_audit_event")]

    operations = [migrations.RunPython(forward, backward)]
