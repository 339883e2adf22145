"""What every page needs: the navigation the user may use and the unread notification count."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.models import OrganizationKind
from foreign_affairs.accounts.roles import Role
from foreign_affairs.areas import NavItem, all_areas
from foreign_affairs.notifications.selectors import unread_count_for

# The shared items; each area adds its own (foreign_affairs.areas), placed by `order`. Signed in, the
# dashboard is the start page (the emblem leads home), so Home is offered only to visitors.
NAV_ITEMS = [
    NavItem(_("Home"), "home", "anonymous", order=0),
    NavItem(_("My dashboard"), "dashboard", "user", "/dashboard/", order=10),
    NavItem(_("Travellers"), "accounts:person_list", "enterprise", "/people/", order=40),
    NavItem(_("Documents"), "documents:list", "enterprise", "/documents/", order=41),
    NavItem(_("My organisation"), "accounts:organization", "enterprise", "/organisation/", order=42),
    NavItem(_("Reports"), "reports:dashboard", "office", "/reports/", order=80),
    NavItem(_("Back office"), "admin:index", "office", "/admin/", order=90),
    NavItem(_("API"), "api-docs", "office", "/api/docs/", order=95),
]


def nav_items() -> list[NavItem]:
    """The shared items and every area's, in order (a stable sort keeps each area's own order)."""
    items = [*NAV_ITEMS, *(item for area in all_areas() for item in area.nav)]
    return sorted(items, key=lambda item: item.order)


def _audiences(user) -> set[str]:
    if not user.is_authenticated:
        return {"all", "anonymous"}
    audiences = {"all", "user"}
    if user.is_office_staff:
        audiences.add("office")
    elif user.organization is not None:
        # Members of a foreign organisation's office in Henan (foreign_offices) see their own pages, not
        # the enterprises' travel and safety work.
        if user.organization.kind == OrganizationKind.FOREIGN:
            audiences.add("foreign")
            return audiences
        audiences.add("enterprise")
        if user.has_role(Role.LIAISON):
            audiences.add("liaison")
    return audiences


def portal(request):
    user = request.user
    audiences = _audiences(user)
    path = request.path
    items = [item for item in nav_items() if item.audience in audiences]
    # The current page belongs to the item with the longest matching prefix (Home only on "/").
    current = max(
        (item for item in items if item.prefix and path.startswith(item.prefix)),
        key=lambda item: len(item.prefix),
        default=None,
    )
    nav = []
    for item in items:
        url = reverse(item.url_name)
        active = item is current or (current is None and not item.prefix and path == url)
        nav.append({"label": item.label, "url": url, "active": active})
    return {
        "portal_nav": nav,
        "unread_notifications": unread_count_for(user) if user.is_authenticated else 0,
    }
