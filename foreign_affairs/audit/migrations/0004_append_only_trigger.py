"""On PostgreSQL the database itself refuses UPDATE and DELETE on audit events (a row trigger).

The ORM refuses them already (AuditEventQuerySet); the trigger also stops raw SQL from the portal's
connections, a mistaken script or an injected statement. It does not fire on TRUNCATE (so Django's test
flush still works) or on INSERT, and the table's owner or a superuser can disable it: what they do is
found by the keyed chain and the checkpoints outside the database, not prevented. Other databases
(SQLite in development) have no such trigger.
"""

from django.db import migrations

FUNCTION = "audit_auditevent_append_only"
TRIGGER = "audit_auditevent_append_only"


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("audit", "AuditEvent")._meta.db_table)
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit events are append-only: % on % refused', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege',
                      HINT = 'Audit events are written once, by audit.services.record_event.';
        END
        $$
        """,
        params=None,  # no parameters: the % of RAISE are the function's own
    )
    schema_editor.execute(
        f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
    )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("audit", "AuditEvent")._meta.db_table)
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_rechain_with_hmac"),  # re-chaining updates every row: before the trigger exists
    ]

    operations = [
        migrations.RunPython(install, remove, elidable=False),
    ]
