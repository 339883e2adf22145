"""What the start page shows about APEC cards, per role (foreign_affairs.dashboard)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from foreign_affairs.accounts.roles import Role
from foreign_affairs.dashboard import Task, Tile

from .models import Card, CardApplication, Decision, PreClearance
from .terms import add_months
from .workflow import CardState, State


def apec_cards(user, dashboard) -> None:
    today = timezone.localdate()
    if user.enterprise is not None:
        _enterprise(user, dashboard, today)
    if user.has_role(Role.OFFICER):
        _officer(dashboard)


def _enterprise(user, dashboard, today) -> None:
    organization = user.organization
    applications = CardApplication.objects.filter(organization=organization).aggregate(
        returned=Count("pk", filter=Q(state=State.RETURNED)),
        to_endorse=Count("pk", filter=Q(state=State.SUBMITTED)),
    )
    cards = Card.objects.filter(organization=organization).aggregate(
        active=Count("pk", filter=Q(state=CardState.ACTIVE)),
        expiring=Count(
            "pk",
            filter=Q(state=CardState.ACTIVE, expires_on__gte=today, expires_on__lte=add_months(today, 6)),
        ),
    )
    applications_url = reverse("apec_cards:application_list")
    cards_url = reverse("apec_cards:card_list")
    if applications["returned"]:
        dashboard.tasks.append(
            Task(
                ngettext(
                    "%(count)d APEC card application was returned for changes.",
                    "%(count)d APEC card applications were returned for changes.",
                    applications["returned"],
                )
                % {"count": applications["returned"]},
                f"{applications_url}?state=returned",
                "warning",
            )
        )
    if applications["to_endorse"] and user.has_role(Role.LIAISON):
        dashboard.tasks.append(
            Task(
                ngettext(
                    "%(count)d APEC card application awaits your endorsement.",
                    "%(count)d APEC card applications await your endorsement.",
                    applications["to_endorse"],
                )
                % {"count": applications["to_endorse"]},
                f"{applications_url}?state=submitted",
                "warning",
            )
        )
    if cards["expiring"]:
        dashboard.tasks.append(
            Task(
                ngettext(
                    "%(count)d APEC card expires within six months: apply for its renewal.",
                    "%(count)d APEC cards expire within six months: apply for their renewal.",
                    cards["expiring"],
                )
                % {"count": cards["expiring"]},
                f"{cards_url}?expiry=6m",
                "warning",
            )
        )
    dashboard.tiles.append(Tile(_("Valid APEC cards"), cards["active"], cards_url))


def _officer(dashboard) -> None:
    counts = CardApplication.objects.aggregate(
        endorsed=Count("pk", filter=Q(state=State.ENDORSED)),
        in_review=Count("pk", filter=Q(state=State.IN_REVIEW)),
        pre_clearance=Count("pk", filter=Q(state=State.PRE_CLEARANCE)),
    )
    pending = PreClearance.objects.filter(decision=Decision.PENDING).count()
    queue = reverse("admin:apec_cards_cardapplication_changelist")
    waiting = counts["endorsed"] + counts["in_review"]
    if waiting:
        dashboard.tasks.append(
            Task(
                ngettext(
                    "%(count)d APEC card application awaits review.",
                    "%(count)d APEC card applications await review.",
                    waiting,
                )
                % {"count": waiting},
                queue,
                "warning",
            )
        )
    dashboard.tiles.append(
        Tile(
            _("APEC cards in pre-clearance"),
            counts["pre_clearance"],
            f"{queue}?state=pre_clearance",
            ngettext("%(count)d economy answer pending", "%(count)d economy answers pending", pending)
            % {"count": pending},
        )
    )
