"""The data step of a migration that turns a plain column into an EncryptedCharField: encrypts the values
written before and fills their blind index (and, backwards, writes them out plain again)."""

from django.db import migrations

BATCH = 2000


def _batches(model):
    last = 0
    while True:
        batch = list(model.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def encrypt_column(app_label: str, model_name: str, field_name: str) -> migrations.RunPython:
    def forward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        field = model._meta.get_field(field_name)
        for batch in _batches(model):
            model.objects.bulk_update(batch, [field_name, field.blind_index])

    def backward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        table, column = model._meta.db_table, model._meta.get_field(field_name).column
        quote = schema_editor.quote_name
        for batch in _batches(model):
            for obj in batch:
                schema_editor.execute(
                    f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE {quote(model._meta.pk.column)} = %s",  # noqa: S608 (names from the model)
                    [getattr(obj, field_name), obj.pk],
                )

    return migrations.RunPython(forward, backward, elidable=False)
