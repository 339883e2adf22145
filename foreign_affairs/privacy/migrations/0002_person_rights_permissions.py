from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="personaldataaccess",
            options={
                "ordering": ["-at", "-id"],
                "permissions": [
                    ("export_person_data", "Can export a person's data"),
                    ("erase_person", "Can erase a person on request"),
                ],
                "verbose_name": "access record",
                "verbose_name_plural": "access records",
            },
        ),
    ]
