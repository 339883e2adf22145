"""Who is told what about foreign organisations. This module only declares; foreign_affairs.notifications
makes the notices, as in every area. The enquirer, who has no account, is written to by services.messages."""

from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.selectors import office_users, organization_users, with_substitutes
from foreign_affairs.notifications.transitions import RecordNotices

from .workflow import CaseState, ChangeState, OrganisationState, ReportState

CASE_HEADLINES = {
    "received": _("A new enquiry about setting up in Henan was received"),
    "assign": _("A setting-up case was assigned to you"),
    "consult": _("The setting-up case is being consulted on"),
    "prepare": _("The documents of the setting-up case are in preparation"),
    "submit_to_authority": _("The setting-up case was submitted to the registering authority"),
    "register": _("The organisation is registered"),
    "open": _("The organisation's office has opened"),
    "withdraw": _("The setting-up case was withdrawn"),
    "decline": _("The setting-up case was declined"),
}
ORGANISATION_HEADLINES = {
    "suspend": _("The organisation was suspended in the registry"),
    "reinstate": _("The organisation was reinstated in the registry"),
    "close": _("The organisation was closed in the registry"),
}
REPORT_HEADLINES = {
    "submit": _("An annual report was filed"),
    "accept": _("The annual report was accepted"),
    "return_for_changes": _("The annual report was returned for changes"),
    "resubmit": _("The annual report was filed again"),
}
CHANGE_HEADLINES = {
    "submit": _("A change request was filed"),
    "approve": _("The change request was approved; the registry shows the change"),
    "reject": _("The change request was rejected"),
    "withdraw": _("The change request was withdrawn"),
}

CASES = RecordNotices(
    name="case",
    states=CaseState,
    office_page="admin:foreign_offices_setupcase_change",
    enterprise_page="admin:foreign_offices_setupcase_change",
    transition_template="foreign_offices/case",
    headlines=CASE_HEADLINES,
    key_prefix="setup-case",
)
ORGANISATIONS = RecordNotices(
    name="organisation",
    states=OrganisationState,
    office_page="admin:foreign_offices_foreignorganisation_change",
    enterprise_page="foreign_offices:my_office_entry",
    transition_template="foreign_offices/organisation",
    headlines=ORGANISATION_HEADLINES,
    key_prefix="foreign-organisation",
)
REPORTS = RecordNotices(
    name="report",
    states=ReportState,
    office_page="admin:foreign_offices_annualreport_change",
    enterprise_page="foreign_offices:report_detail",
    transition_template="foreign_offices/report",
    headlines=REPORT_HEADLINES,
    key_prefix="annual-report",
)
CHANGES = RecordNotices(
    name="change",
    states=ChangeState,
    office_page="admin:foreign_offices_changerequest_change",
    enterprise_page="foreign_offices:change_detail",
    transition_template="foreign_offices/change",
    headlines=CHANGE_HEADLINES,
    key_prefix="change-request",
)


def _officers(assigned=None) -> list:
    return (
        with_substitutes([assigned]) if assigned is not None else with_substitutes(office_users(Role.OFFICER))
    )


def _members(organisation) -> list:
    return list(organization_users(organisation.account_id)) if organisation.account_id else []


def case_received(case) -> None:
    CASES.send(
        case,
        _officers(case.assigned_officer),
        template="foreign_offices/case",
        context={
            "headline": CASE_HEADLINES["received"],
            "state": case.get_state_display(),
            "actor": None,
            "comment": "",
        },
        key=f"setup-case:{case.pk}:received",
    )


def case_assigned(case, officer, *, actor) -> None:
    CASES.send(
        case,
        [officer],
        template="foreign_offices/case",
        context={
            "headline": CASE_HEADLINES["assign"],
            "state": case.get_state_display(),
            "actor": actor,
            "comment": "",
        },
        key=f"setup-case-assign:{case.pk}:{officer.pk}:{case.updated_at.isoformat()}",
        actor=actor,
    )


def case_transition_done(case, name: str, *, actor, comment: str) -> None:
    people = _officers(case.assigned_officer) if case.assigned_officer_id else []
    CASES.transition(case, name, people=people, actor=actor, comment=comment)


def organisation_transition_done(organisation, name: str, *, actor, comment: str) -> None:
    ORGANISATIONS.send(
        organisation,
        _members(organisation),
        template="foreign_offices/organisation",
        context={
            "headline": ORGANISATION_HEADLINES[name],
            "state": organisation.get_state_display(),
            "actor": actor,
            "comment": comment,
        },
        key=f"foreign-organisation:{organisation.pk}:{name}:{organisation.updated_at.isoformat()}",
        actor=actor,
    )


def _other_side(organisation, actor, officer=None) -> list:
    """Who hears of what `actor` did: the organisation's members when the office acted, else the officer
    (who decided the record before, or every officer)."""
    if actor is not None and actor.is_office_staff:
        return _members(organisation)
    return _officers(officer)


def _filed(notices: RecordNotices, record, *, headline, actor) -> None:
    notices.send(
        record,
        _other_side(record.organisation, actor),
        template=notices.transition_template,
        context={"headline": headline, "state": record.get_state_display(), "actor": actor, "comment": ""},
        key=f"{notices.key_prefix}:{record.pk}:submit",
        actor=actor,
    )


def report_filed(report, *, actor) -> None:
    _filed(REPORTS, report, headline=REPORT_HEADLINES["submit"], actor=actor)


def report_transition_done(report, name: str, *, actor, comment: str) -> None:
    REPORTS.transition(
        report,
        name,
        people=_other_side(report.organisation, actor, report.decided_by),
        actor=actor,
        comment=comment,
        key=f"annual-report:{report.pk}:{name}:{report.updated_at.isoformat()}",
    )


def change_filed(request, *, actor) -> None:
    _filed(CHANGES, request, headline=CHANGE_HEADLINES["submit"], actor=actor)


def change_transition_done(request, name: str, *, actor, comment: str) -> None:
    CHANGES.transition(
        request,
        name,
        people=_other_side(request.organisation, actor, request.decided_by),
        actor=actor,
        comment=comment,
        key=f"change-request:{request.pk}:{name}",
    )


def report_reminder(organisation, *, year: int, window, stage: str) -> None:
    overdue = stage.startswith("after-")
    ORGANISATIONS.send(
        organisation,
        _members(organisation),
        template="foreign_offices/report_reminder",
        context={"year": year, "window": window, "overdue": overdue},
        key=f"annual-report-reminder:{organisation.pk}:{year}:{stage}",
    )
