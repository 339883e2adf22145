"""Annual reports: the window of a year, filing (once per year), the office's decision, the reminders
before and after the due date, and who is overdue."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from foreign_affairs import fsm
from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.services import record_event
from foreign_affairs.errors import StateConflict

from .. import notifying
from ..models import AnnualReport, ForeignOrganisation, ReportingWindow, ReportReminder
from ..workflow import REPORT_TRANSITIONS, OrganisationState, ReportState
from . import registry

REPORT_FIELDS = [
    "activities",
    "staff_foreign",
    "staff_local",
    "address_confirmed",
    "representative_confirmed",
]


def window_for(year: int) -> ReportingWindow:
    """The window the office set for `year`, or the default one (not saved)."""
    return ReportingWindow.objects.filter(year=year).first() or ReportingWindow.default_for(year)


def window_set(*, actor, year: int, opens_on: date, due_on: date) -> ReportingWindow:
    if not actor.has_role(Role.OFFICER):
        raise PermissionDenied(_("Only approval officers set the annual report window."))
    with transaction.atomic():
        window = ReportingWindow.objects.select_for_update().filter(year=year).first() or ReportingWindow(
            year=year
        )
        window.opens_on, window.due_on = opens_on, due_on
        window.full_clean(validate_unique=False)
        window.save()
        record_event(
            actor=actor,
            action="reporting_window.update",
            obj=window,
            data={"year": year, "opens_on": opens_on, "due_on": due_on},
        )
    return window


def current_report_year(today: date | None = None) -> int:
    """The year whose reports are being filed or last fell due: last year's."""
    return (today or timezone.localdate()).year - 1


def organisations_due(year: int):
    """The organisations that owe a report on `year`: open on 31 December of that year (registered by
    then, not closed before it ended)."""
    end = date(year, 12, 31)
    return ForeignOrganisation.objects.filter(registered_on__lte=end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=end)
    )


def overdue_organisations(year: int | None = None, today: date | None = None):
    """Those whose report on `year` (default: the current report year) is past due and not filed."""
    today = today or timezone.localdate()
    year = year if year is not None else current_report_year(today)
    window = window_for(year)
    if today <= window.due_on:
        return ForeignOrganisation.objects.none()
    return organisations_due(year).exclude(state=OrganisationState.CLOSED).exclude(annual_reports__year=year)


def _is_member(organisation, actor) -> bool:
    member = getattr(actor, "organization", None) if actor is not None and actor.is_authenticated else None
    return member is not None and member.pk == organisation.account_id


def _apply(report: AnnualReport, data: dict) -> None:
    for field in REPORT_FIELDS:
        if field in data:
            value = data[field]
            setattr(report, field, value.strip() if isinstance(value, str) else value)
    errors = {}
    if not (report.activities or "").strip():
        errors["activities"] = [_("Describe the office's activities of the year.")]
    if not report.address_confirmed:
        errors["address_confirmed"] = [
            _("Confirm the address in the registry, or file a change request for a new address first.")
        ]
    if not report.representative_confirmed:
        errors["representative_confirmed"] = [
            _("Confirm the chief representative, or file a change request for a new one first.")
        ]
    if errors:
        raise ValidationError(errors)
    report.full_clean(exclude=["organisation", "state", "submitted_by", "due_on"], validate_constraints=False)


def report_submit(*, organisation: ForeignOrganisation, actor, year: int, data: dict) -> AnnualReport:
    """File the report on `year`: by a member of the organisation (or an officer on its behalf), once the
    window has opened, once per year (a second: 409). Late filing is allowed and marked."""
    if not (_is_member(organisation, actor) or actor.has_role(Role.OFFICER)):
        raise PermissionDenied(_("Only the organisation itself files its annual report."))
    today = timezone.localdate()
    window = window_for(year)
    with transaction.atomic():
        organisation = ForeignOrganisation.objects.select_for_update().get(pk=organisation.pk)
        if organisation.state == OrganisationState.CLOSED:
            raise StateConflict(
                _("A closed organisation files no annual report."), state=organisation.state, available=[]
            )
        existing = AnnualReport.objects.filter(organisation=organisation, year=year).first()
        if existing is not None:
            raise StateConflict(
                _("The report on %(year)d has been filed already (%(state)s).")
                % {"year": year, "state": existing.get_state_display()},
                state=existing.state,
                available=fsm.available_transitions(existing, actor),
            )
        if today < window.opens_on:
            raise ValidationError(
                {
                    "year": _("Reports on %(year)d can be filed from %(date)s.")
                    % {"year": year, "date": date_format(window.opens_on, "DATE_FORMAT")}
                }
            )
        if organisation.registered_on and organisation.registered_on.year > year:
            raise ValidationError(
                {"year": _("The organisation was not registered yet in %(year)d.") % {"year": year}}
            )
        report = AnnualReport(
            organisation=organisation,
            year=year,
            submitted_by=actor,
            submitted_at=timezone.now(),
            due_on=window.due_on,
        )
        _apply(report, data)
        report.on_time = today <= window.due_on
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            raise StateConflict(
                _("The report on %(year)d has been filed already.") % {"year": year},
                state=ReportState.SUBMITTED,
                available=[],
            ) from None
        record_event(
            actor=actor,
            action="annual_report.submit",
            obj=report,
            to_state=report.state,
            data={"year": year, "on_time": report.on_time},
        )
        notifying.report_filed(report, actor=actor)
    return report


def report_transition(*, report: AnnualReport, actor, name: str, comment: str = "", data: dict | None = None):
    """accept / return_for_changes (an officer) / resubmit (the organisation, with its corrections).
    Accepting a report whose staff numbers differ from the registry's brings the registry up to date."""
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().select_related("organisation").get(pk=report.pk)
        comment = fsm.check_transition(
            report, actor, name, info=REPORT_TRANSITIONS, condition_errors={}, comment=comment
        )
        if name == "resubmit" and data:
            _apply(report, data)
        previous = report.state
        getattr(report, name)()
        if name in ("accept", "return_for_changes"):
            report.decided_by = actor
            report.comment = comment
        report.save()
        if name == "accept":
            organisation = report.organisation
            staff = {"staff_foreign": report.staff_foreign, "staff_local": report.staff_local}
            if any(getattr(organisation, field) != value for field, value in staff.items()):
                registry.organisation_update(
                    organisation=organisation,
                    actor=actor,
                    data=staff,
                    fields=list(staff),
                    change_request=None,
                )
        record_event(
            actor=actor,
            action=f"annual_report.{name}",
            obj=report,
            from_state=previous,
            to_state=report.state,
            comment=comment,
        )
        notifying.report_transition_done(report, name, actor=actor, comment=comment)
    return report


def reminder_stage(today: date, window: ReportingWindow) -> str | None:
    """Which reminder is due today for a report not filed: "before-<n>" on the n-th day before the due date
    (the last such stage passed in the window), "after-<n>" on the n-th day after it."""
    if today < window.opens_on:
        return None
    stage = None
    for days in sorted(settings.FOREIGN_OFFICES_REMIND_BEFORE_DAYS, reverse=True):
        if window.due_on - timedelta(days=days) <= today <= window.due_on:
            stage = f"before-{days}"
    for days in sorted(settings.FOREIGN_OFFICES_REMIND_AFTER_DAYS):
        if today >= window.due_on + timedelta(days=days):
            stage = f"after-{days}"
    return stage


def send_reminders(*, today: date | None = None) -> int:
    """The daily job: each organisation that owes the current year's report and has not filed it hears
    once per stage (a run twice a day, or two workers at once, sends nothing twice). Returns how many."""
    today = today or timezone.localdate()
    year = current_report_year(today)
    window = window_for(year)
    stage = reminder_stage(today, window)
    if stage is None:
        return 0
    owing = (
        organisations_due(year)
        .exclude(state=OrganisationState.CLOSED)
        .exclude(annual_reports__year=year)
        .filter(account__isnull=False)
    )
    sent = 0
    for organisation in owing.select_related("account"):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    ReportReminder.objects.create(organisation=organisation, year=year, stage=stage)
            except IntegrityError:
                continue
            notifying.report_reminder(organisation, year=year, window=window, stage=stage)
            record_event(
                actor=None,
                action="annual_report.remind",
                obj=organisation,
                data={"year": year, "stage": stage},
            )
            sent += 1
    return sent
