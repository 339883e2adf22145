"""The pre-departure training rule of travel approval becomes an error now that this area answers it (it was
a warning while nobody could check). An office that configured the rule otherwise keeps its choice only if it
chose "error" or turned the rule off: a stored "warning" was the old default."""

from django.db import migrations


def make_error(apps, schema_editor):
    RuleSetting = apps.get_model("approvals", "RuleSetting")
    RuleSetting.objects.filter(code="predeparture_training", severity="warning").update(severity="error")


def make_warning(apps, schema_editor):
    RuleSetting = apps.get_model("approvals", "RuleSetting")
    RuleSetting.objects.filter(code="predeparture_training", severity="error").update(severity="warning")


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("approvals", "0002_rules_and_service_levels"),
    ]

    operations = [migrations.RunPython(make_error, make_warning)]
