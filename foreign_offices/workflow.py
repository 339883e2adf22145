"""The state machines of area 2's foreign organisations (django-fsm-2) and their fixed vocabularies.

Setting-up case (from the first enquiry to the opening of the office in Henan):

    enquiry ─consult─▶ consulting ─prepare─▶ preparing ─submit_to_authority─▶ submitted_to_authority
                                                                                   │ register
    withdraw (the enquirer gave up) / decline (the office cannot help) ◀─ any open  ▼
                                                                   registered ─open─▶ opened

Annual report: submitted ─accept─▶ accepted; submitted ─return_for_changes─▶ returned ─resubmit─▶ submitted.
Change request: submitted ─approve─▶ approved (the registry changes then) / reject / withdraw.
Registered organisation: active ⇄ suspended (suspend / reinstate); active or suspended ─close─▶ closed.

Transitions only change fields; the services run them (foreign_affairs.fsm.check_transition: role, state,
conditions, comment), lock the row, save, audit and notify.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from foreign_affairs.fsm import TransitionInfo, is_officer


def is_member(obj, user) -> bool:
    """A member (any enterprise role) of the registered organisation the object belongs to."""
    organization = getattr(user, "organization", None) if user.is_authenticated else None
    return organization is not None and organization.pk == obj.account_id


def is_member_or_officer(obj, user) -> bool:
    return is_member(obj, user) or is_officer(obj, user)


class PresenceKind(models.TextChoices):
    REGIONAL_HQ = "regional_hq", _("Regional headquarters of a foreign company")
    COMPANY_OFFICE = "company_office", _("Representative office of a foreign company")
    GOVERNMENT_OFFICE = "government_office", _("Representative office of a foreign local government")
    CHAMBER_OFFICE = "chamber_office", _("Representative office of a foreign chamber or industry association")
    INTERNATIONAL_OFFICE = "international_office", _("Representative office of an international organisation")


class Authority(models.TextChoices):
    """Who registers each kind of presence (the office registers none of them itself but the
    local-government offices; it coordinates and follows the others)."""

    MARKET_REGULATION = "market_regulation", _("Administration for Market Regulation")
    COMMERCE = "commerce", _("Department of Commerce (regional headquarters recognition)")
    PUBLIC_SECURITY = "public_security", _("Public Security Department (foreign NGO offices)")
    CIVIL_AFFAIRS = "civil_affairs", _("Ministry of Civil Affairs (foreign chambers of commerce)")
    FOREIGN_AFFAIRS = "foreign_affairs", _("Foreign and Overseas Chinese Affairs Office")


# The authority that usually registers each kind (the guide shows it; the case proposes it).
AUTHORITY_FOR_KIND = {
    PresenceKind.REGIONAL_HQ: Authority.COMMERCE,
    PresenceKind.COMPANY_OFFICE: Authority.MARKET_REGULATION,
    PresenceKind.GOVERNMENT_OFFICE: Authority.FOREIGN_AFFAIRS,
    PresenceKind.CHAMBER_OFFICE: Authority.CIVIL_AFFAIRS,
    PresenceKind.INTERNATIONAL_OFFICE: Authority.PUBLIC_SECURITY,
}


class CaseState(models.TextChoices):
    ENQUIRY = "enquiry", pgettext_lazy("setting-up case state", "Enquiry received")
    CONSULTING = "consulting", _("Consulting")
    PREPARING = "preparing", _("Preparing the documents")
    SUBMITTED_TO_AUTHORITY = "submitted_to_authority", _("Submitted to the registering authority")
    REGISTERED = "registered", pgettext_lazy("setting-up case state", "Registered")
    OPENED = "opened", _("Opened")
    WITHDRAWN = "withdrawn", pgettext_lazy("setting-up case state", "Withdrawn")
    DECLINED = "declined", _("Declined")


OPEN_CASE_STATES = (
    CaseState.ENQUIRY,
    CaseState.CONSULTING,
    CaseState.PREPARING,
    CaseState.SUBMITTED_TO_AUTHORITY,
    CaseState.REGISTERED,
)
CASE_STATE_TONES = {
    CaseState.ENQUIRY: "attention",
    CaseState.CONSULTING: "progress",
    CaseState.PREPARING: "progress",
    CaseState.SUBMITTED_TO_AUTHORITY: "progress",
    CaseState.REGISTERED: "progress",
    CaseState.OPENED: "success",
    CaseState.WITHDRAWN: "neutral",
    CaseState.DECLINED: "danger",
}
# Working days a case may wait in each open state before it shows as overdue (CaseServiceLevel rows
# override them; the data migration writes these).
DEFAULT_SERVICE_LEVELS = {
    CaseState.ENQUIRY: 2,
    CaseState.CONSULTING: 10,
    CaseState.PREPARING: 20,
    CaseState.SUBMITTED_TO_AUTHORITY: 20,
    CaseState.REGISTERED: 20,
}
CASE_NEXT_STEP = {
    CaseState.ENQUIRY: _("The office answers the enquiry and names an officer for the case."),
    CaseState.CONSULTING: _("The officer advises on the kind of presence, the area and the authority."),
    CaseState.PREPARING: _("The organisation prepares the documents for the registering authority."),
    CaseState.SUBMITTED_TO_AUTHORITY: _("The registering authority examines the application."),
    CaseState.REGISTERED: _("The office is registered; it opens its doors, and the office records the date."),
    CaseState.OPENED: _("The office is open and in the registry; it files an annual report every year."),
    CaseState.WITHDRAWN: _("The enquirer gave up the plan."),
    CaseState.DECLINED: _("The office could not take the case further."),
}


class OrganisationState(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("foreign organisation state", "Active")
    SUSPENDED = "suspended", pgettext_lazy("foreign organisation state", "Suspended")
    CLOSED = "closed", pgettext_lazy("foreign organisation state", "Closed")


ORGANISATION_STATE_TONES = {
    OrganisationState.ACTIVE: "success",
    OrganisationState.SUSPENDED: "attention",
    OrganisationState.CLOSED: "neutral",
}


class ReportState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("annual report state", "Submitted")
    RETURNED = "returned", pgettext_lazy("annual report state", "Returned for changes")
    ACCEPTED = "accepted", pgettext_lazy("annual report state", "Accepted")


REPORT_STATE_TONES = {
    ReportState.SUBMITTED: "attention",
    ReportState.RETURNED: "danger",
    ReportState.ACCEPTED: "success",
}


class ChangeKind(models.TextChoices):
    CHIEF_REPRESENTATIVE = "chief_representative", _("New chief representative")
    ADDRESS = "address", pgettext_lazy("change request", "Address")
    NAME = "name", pgettext_lazy("change request", "Name")
    STAFF = "staff", pgettext_lazy("change request", "Staff numbers")
    CLOSURE = "closure", _("Closure (deregistration)")


# The registry's fields each kind of change request may change.
CHANGE_FIELDS = {
    ChangeKind.CHIEF_REPRESENTATIVE: ("chief_representative",),
    ChangeKind.ADDRESS: ("address", "ftz_area"),
    ChangeKind.NAME: ("name", "name_zh"),
    ChangeKind.STAFF: ("staff_foreign", "staff_local"),
    ChangeKind.CLOSURE: ("state", "closed_on"),
}


class ChangeState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("change request state", "Submitted")
    APPROVED = "approved", pgettext_lazy("change request state", "Approved")
    REJECTED = "rejected", pgettext_lazy("change request state", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("change request state", "Withdrawn")


CHANGE_STATE_TONES = {
    ChangeState.SUBMITTED: "attention",
    ChangeState.APPROVED: "success",
    ChangeState.REJECTED: "danger",
    ChangeState.WITHDRAWN: "neutral",
}


class EnquirySource(models.TextChoices):
    PUBLIC_FORM = "public_form", _("Public enquiry form")
    API = "api", _("API")
    OFFICE = "office", _("Entered by the office")


def has_registration(case) -> bool:
    return bool(case.authority and case.registration_number and case.registered_on)


def has_opening_date(case) -> bool:
    return case.opened_on is not None


CASE_TRANSITIONS = {
    "consult": TransitionInfo(_("Start consulting")),
    "prepare": TransitionInfo(_("Documents in preparation")),
    "submit_to_authority": TransitionInfo(_("Submitted to the authority")),
    "register": TransitionInfo(_("Record the registration"), style="success"),
    "open": TransitionInfo(_("Record the opening"), style="success"),
    "withdraw": TransitionInfo(
        pgettext_lazy("setting-up case", "Withdraw"), comment="required", destructive=True, style="secondary"
    ),
    "decline": TransitionInfo(_("Decline"), comment="required", destructive=True, style="outline-danger"),
}
REPORT_TRANSITIONS = {
    "accept": TransitionInfo(pgettext_lazy("annual report", "Accept the report"), style="success"),
    "return_for_changes": TransitionInfo(_("Return for changes"), comment="required", style="warning"),
    "resubmit": TransitionInfo(_("Resubmit")),
}
CHANGE_TRANSITIONS = {
    "approve": TransitionInfo(_("Approve the change"), style="success"),
    "reject": TransitionInfo(
        pgettext_lazy("change request", "Reject"), comment="required", style="outline-danger"
    ),
    "withdraw": TransitionInfo(
        pgettext_lazy("change request", "Withdraw"), comment="optional", destructive=True, style="secondary"
    ),
}
ORGANISATION_TRANSITIONS = {
    "suspend": TransitionInfo(_("Suspend"), comment="required", style="warning"),
    "reinstate": TransitionInfo(_("Reinstate")),
    "close": TransitionInfo(
        pgettext_lazy("foreign organisation", "Close (deregister)"),
        comment="required",
        destructive=True,
        style="outline-danger",
    ),
}

ACTION_LABELS = {
    "setup_case.enquire": _("sent an enquiry"),
    "setup_case.create": _("opened a setting-up case"),
    "setup_case.update": _("changed the setting-up case"),
    "setup_case.assign": _("assigned the setting-up case"),
    "setup_case.note": _("added a note to the case"),
    "setup_case.attach": _("attached a document to the case"),
    "setup_case.detach": _("removed a document from the case"),
    "setup_case.consult": _("started consulting"),
    "setup_case.prepare": _("marked the documents in preparation"),
    "setup_case.submit_to_authority": _("recorded the submission to the authority"),
    "setup_case.register": _("recorded the registration"),
    "setup_case.open": _("recorded the opening"),
    "setup_case.withdraw": _("withdrew the setting-up case"),
    "setup_case.decline": _("declined the setting-up case"),
    "foreign_organisation.create": _("entered the organisation in the registry"),
    "foreign_organisation.update": _("changed the registry entry"),
    "foreign_organisation.suspend": _("suspended the organisation"),
    "foreign_organisation.reinstate": _("reinstated the organisation"),
    "foreign_organisation.close": _("closed (deregistered) the organisation"),
    "foreign_organisation.account": _("opened the organisation's portal account"),
    "annual_report.submit": _("filed the annual report"),
    "annual_report.accept": _("accepted the annual report"),
    "annual_report.return_for_changes": _("returned the annual report for changes"),
    "annual_report.resubmit": _("filed the annual report again"),
    "annual_report.remind": _("reminded the organisation of its annual report"),
    "reporting_window.update": _("set the annual report window"),
    "case_service_level.update": _("changed a setting-up service level"),
    "change_request.submit": _("submitted a change request"),
    "change_request.approve": _("approved the change request"),
    "change_request.reject": _("rejected the change request"),
    "change_request.withdraw": _("withdrew the change request"),
}


class CaseWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(
        _("state"), default=CaseState.ENQUIRY, choices=CaseState.choices, protected=True, db_index=True
    )

    class Meta:
        abstract = True

    @transition(field=state, source=CaseState.ENQUIRY, target=CaseState.CONSULTING, permission=is_officer)
    def consult(self):
        pass

    @transition(field=state, source=CaseState.CONSULTING, target=CaseState.PREPARING, permission=is_officer)
    def prepare(self):
        pass

    @transition(
        field=state,
        source=CaseState.PREPARING,
        target=CaseState.SUBMITTED_TO_AUTHORITY,
        permission=is_officer,
    )
    def submit_to_authority(self):
        self.submitted_on = timezone.localdate()

    @transition(
        field=state,
        source=CaseState.SUBMITTED_TO_AUTHORITY,
        target=CaseState.REGISTERED,
        permission=is_officer,
        conditions=[has_registration],
    )
    def register(self):
        pass

    @transition(
        field=state,
        source=CaseState.REGISTERED,
        target=CaseState.OPENED,
        permission=is_officer,
        conditions=[has_opening_date],
    )
    def open(self):
        self.closed_at = timezone.now()

    @transition(field=state, source=list(OPEN_CASE_STATES), target=CaseState.WITHDRAWN, permission=is_officer)
    def withdraw(self):
        self.closed_at = timezone.now()

    @transition(field=state, source=list(OPEN_CASE_STATES), target=CaseState.DECLINED, permission=is_officer)
    def decline(self):
        self.closed_at = timezone.now()


class OrganisationWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(
        _("state"),
        default=OrganisationState.ACTIVE,
        choices=OrganisationState.choices,
        protected=True,
        db_index=True,
    )

    class Meta:
        abstract = True

    @transition(
        field=state,
        source=OrganisationState.ACTIVE,
        target=OrganisationState.SUSPENDED,
        permission=is_officer,
    )
    def suspend(self):
        pass

    @transition(
        field=state,
        source=OrganisationState.SUSPENDED,
        target=OrganisationState.ACTIVE,
        permission=is_officer,
    )
    def reinstate(self):
        pass

    @transition(
        field=state,
        source=[OrganisationState.ACTIVE, OrganisationState.SUSPENDED],
        target=OrganisationState.CLOSED,
        permission=is_officer,
    )
    def close(self):
        if self.closed_on is None:
            self.closed_on = timezone.localdate()


class ReportWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(
        _("state"), default=ReportState.SUBMITTED, choices=ReportState.choices, protected=True, db_index=True
    )

    class Meta:
        abstract = True

    @transition(field=state, source=ReportState.SUBMITTED, target=ReportState.ACCEPTED, permission=is_officer)
    def accept(self):
        self.decided_at = timezone.now()

    @transition(field=state, source=ReportState.SUBMITTED, target=ReportState.RETURNED, permission=is_officer)
    def return_for_changes(self):
        self.decided_at = timezone.now()

    @transition(field=state, source=ReportState.RETURNED, target=ReportState.SUBMITTED, permission=is_member)
    def resubmit(self):
        self.submitted_at = timezone.now()
        self.decided_at = None


class ChangeWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(
        _("state"), default=ChangeState.SUBMITTED, choices=ChangeState.choices, protected=True, db_index=True
    )

    class Meta:
        abstract = True

    @transition(field=state, source=ChangeState.SUBMITTED, target=ChangeState.APPROVED, permission=is_officer)
    def approve(self):
        self.decided_at = timezone.now()

    @transition(field=state, source=ChangeState.SUBMITTED, target=ChangeState.REJECTED, permission=is_officer)
    def reject(self):
        self.decided_at = timezone.now()

    @transition(field=state, source=ChangeState.SUBMITTED, target=ChangeState.WITHDRAWN, permission=is_member)
    def withdraw(self):
        self.decided_at = timezone.now()
