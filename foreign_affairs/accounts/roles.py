"""The portal's roles. Each is a Django group holding the model permissions of the role.

Enterprise roles (Applicant, Liaison) follow from a user's Membership of an organisation and only
ever reach that organisation's data; office roles (Officer, Leader, Manager) belong to the staff of
the Foreign Affairs Office, who sign in to the admin and see every organisation.
Groups and their permissions are created by the data migration accounts.0002_roles and kept in step
with `role_permissions()` after every `migrate` (and every test-database flush) by `sync_roles`: the
shared apps' permissions below, and each area's own (`permissions` of its foreign_affairs.areas
registration). Permissions are added, never removed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from foreign_affairs.areas import all_areas


class Role(models.TextChoices):
    APPLICANT = "Applicant", _("Applicant")
    LIAISON = "Liaison", _("Foreign-affairs liaison")
    OFFICER = "Officer", _("Approval officer")
    LEADER = "Leader", _("Office leader")
    MANAGER = "Manager", _("Manager")


ENTERPRISE_ROLES = frozenset({Role.APPLICANT, Role.LIAISON})
OFFICE_ROLES = frozenset({Role.OFFICER, Role.LEADER, Role.MANAGER})


# Reports are read and exported by every office role.
_REPORTS = {"reports.view_reportjob", "reports.add_reportjob"}
# What officers and leaders read besides the organisations: the calendar, the advisories, and the
# substitutions they name for their absences.
_OFFICE_READ = {
    *_REPORTS,
    # Every office role reads the access records (who looked at whose personal data) and the retention rules.
    "privacy.view_personaldataaccess",
    "privacy.view_retentionrule",
    "workdays.view_calendarday",
    "security.view_countryadvisory",
    "accounts.view_substitution",
    "accounts.add_substitution",
    "accounts.change_substitution",
}
_ENTERPRISE = {
    "accounts.view_organization",
    "accounts.view_person",
    "accounts.add_person",
    "accounts.change_person",
    "documents.view_document",
    "documents.add_document",
}
ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.APPLICANT: set(_ENTERPRISE),
    Role.LIAISON: {*_ENTERPRISE, "accounts.change_organization", "accounts.view_membership"},
    Role.OFFICER: {
        *_OFFICE_READ,
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
        # A person's rights under PIPL: the export of their data and erasure on request.
        "privacy.export_person_data",
        "privacy.erase_person",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "audit.view_auditevent",
        "documents.view_document",
        "notifications.view_notification",
        "notifications.change_notification",
        # The working-day calendar and the country advisories are kept by the officers.
        "workdays.add_calendarday",
        "workdays.change_calendarday",
        "workdays.delete_calendarday",
        "security.add_countryadvisory",
        "security.change_countryadvisory",
    },
    Role.LEADER: {
        *_OFFICE_READ,
        # Leaders set how long personal data is kept (retention rules) and may purge at once.
        "privacy.change_retentionrule",
        "accounts.view_organization",
        "accounts.view_membership",
        "accounts.view_person",
        "accounts.view_user",
        "audit.view_auditevent",
        "documents.view_document",
    },
    Role.MANAGER: {
        *_REPORTS,
        "privacy.view_personaldataaccess",
        "privacy.view_retentionrule",
        "accounts.view_organization",
        "accounts.view_person",
        # The audit log names who acted: a manager reading it can open that account (read only).
        "accounts.view_user",
        "audit.view_auditevent",
    },
}


def role_permissions() -> dict[str, set[str]]:
    """Every role's permissions: the shared apps' (ROLE_PERMISSIONS) and each registered area's."""
    merged = {role: set(names) for role, names in ROLE_PERMISSIONS.items()}
    for area in all_areas():
        for role, names in area.permissions.items():
            merged.setdefault(role, set()).update(names)
    return merged


def sync_roles(*, apps=None, **kwargs) -> None:
    """post_migrate receiver: every role group exists and holds at least role_permissions()."""
    if apps is None:  # `flush` sends the signal without the migration state
        from django.apps import apps
    sync_role_permissions(apps, role_permissions())


def sync_role_permissions(apps, role_permissions: dict[str, list[str]]) -> None:
    """Give each role group the named permissions ("app_label.codename"), creating what is missing.

    Written for data migrations: `apps` is the migration's historical registry. Permissions are
    normally created after all migrations ran (post_migrate), so they are created here first.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # Migration states have no models module, and create_permissions skips such apps.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def exists(name: str) -> bool:
        # During migrations, models that do not exist yet get their permissions at a later migrate. A
        # permission is a model's default one ("view_<model>") or one of its Meta.permissions.
        app_label, codename = name.split(".")
        try:
            models = apps.get_app_config(app_label).get_models()
        except LookupError:
            return False
        return any(
            codename in {f"{action}_{model._meta.model_name}" for action in model._meta.default_permissions}
            or codename in {custom for custom, _label in model._meta.permissions}
            for model in models
        )

    for role, names in role_permissions.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = {tuple(name.split(".")) for name in names if exists(name)}
        permissions = [
            permission
            for permission in Permission.objects.filter(
                codename__in={codename for _, codename in wanted}
            ).select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        if len(permissions) != len(wanted):
            found = {(p.content_type.app_label, p.codename) for p in permissions}
            raise LookupError(f"unknown permissions for {role}: {sorted(wanted - found)}")
        group.permissions.add(*permissions)
