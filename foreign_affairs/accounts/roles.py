"""The portal's roles. Each is a Django group holding the model permissions of the role.

Enterprise roles (Applicant, Liaison) follow from a user's Membership of an organisation and only
ever reach that organisation's data; office roles (Officer, Leader, Manager) belong to the staff of
the Foreign Affairs Office, who sign in to the admin and see every organisation.
Groups and their permissions are created by data migrations (accounts.0002_roles, and each later area
adds its own), so every database has them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "Applicant", _("Applicant")
    LIAISON = "Liaison", _("Foreign-affairs liaison")
    OFFICER = "Officer", _("Approval officer")
    LEADER = "Leader", _("Office leader")
    MANAGER = "Manager", _("Manager")


ENTERPRISE_ROLES = frozenset({Role.APPLICANT, Role.LIAISON})
OFFICE_ROLES = frozenset({Role.OFFICER, Role.LEADER, Role.MANAGER})


def sync_role_permissions(apps, role_permissions: dict[str, list[str]]) -> None:
    """Give each role group the named permissions ("app_label.codename"), creating what is missing.

    Written for data migrations: `apps` is the migration's historical registry. Permissions are
    normally created after all migrations ran (post_migrate), so they are created here first.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in role_permissions.items():
        group, _created = Group.objects.get_or_create(name=role)
        for name in names:
            app_label, codename = name.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
