from django.db import migrations

from foreign_affairs.privacy.retention_defaults import DEFAULT_MONTHS


def create(apps, schema_editor):
    rule = apps.get_model("privacy", "RetentionRule")
    for kind, months in DEFAULT_MONTHS.items():
        rule.objects.get_or_create(kind=kind, defaults={"months": months})


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
