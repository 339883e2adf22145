"""Titles the portal made for attachments ("HNFA-2026-000001 邀请函", in the language of the day of the
upload) are shown in each reader's language from now on: such a document keeps the case's reference and
the attachment's kind (Document.display_title). A title is taken for one the portal made when it is
exactly "<reference> <name of the kind>" in one of the portal's languages; any other is the uploader's
and stays as typed. Documents since detached from their case are recognised by the same rule, the
reference naming a case of the area."""

from django.conf import settings
from django.db import migrations, models
from django.utils import translation

# (app label, attachment model, case model) of every area whose attachments the portal titles.
CASES = [
    ("approvals", "Attachment", "TravelApplication"),
    ("apec_cards", "CardAttachment", "CardApplication"),
]


def _titles(model) -> dict[str, str]:
    """{name of a kind in any of the portal's languages: kind} of an attachment model."""
    names = {}
    for kind, label in model._meta.get_field("kind").flatchoices:
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names[translation.gettext(str(label))] = kind
    return names


def _generated(title: str, reference: str, names: dict) -> str | None:
    """The kind a title names if it is "<reference> <name of a kind>", else None."""
    prefix = f"{reference} "
    if not reference or not title.startswith(prefix):
        return None
    return names.get(title[len(prefix) :])


def mark_generated_titles(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    # Detached: attached to no case of any area (the document stays among the organisation's documents).
    detached = Document.objects.exclude(title="").filter(
        **{
            f"{app_label}_{attachment_name.lower()}__isnull": True
            for app_label, attachment_name, _case in CASES
        }
    )
    changed = {}
    for app_label, attachment_name, case_name in CASES:
        Attachment = apps.get_model(app_label, attachment_name)
        Case = apps.get_model(app_label, case_name)
        names = _titles(Attachment)
        title_kind = f"{Attachment._meta.label_lower}:"
        attached = Attachment.objects.exclude(document__title="").values_list(
            "document_id", "document__title", "application__reference"
        )
        for document_id, title, reference in attached.iterator():
            kind = _generated(title, reference, names)
            if kind:
                changed[document_id] = (reference, title_kind + kind)

        candidates = {}
        for document_id, title in detached.values_list("pk", "title").iterator():
            if document_id not in changed and " " in title:
                candidates[document_id] = (title.split(" ", 1)[0], title)
        known = set(
            Case.objects.filter(reference__in={prefix for prefix, _title in candidates.values()}).values_list(
                "reference", flat=True
            )
        )
        for document_id, (prefix, title) in candidates.items():
            kind = _generated(title, prefix, names) if prefix in known else None
            if kind:
                changed[document_id] = (prefix, title_kind + kind)

    documents = []
    for document in Document.objects.filter(pk__in=list(changed)).only("pk"):
        document.reference, document.title_kind = changed[document.pk]
        documents.append(document)
    Document.objects.bulk_update(documents, ["reference", "title_kind"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("approvals", "0011_report_attachments"),
        ("apec_cards", "0003_case_attachment"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="reference",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="The reference of the application the document was uploaded for.",
                max_length=20,
                verbose_name="case reference",
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="title_kind",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="Set when the portal made the title: the kind of attachment it names.",
                max_length=100,
                verbose_name="kind in the title",
            ),
        ),
        migrations.RunPython(mark_generated_titles, migrations.RunPython.noop),
    ]
