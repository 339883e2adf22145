"""The signed-in user's start page: what needs them now, then their figures.

Each provider looks at the user's roles and returns tasks ("3 passports expire within six months")
and tiles (a figure with a link). The shared providers are here; each area adds its own (`start_page`
of its foreign_affairs.areas registration). Every provider answers in a fixed number of aggregate
queries, whatever the size of the data.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from foreign_affairs.accounts.models import FTZArea, Membership, Organization, Person
from foreign_affairs.accounts.roles import Role
from foreign_affairs.areas import all_areas
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.documents.models import Document
from foreign_affairs.notifications.models import Channel, Notification, Status
from foreign_affairs.notifications.selectors import unread_count_for


@dataclass(frozen=True)
class Task:
    text: str
    url: str
    tone: str = "info"  # info, warning or danger


@dataclass(frozen=True)
class Tile:
    label: str
    value: int | str
    url: str = ""
    hint: str = ""


@dataclass
class Dashboard:
    tasks: list[Task] = field(default_factory=list)
    tiles: list[Tile] = field(default_factory=list)


PROVIDERS: list[Callable] = []


def provider(function: Callable) -> Callable:
    """Declare a shared provider (areas list theirs in their registration)."""
    PROVIDERS.append(function)
    return function


def dashboard_for(user) -> Dashboard:
    dashboard = Dashboard()
    for build in [*PROVIDERS, *(build for area in all_areas() for build in area.start_page)]:
        build(user, dashboard)
    return dashboard


@provider
def enterprise_overview(user, dashboard: Dashboard) -> None:
    organization = user.enterprise
    if organization is None:
        return
    today = timezone.localdate()
    people = Person.objects.filter(organization=organization).aggregate(
        total=Count("pk"),
        expiring=Count(
            "pk", filter=Q(passport_expiry__gte=today, passport_expiry__lt=today + timedelta(days=183))
        ),
        expired=Count("pk", filter=Q(passport_expiry__lt=today)),
        incomplete=Count("pk", filter=Q(passport_number="") | Q(passport_expiry__isnull=True)),
    )
    people_url = reverse("accounts:person_list")
    if people["expired"]:
        dashboard.tasks.append(
            Task(
                ngettext(
                    "%(count)d passport has expired.", "%(count)d passports have expired.", people["expired"]
                )
                % {"count": people["expired"]},
                f"{people_url}?passport=expired",
                "danger",
            )
        )
    if people["expiring"]:
        dashboard.tasks.append(
            Task(
                ngettext(
                    "%(count)d passport expires within six months; a trip needs six months of validity.",
                    "%(count)d passports expire within six months; a trip needs six months of validity.",
                    people["expiring"],
                )
                % {"count": people["expiring"]},
                f"{people_url}?passport=expiring",
                "warning",
            )
        )
    if people["incomplete"]:
        dashboard.tasks.append(
            Task(
                ngettext(
                    "%(count)d traveller has no passport details yet.",
                    "%(count)d travellers have no passport details yet.",
                    people["incomplete"],
                )
                % {"count": people["incomplete"]},
                f"{people_url}?passport=missing",
                "info",
            )
        )
    dashboard.tiles.append(Tile(_("Travellers"), people["total"], people_url, organization.name))
    documents = Document.objects.filter(organization=organization).count()
    dashboard.tiles.append(Tile(_("Documents"), documents, reverse("documents:list")))
    if user.has_role(Role.LIAISON):
        members = Membership.objects.filter(organization=organization).count()
        dashboard.tiles.append(
            Tile(_("Portal accounts of your organisation"), members, reverse("accounts:organization"))
        )


@provider
def office_overview(user, dashboard: Dashboard) -> None:
    if not user.is_office_staff:
        return
    week_ago = timezone.now() - timedelta(days=7)
    organizations = Organization.objects.aggregate(
        total=Count("pk", filter=Q(is_active=True)),
        new=Count("pk", filter=Q(created_at__gte=week_ago)),
        **{area.value: Count("pk", filter=Q(ftz_area=area.value, is_active=True)) for area in FTZArea},
    )
    changelist = reverse("admin:accounts_organization_changelist")
    dashboard.tiles.append(
        Tile(
            _("Organisations"),
            organizations["total"],
            changelist,
            ngettext("%(count)d new this week", "%(count)d new this week", organizations["new"])
            % {"count": organizations["new"]},
        )
    )
    for area in FTZArea:
        dashboard.tiles.append(
            Tile(area.label, organizations[area.value], f"{changelist}?ftz_area__exact={area.value}")
        )
    dashboard.tiles.append(
        Tile(_("Travellers"), Person.objects.count(), reverse("admin:accounts_person_changelist"))
    )


@provider
def notifications_overview(user, dashboard: Dashboard) -> None:
    unread = unread_count_for(user)
    if unread:
        dashboard.tasks.append(
            Task(
                ngettext(
                    "You have %(count)d unread notification.",
                    "You have %(count)d unread notifications.",
                    unread,
                )
                % {"count": unread},
                reverse("notifications:list") + "?unread=1",
            )
        )
    if user.is_office_staff and user.has_perm("notifications.change_notification"):
        failed = Notification.objects.filter(channel=Channel.EMAIL, status=Status.FAILED).count()
        if failed:
            dashboard.tasks.append(
                Task(
                    ngettext(
                        "%(count)d e-mail could not be delivered.",
                        "%(count)d e-mails could not be delivered.",
                        failed,
                    )
                    % {"count": failed},
                    reverse("admin:notifications_notification_changelist") + "?status__exact=failed",
                    "danger",
                )
            )


@provider
def audit_overview(user, dashboard: Dashboard) -> None:
    if not (user.is_superuser or user.has_role(Role.LEADER) or user.has_role(Role.MANAGER)):
        return
    recent = AuditEvent.objects.filter(created_at__gte=timezone.now() - timedelta(days=7)).count()
    dashboard.tiles.append(
        Tile(_("Recorded actions in the last 7 days"), recent, reverse("admin:audit_auditevent_changelist"))
    )
