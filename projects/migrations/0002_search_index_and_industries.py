"""The catalogue's trigram index (PostgreSQL only: pg_trgm, GIN on the search text; SQLite searches without
it) and the industries the free trade zone's overall plan names for each area."""

from django.db import migrations

from ._industries import seed


INDEXES = [
    ("projects_cooperationproject", "project_search_trgm_idx"),
    ("projects_achievement", "achievement_search_trgm_idx"),
]


def seed_industries(apps, schema_editor):
    seed(apps.get_model("projects", "Industry"))


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, name in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
        migrations.RunPython(seed_industries, migrations.RunPython.noop),
    ]
