"""Create the five role groups with their permissions (roles.ROLE_PERMISSIONS)."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from foreign_affairs.accounts.roles import sync_roles

    sync_roles(apps=apps)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Applicant", "Liaison", "Officer", "Leader", "Manager"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("audit", "0001_initial"),
        ("documents", "0001_initial"),
        ("notifications", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
