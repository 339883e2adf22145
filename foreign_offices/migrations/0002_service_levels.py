from django.db import migrations

DEFAULTS = {"enquiry": 2, "consulting": 10, "preparing": 20, "submitted_to_authority": 20, "registered": 20}


def add_levels(apps, schema_editor):
    level = apps.get_model("foreign_offices", "CaseServiceLevel")
    for state, days in DEFAULTS.items():
        level.objects.get_or_create(state=state, defaults={"working_days": days})


class Migration(migrations.Migration):
    dependencies = [("foreign_offices", "0001_initial")]

    operations = [migrations.RunPython(add_levels, migrations.RunPython.noop)]
