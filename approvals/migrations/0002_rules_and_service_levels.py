"""A row per rule (rules.RULES defaults: severity, parameters) and the service levels (DOMAIN.md defaults)."""

from django.db import migrations

SERVICE_LEVELS = {"submitted": 3, "in_review": 5, "pending_signoff": 3}


def create(apps, schema_editor):
    from approvals.rules import RULES

    RuleSetting = apps.get_model("approvals", "RuleSetting")
    ServiceLevel = apps.get_model("approvals", "ServiceLevel")
    for code, rule in RULES.items():
        RuleSetting.objects.get_or_create(code=code, defaults={"severity": rule.severity, "parameters": rule.parameters})
    for state, days in SERVICE_LEVELS.items():
        ServiceLevel.objects.get_or_create(state=state, defaults={"working_days": days, "escalate_after": 2})


def remove(apps, schema_editor):
    apps.get_model("approvals", "RuleSetting").objects.all().delete()
    apps.get_model("approvals", "ServiceLevel").objects.filter(state__in=SERVICE_LEVELS).delete()


class Migration(migrations.Migration):
    dependencies = [("approvals", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
