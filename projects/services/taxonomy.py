"""The industries taxonomy the office edits."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.services import record_event

from ..models import Industry
from .projects import refresh_search_text

FIELDS = ("code", "name_zh", "name_en", "area", "priority", "active", "order")


def industry_save(*, actor, data: dict, industry: Industry | None = None) -> Industry:
    """Add an industry or change one (names, area, priority, in use, order); audited."""
    if not (actor is not None and actor.is_authenticated and actor.has_role(Role.OFFICER)):
        raise PermissionDenied(_("Only approval officers edit the industries."))
    creating = industry is None
    with transaction.atomic():
        industry = Industry() if creating else Industry.objects.select_for_update().get(pk=industry.pk)
        for field in FIELDS:
            if field in data:
                value = data[field]
                setattr(industry, field, value.strip() if isinstance(value, str) else value)
        industry.full_clean()
        renamed = not creating and (
            Industry.objects.filter(pk=industry.pk).values_list("name_zh", "name_en").get()
            != (industry.name_zh, industry.name_en)
        )
        industry.save()
        if renamed:  # the catalogue's search finds projects by their industries' names
            for project in industry.projects.prefetch_related("industries"):
                refresh_search_text(project)
        record_event(
            actor=actor,
            action="industry.create" if creating else "industry.update",
            obj=industry,
            data={field: getattr(industry, field) for field in FIELDS},
        )
    return industry
