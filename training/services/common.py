"""What the services of training share: numbers, the actor checks, and who a signed-in user is as a trainee."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from foreign_affairs.accounts.roles import Role

from ..models import Counter


def next_number(prefix: str, year: int) -> str:
    """HNTS-2026-00012: the next number of `prefix` in `year` (locks the counter row until commit)."""
    counter, _created = Counter.objects.select_for_update(of=("self",)).get_or_create(
        prefix=prefix, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:05d}"


def is_active(actor) -> bool:
    return actor is not None and actor.is_authenticated and actor.is_active


def is_officer(actor) -> bool:
    return is_active(actor) and actor.has_role(Role.OFFICER)


def require_officer(actor) -> None:
    if not is_officer(actor):
        raise PermissionDenied(_("Only an approval officer of the office may do this."))


def organization_of(actor):
    return getattr(actor, "organization", None) if is_active(actor) else None
