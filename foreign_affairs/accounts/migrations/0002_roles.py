"""Create the five role groups with their permissions (later areas add theirs in their own migrations)."""

from django.db import migrations

from foreign_affairs.accounts.roles import sync_role_permissions

# Frozen here on purpose: a migration must not change meaning when roles.py changes later.
ENTERPRISE = [
    "accounts.view_organization",
    "accounts.view_person",
    "accounts.add_person",
    "accounts.change_person",
    "documents.view_document",
    "documents.add_document",
]
ROLE_PERMISSIONS = {
    "Applicant": ENTERPRISE,
    "Liaison": [*ENTERPRISE, "accounts.change_organization", "accounts.view_membership"],
    "Officer": [
        "accounts.view_organization",
        "accounts.add_organization",
        "accounts.change_organization",
        "accounts.view_membership",
        "accounts.add_membership",
        "accounts.change_membership",
        "accounts.delete_membership",
        "accounts.view_person",
        "accounts.add_person",
        "accounts.change_person",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "audit.view_auditevent",
        "documents.view_document",
        "notifications.view_notification",
        "notifications.change_notification",
    ],
    "Leader": [
        "accounts.view_organization",
        "accounts.view_membership",
        "accounts.view_person",
        "accounts.view_user",
        "audit.view_auditevent",
        "documents.view_document",
    ],
    "Manager": [
        "accounts.view_organization",
        "accounts.view_person",
        "audit.view_auditevent",
    ],
}


def create_roles(apps, schema_editor):
    sync_role_permissions(apps, ROLE_PERMISSIONS)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("audit", "0001_initial"),
        ("documents", "0001_initial"),
        ("notifications", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
