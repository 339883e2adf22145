"""The passport number a change request proposes is stored encrypted in its JSON (issue 17): the field
encrypts it on save, and the requests filed before are written again here (backwards: plain again)."""

import json

from django.db import migrations

import foreign_offices.models.fields

BATCH = 1000


def _batches(model):
    last = 0
    while True:
        batch = list(model.objects.filter(pk__gt=last).order_by("pk").only("pk", "proposed")[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def encrypt(apps, schema_editor):
    model = apps.get_model("foreign_offices", "ChangeRequest")
    for batch in _batches(model):
        changed = [request for request in batch if (request.proposed or {}).get("passport_number")]
        if changed:
            model.objects.bulk_update(changed, ["proposed"])


def decrypt(apps, schema_editor):
    model = apps.get_model("foreign_offices", "ChangeRequest")
    table = schema_editor.quote_name(model._meta.db_table)
    for batch in _batches(model):
        for request in batch:
            if (request.proposed or {}).get("passport_number"):
                schema_editor.execute(
                    f"UPDATE {table} SET proposed = %s::jsonb WHERE id = %s",  # noqa: S608 (name from the model)
                    [json.dumps(request.proposed, ensure_ascii=False), request.pk],
                )


class Migration(migrations.Migration):
    dependencies = [("foreign_offices", "0002_service_levels")]

    operations = [
        migrations.AlterField(
            model_name="changerequest",
            name="proposed",
            field=foreign_offices.models.fields.EncryptedKeysJSONField(
                default=dict, encrypted_keys=("passport_number",), verbose_name="proposed"
            ),
        ),
        migrations.RunPython(encrypt, decrypt, elidable=False),
    ]
