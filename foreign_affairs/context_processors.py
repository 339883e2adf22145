"""What every page needs: the navigation the user may use and the unread notification count."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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
    NavItem(_("Travellers"), "accounts:person_list", "enterprise", "/people/"),
    NavItem(_("Documents"), "documents:list", "enterprise", "/documents/"),
    NavItem(_("My organisation"), "accounts:organization", "enterprise", "/organisation/"),
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
    return audiences


def portal(request):
    user = request.user
    audiences = _audiences(user)
    path = request.path
    nav = []
    for item in NAV_ITEMS:
        if item.audience not in audiences:
            continue
        url = reverse(item.url_name)
        active = path.startswith(item.prefix) if item.prefix else path == url
        nav.append({"label": item.label, "url": url, "active": active})
    return {
        "portal_nav": nav,
        "unread_notifications": unread_count_for(user) if user.is_authenticated else 0,
    }
