"""Writes of the security area."""

from django.db import transaction
from django.utils import timezone

from foreign_affairs.audit.services import record_event

from .models import CountryAdvisory


def advisory_save(*, advisory: CountryAdvisory, actor) -> CountryAdvisory:
    """Create or change a country advisory; audited, stamped with who and when."""
    with transaction.atomic():
        previous = CountryAdvisory.objects.filter(pk=advisory.pk).values_list("level", flat=True).first()
        advisory.updated_by, advisory.updated_at = actor, timezone.now()
        advisory.full_clean()
        advisory.save()
        record_event(
            actor=actor,
            action="advisory.update",
            obj=advisory,
            from_state=previous or "",
            to_state=advisory.level,
        )
    return advisory
