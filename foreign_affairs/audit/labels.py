"""Plain-language labels for audit actions, shown in timelines. Areas add theirs (`audit_labels` of
their foreign_affairs.areas registration)."""

from django.utils.translation import gettext_lazy as _

from foreign_affairs.areas import all_areas

ACTION_LABELS = {
    "person.data_export": _("exported the person's data"),
    "person.erase": _("erased the person on request"),
    "retention.purge": _("purged personal data past its retention period"),
    "retention.run": _("ran the retention purge"),
    "retention_rule.update": _("changed a retention rule"),
    "organization.create": _("registered the organisation"),
    "organization.update": _("changed the organisation's details"),
    "organization.delete": _("deleted the organisation"),
    "membership.create": _("added the account to the organisation"),
    "membership.update": _("changed the membership"),
    "membership.delete": _("removed the account from the organisation"),
    "person.create": _("added the traveller"),
    "person.update": _("changed the traveller's details"),
    "person.delete": _("deleted the traveller"),
    "document.upload": _("uploaded the document"),
    "document.delete": _("deleted the document"),
    "user.update_profile": _("changed the profile"),
    "user.roles_change": _("changed the roles"),
    "notification.retry": _("queued the e-mail again"),
    "substitution.create": _("named a substitute"),
    "substitution.update": _("changed a substitution"),
    "advisory.update": _("changed the country advisory"),
}


def label_for(action: str) -> str:
    label = ACTION_LABELS.get(action)
    if label is None:
        label = next(
            (area.audit_labels[action] for area in all_areas() if action in area.audit_labels), action
        )
    return str(label)
