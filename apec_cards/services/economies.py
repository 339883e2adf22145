"""Correcting an economy's names or recording a change of its participation (officers; audited)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.services import record_event

from ..models import Economy, Participation

ECONOMY_FIELDS = ("name_zh", "name_en", "participation")


def economy_update(*, economy: Economy, actor, data: dict) -> Economy:
    """Change the names or participation given in `data`; records what changed (nothing if nothing did)."""
    if not actor.has_role(Role.OFFICER):
        raise PermissionDenied(_("Only approval officers change the economies."))
    if "participation" in data and data["participation"] not in Participation.values:
        raise ValidationError({"participation": _("Choose full participant or transitional member.")})
    with transaction.atomic():
        economy = Economy.objects.select_for_update().get(pk=economy.pk)
        before = {field: getattr(economy, field) for field in ECONOMY_FIELDS}
        for field in ECONOMY_FIELDS:
            if field in data:
                value = data[field].strip() if isinstance(data[field], str) else data[field]
                if not value:
                    raise ValidationError({field: _("This field cannot be empty.")})
                setattr(economy, field, value)
        changed = sorted(field for field in ECONOMY_FIELDS if getattr(economy, field) != before[field])
        if changed:
            economy.save(update_fields=changed)
            record_event(
                actor=actor,
                action="economy.update",
                obj=economy,
                data={
                    "before": {field: before[field] for field in changed},
                    "after": {field: getattr(economy, field) for field in changed},
                },
            )
    return economy
