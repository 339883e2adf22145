"""What every page needs: the navigation the user may use and the unread notification count."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.roles import Role
from foreign_affairs.notifications.selectors import unread_count_for


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    # Who sees the item: "all", "anonymous", "user", "enterprise", "liaison", "office".
    audience: str
    prefix: str = ""


NAV_ITEMS = [
    NavItem(_("Home"), "home", "all"),
    NavItem(_("My dashboard"), "dashboard", "user", "/dashboard/"),
    NavItem(_("Applications"), "approvals:list", "enterprise", "/applications/"),
    NavItem(_("To endorse"), "approvals:endorsements", "liaison", "/applications/endorsements/"),
    NavItem(_("Passports"), "approvals:passports", "enterprise", "/applications/passports/"),
    NavItem(_("Travellers"), "accounts:person_list", "enterprise", "/people/"),
    NavItem(_("Documents"), "documents:list", "enterprise", "/documents/"),
    NavItem(_("My organisation"), "accounts:organization", "enterprise", "/organisation/"),
    NavItem(_("Public notices"), "notices:list", "all", "/notices/"),
    NavItem(_("APEC cards"), "apec_cards:guide", "all", "/apec/"),
    NavItem(_("Reports"), "reports:dashboard", "office", "/reports/"),
    NavItem(_("Back office"), "admin:index", "office", "/admin/"),
    NavItem(_("API"), "api-docs", "office", "/api/docs/"),
]


def _audiences(user) -> set[str]:
    if not user.is_authenticated:
        return {"all", "anonymous"}
    audiences = {"all", "user"}
    if user.is_office_staff:
        audiences.add("office")
    elif user.organization is not None:
        audiences.add("enterprise")
        if user.has_role(Role.LIAISON):
            audiences.add("liaison")
    return audiences


def portal(request):
    user = request.user
    audiences = _audiences(user)
    path = request.path
    items = [item for item in NAV_ITEMS if item.audience in audiences]
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
