"""Photographs of people are a kind of document of their own (their downloads are access records, as
passport scans' are: foreign_affairs.documents.access). The photographs already attached to APEC card
applications, stored as "other" until now, become photographs."""

from django.db import migrations, models

PHOTO_TITLE_KIND = "apec_cards.cardattachment:photo"


def mark_photographs(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    CardAttachment = apps.get_model("apec_cards", "CardAttachment")
    attached = CardAttachment.objects.filter(kind="photo").values("document_id")
    Document.objects.filter(kind="other").filter(
        models.Q(pk__in=attached) | models.Q(title_kind=PHOTO_TITLE_KIND)
    ).update(kind="photo")


def unmark_photographs(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    Document.objects.filter(kind="photo").update(kind="other")


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_generated_titles"),
        ("apec_cards", "0003_case_attachment"),
    ]

    operations = [
        migrations.AlterField(
            model_name="document",
            name="kind",
            field=models.CharField(
                choices=[
                    ("business_licence", "Business licence"),
                    ("invitation", "Invitation letter"),
                    ("agenda", "Agenda"),
                    ("passport_scan", "Passport scan"),
                    ("photo", "Photograph"),
                    ("report", "Report"),
                    ("other", "Other"),
                ],
                default="other",
                max_length=32,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(mark_photographs, unmark_photographs),
    ]
