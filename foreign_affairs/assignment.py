"""Giving an application to an approval officer, the same way in every area (audited)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .accounts.roles import Role
from .audit.services import record_event


def assign_officer(obj, *, actor, officer, action: str):
    """Set `obj.assigned_officer` (an officer takes it, hands it over, or None: nobody); returns the locked,
    saved object. Only officers assign, and only to officers."""
    if not actor.has_role(Role.OFFICER):
        raise PermissionDenied(_("Only approval officers assign applications."))
    if officer is not None and not officer.has_role(Role.OFFICER):
        raise ValidationError({"officer": _("Assign the application to an approval officer.")})
    with transaction.atomic():
        obj = type(obj).objects.select_for_update().get(pk=obj.pk)
        previous = obj.assigned_officer
        obj.assigned_officer = officer
        obj.save(update_fields=["assigned_officer", "updated_at"])
        record_event(
            actor=actor,
            action=action,
            obj=obj,
            data={
                "from": previous.get_username() if previous else None,
                "to": officer.get_username() if officer else None,
            },
        )
    return obj
