"""What the start page shows about foreign organisations, per role (foreign_affairs.dashboard).

Officers: the setting-up cases past their service level (in red), new enquiries waiting for a first answer,
change requests waiting for a decision, organisations whose annual report is overdue and registrations about
to expire; tiles with the open cases, the registry and the year's annual reports. Leaders and managers see
the tiles. Members of a registered foreign organisation: their annual report due or overdue, with its due
date, and their change requests waiting for the office. Each part is a fixed number of aggregate queries.
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Count, FilteredRelation, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from foreign_affairs.accounts.models import OrganizationKind
from foreign_affairs.accounts.roles import Role
from foreign_affairs.dashboard import Task, Tile

from . import selectors
from .models import AnnualReport, ChangeRequest, ForeignOrganisation, SetupCase
from .services.annual import current_report_year, window_for
from .workflow import OPEN_CASE_STATES, CaseState, ChangeState, OrganisationState, ReportState


def foreign_offices(user, dashboard) -> None:
    organization = user.organization
    if organization is not None and organization.kind == OrganizationKind.FOREIGN:
        _member(user, dashboard)
    if user.has_role(Role.OFFICER) or user.has_role(Role.LEADER) or user.has_role(Role.MANAGER):
        _office(user, dashboard)


def _admin_url(model: str, **params) -> str:
    url = reverse(f"admin:foreign_offices_{model}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def _date(day) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _office(user, dashboard) -> None:
    """Four queries: the cases, the change requests, the report window, the registry."""
    today = timezone.localdate()
    officer = user.has_role(Role.OFFICER)
    cases = SetupCase.objects.aggregate(
        open=Count("pk", filter=Q(state__in=OPEN_CASE_STATES)),
        overdue=Count("pk", filter=Q(state__in=OPEN_CASE_STATES, due_on__lt=today)),
        enquiries=Count("pk", filter=Q(state=CaseState.ENQUIRY)),
        mine=Count("pk", filter=Q(state__in=OPEN_CASE_STATES, assigned_officer=user)),
    )
    changes = ChangeRequest.objects.filter(state=ChangeState.SUBMITTED).count()
    year = current_report_year(today)
    window = window_for(year)
    end = today.replace(year=year, month=12, day=31)
    owing = Q(registered_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))
    open_ = ~Q(state=OrganisationState.CLOSED)
    registry = ForeignOrganisation.objects.annotate(
        report=FilteredRelation("annual_reports", condition=Q(annual_reports__year=year))
    ).aggregate(
        present=Count("pk", filter=open_),
        owing=Count("pk", filter=owing),
        filed=Count("pk", filter=owing & Q(report__isnull=False)),
        not_filed=Count("pk", filter=owing & open_ & Q(report__isnull=True)),
        expiring=Count(
            "pk",
            filter=open_
            & Q(
                registration_valid_until__gte=today,
                registration_valid_until__lte=today + timedelta(days=selectors.EXPIRING_DAYS),
            ),
        ),
    )
    overdue_reports = registry["not_filed"] if today > window.due_on else 0

    if officer:
        if cases["overdue"]:
            dashboard.tasks.append(
                Task(
                    ngettext(
                        "%(count)d setting-up case is past its deadline.",
                        "%(count)d setting-up cases are past their deadline.",
                        cases["overdue"],
                    )
                    % {"count": cases["overdue"]},
                    _admin_url("setupcase", overdue="yes"),
                    "danger",
                )
            )
        if cases["enquiries"]:
            dashboard.tasks.append(
                Task(
                    ngettext(
                        "%(count)d enquiry from a foreign organisation awaits a first answer.",
                        "%(count)d enquiries from foreign organisations await a first answer.",
                        cases["enquiries"],
                    )
                    % {"count": cases["enquiries"]},
                    _admin_url("setupcase", state=CaseState.ENQUIRY),
                    "warning",
                )
            )
        if changes:
            dashboard.tasks.append(
                Task(
                    ngettext(
                        "%(count)d change request of a foreign organisation awaits your decision.",
                        "%(count)d change requests of foreign organisations await your decision.",
                        changes,
                    )
                    % {"count": changes},
                    _admin_url("changerequest", state=ChangeState.SUBMITTED),
                    "warning",
                )
            )
        if overdue_reports:
            dashboard.tasks.append(
                Task(
                    ngettext(
                        "%(count)d foreign organisation has not filed its annual report on %(year)d.",
                        "%(count)d foreign organisations have not filed their annual report on %(year)d.",
                        overdue_reports,
                    )
                    % {"count": overdue_reports, "year": year},
                    _admin_url("foreignorganisation", report_overdue="yes"),
                    "danger",
                )
            )
        if registry["expiring"]:
            dashboard.tasks.append(
                Task(
                    ngettext(
                        "%(count)d foreign organisation's registration expires within %(days)d days.",
                        "%(count)d foreign organisations' registrations expire within %(days)d days.",
                        registry["expiring"],
                    )
                    % {"count": registry["expiring"], "days": selectors.EXPIRING_DAYS},
                    _admin_url("foreignorganisation", registration="expiring"),
                    "info",
                )
            )

    dashboard.tiles.append(
        Tile(
            _("Open setting-up cases"),
            cases["open"],
            _admin_url("setupcase", state="open"),
            (
                ngettext("%(count)d in your charge", "%(count)d in your charge", cases["mine"])
                % {"count": cases["mine"]}
                if officer
                else ngettext(
                    "%(count)d past its deadline", "%(count)d past their deadline", cases["overdue"]
                )
                % {"count": cases["overdue"]}
            ),
        )
    )
    dashboard.tiles.append(
        Tile(
            _("Foreign organisations in the registry"),
            registry["present"],
            _admin_url("foreignorganisation"),
        )
    )
    dashboard.tiles.append(
        Tile(
            _("Annual reports on %(year)d filed") % {"year": year},
            registry["filed"],
            _admin_url("annualreport", year=year),
            ngettext(
                "of %(owing)d organisation owing one, due on %(date)s",
                "of %(owing)d organisations owing one, due on %(date)s",
                registry["owing"],
            )
            % {"owing": registry["owing"], "date": _date(window.due_on)},
        )
    )


def _member(user, dashboard) -> None:
    """Four queries at most: the registry entry, the report window, the year's report, the requests."""
    organisation = selectors.organisation_of(user)
    if organisation is None:
        return
    today = timezone.localdate()
    home = reverse("foreign_offices:my_office")
    if organisation.state != OrganisationState.CLOSED:
        _member_report(organisation, today, home, dashboard)
    waiting = ChangeRequest.objects.filter(organisation=organisation, state=ChangeState.SUBMITTED).count()
    dashboard.tiles.append(
        Tile(
            _("Change requests waiting"),
            waiting,
            home,
            _("the office decides; the registry changes on approval")
            if waiting
            else _("A new chief representative, address, name or staff? File a change request."),
        )
    )


def _member_report(organisation, today, home: str, dashboard) -> None:
    year = current_report_year(today)
    if organisation.registered_on is None or organisation.registered_on.year > year:
        return  # registered after the year ended: nothing owed yet
    window = window_for(year)
    report = AnnualReport.objects.filter(organisation=organisation, year=year).only("state").first()
    due = {"year": year, "date": _date(window.due_on)}
    if report is not None:
        if report.state == ReportState.RETURNED:
            dashboard.tasks.append(
                Task(
                    _(
                        "The office returned your annual report on %(year)d for changes: correct it and file it again."
                    )
                    % due,
                    home,
                    "warning",
                )
            )
        return
    if today > window.due_on:
        dashboard.tasks.append(
            Task(
                _("Your annual report on %(year)d is overdue: it was due on %(date)s. File it now.") % due,
                home,
                "danger",
            )
        )
    elif today >= window.opens_on:
        days = (window.due_on - today).days
        dashboard.tasks.append(
            Task(
                ngettext(
                    "Your annual report on %(year)d is due on %(date)s, in %(days)d day.",
                    "Your annual report on %(year)d is due on %(date)s, in %(days)d days.",
                    days,
                )
                % {**due, "days": days},
                home,
                "warning" if days <= 14 else "info",
            )
        )
