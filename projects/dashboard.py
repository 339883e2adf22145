"""What the start page shows about cooperation projects, per role (foreign_affairs.dashboard).

Officers: the projects awaiting publication review (anyone's: every officer publishes), the overdue next
steps of the projects they own, and the expressions of interest in their projects still to be forwarded;
tiles with the open projects, the public catalogue and the interest waiting. Leaders and managers see the
tiles. The enterprises' users: the leads forwarded to them lately and the drafts of their own projects not
yet submitted for publication; tiles with their projects and leads. Nothing for anyone else (the members of
a foreign organisation's office, for one). Each part is two aggregate queries, whatever the data.
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from foreign_affairs.accounts.roles import Role
from foreign_affairs.dashboard import Task, Tile

from . import selectors
from .models import CooperationProject, Interest
from .workflow import OPEN_STAGES, InterestState, Publication

# A lead forwarded to an enterprise is "new" for this long (nothing records that it was read).
NEW_LEAD_DAYS = 30


def projects(user, board) -> None:
    if user.has_role(Role.OFFICER) or user.has_role(Role.LEADER) or user.has_role(Role.MANAGER):
        _office(user, board)
    elif user.enterprise is not None:
        _enterprise(user, board)


def _admin_url(model: str, **params) -> str:
    url = reverse(f"admin:projects_{model}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def _office(user, board) -> None:
    """Two queries: the projects, the expressions of interest."""
    today = timezone.localdate()
    officer = user.has_role(Role.OFFICER)
    open_ = Q(stage__in=OPEN_STAGES)
    overdue = open_ & Q(next_step_due__lt=today)
    found = CooperationProject.objects.order_by().aggregate(
        open=Count("pk", filter=open_),
        mine=Count("pk", filter=open_ & Q(owner=user)),
        overdue=Count("pk", filter=overdue),
        my_overdue=Count("pk", filter=overdue & Q(owner=user)),
        in_review=Count("pk", filter=Q(publication=Publication.IN_REVIEW)),
        public=Count("pk", filter=Q(publication=Publication.PUBLISHED)),
    )
    waiting = Q(state=InterestState.RECEIVED)
    leads = Interest.objects.order_by().aggregate(
        waiting=Count("pk", filter=waiting),
        mine=Count("pk", filter=waiting & Q(project__owner=user)),
    )

    if officer:
        if found["my_overdue"]:
            board.tasks.append(
                Task(
                    ngettext(
                        "%(count)d next step of your cooperation projects is overdue.",
                        "%(count)d next steps of your cooperation projects are overdue.",
                        found["my_overdue"],
                    )
                    % {"count": found["my_overdue"]},
                    _admin_url("cooperationproject", overdue="yes", owner="me"),
                    "danger",
                )
            )
        if found["in_review"]:
            board.tasks.append(
                Task(
                    ngettext(
                        "%(count)d cooperation project awaits publication review.",
                        "%(count)d cooperation projects await publication review.",
                        found["in_review"],
                    )
                    % {"count": found["in_review"]},
                    _admin_url("cooperationproject", publication=Publication.IN_REVIEW),
                    "warning",
                )
            )
        if leads["mine"]:
            board.tasks.append(
                Task(
                    ngettext(
                        "%(count)d expression of interest in your projects is to be forwarded to the "
                        "enterprise.",
                        "%(count)d expressions of interest in your projects are to be forwarded to the "
                        "enterprises.",
                        leads["mine"],
                    )
                    % {"count": leads["mine"]},
                    _admin_url("interest", state=InterestState.RECEIVED, owner="me"),
                    "warning",
                )
            )

    board.tiles.append(
        Tile(
            _("Open cooperation projects"),
            found["open"],
            _admin_url("cooperationproject", stage="open"),
            (
                ngettext("%(count)d in your charge", "%(count)d in your charge", found["mine"])
                % {"count": found["mine"]}
                if officer
                else ngettext(
                    "%(count)d with an overdue next step",
                    "%(count)d with an overdue next step",
                    found["overdue"],
                )
                % {"count": found["overdue"]}
            ),
        )
    )
    board.tiles.append(
        Tile(
            _("Projects in the public catalogue"),
            found["public"],
            _admin_url("cooperationproject", publication=Publication.PUBLISHED),
            ngettext("%(count)d awaiting review", "%(count)d awaiting review", found["in_review"])
            % {"count": found["in_review"]},
        )
    )
    board.tiles.append(
        Tile(
            _("Expressions of interest to forward"),
            leads["waiting"],
            _admin_url("interest", state=InterestState.RECEIVED),
            ngettext("%(count)d in your projects", "%(count)d in your projects", leads["mine"])
            % {"count": leads["mine"]}
            if officer
            else "",
        )
    )


def _enterprise(user, board) -> None:
    """Two queries: the enterprise's projects, its leads (selectors scope both to the enterprise)."""
    since = timezone.now() - timedelta(days=NEW_LEAD_DAYS)
    own = (
        selectors.project_list_for(user)
        .order_by()
        .aggregate(
            total=Count("pk"),
            drafts=Count("pk", filter=Q(publication=Publication.DRAFT)),
            public=Count("pk", filter=Q(publication=Publication.PUBLISHED)),
        )
    )
    leads = (
        selectors.interest_list_for(user)
        .order_by()
        .aggregate(total=Count("pk"), new=Count("pk", filter=Q(forwarded_at__gte=since)))
    )
    ours = reverse("projects:our_list")
    lead_list = reverse("projects:lead_list")
    if leads["new"]:
        board.tasks.append(
            Task(
                ngettext(
                    "%(count)d new lead: a visitor is interested in your cooperation projects.",
                    "%(count)d new leads: visitors are interested in your cooperation projects.",
                    leads["new"],
                )
                % {"count": leads["new"]},
                lead_list,
                "info",
            )
        )
    if own["drafts"]:
        board.tasks.append(
            Task(
                ngettext(
                    "%(count)d draft of a cooperation project is not yet submitted for publication.",
                    "%(count)d drafts of cooperation projects are not yet submitted for publication.",
                    own["drafts"],
                )
                % {"count": own["drafts"]},
                f"{ours}?{urlencode({'publication': Publication.DRAFT})}",
                "info",
            )
        )
    board.tiles.append(
        Tile(
            _("Our cooperation projects"),
            own["total"],
            ours,
            ngettext("%(count)d published", "%(count)d published", own["public"]) % {"count": own["public"]}
            if own["total"]
            else _("Seeking partners abroad? Enter your project."),
        )
    )
    board.tiles.append(
        Tile(
            _("Leads"),
            leads["total"],
            lead_list,
            ngettext(
                "%(count)d in the last %(days)d days", "%(count)d in the last %(days)d days", leads["new"]
            )
            % {"count": leads["new"], "days": NEW_LEAD_DAYS},
        )
    )
