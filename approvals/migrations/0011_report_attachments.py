"""The post-trip report's files were documents of the organisation found again by a title starting with
the reference; they become attachments of kind "report" of their application."""

from django.db import migrations


def attach_report_documents(apps, schema_editor):
    Attachment = apps.get_model("approvals", "Attachment")
    Document = apps.get_model("documents", "Document")
    TravelApplication = apps.get_model("approvals", "TravelApplication")
    reported = TravelApplication.objects.filter(report_submitted_at__isnull=False).only(
        "pk", "reference", "organization_id"
    )
    for application in reported.iterator():
        documents = Document.objects.filter(
            organization_id=application.organization_id,
            kind="report",
            title__startswith=f"{application.reference} ",
            approvals_attachment__isnull=True,
        )
        Attachment.objects.bulk_create(
            Attachment(
                application_id=application.pk,
                kind="report",
                document_id=document.pk,
                created_at=document.created_at,
            )
            for document in documents
        )


def detach_report_documents(apps, schema_editor):
    apps.get_model("approvals", "Attachment").objects.filter(kind="report").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0010_case_attachment"),
        ("documents", "0001_initial"),
    ]

    operations = [migrations.RunPython(attach_report_documents, detach_report_documents)]
