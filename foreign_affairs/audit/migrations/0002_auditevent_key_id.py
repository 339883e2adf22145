from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            # Filled by 0003 for the events that exist; every new event names its key.
            field=models.CharField(default="", editable=False, max_length=16, verbose_name="key id"),
            preserve_default=False,
        ),
    ]
