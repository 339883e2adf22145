"""The 21 APEC economies (DOMAIN.md): 19 full participants that pre-clear card holders, China being the
home economy of the office's applicants, and two transitional members that give fast-track lanes only."""

from django.db import migrations

from apec_cards.economy_data import ECONOMIES, ensure_economies

def load(apps, schema_editor):
    ensure_economies(apps.get_model("apec_cards", "Economy"))


def unload(apps, schema_editor):
    apps.get_model("apec_cards", "Economy").objects.filter(code__in=[row[0] for row in ECONOMIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("apec_cards", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
