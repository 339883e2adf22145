"""Setting-up cases: the public enquiry, the officer's work on the case, and its state machine.

Every write locks the case row, so of two concurrent requests one wins and the other meets the new state;
nothing changes on any error. Registering a case enters the organisation in the registry; opening it
gives the organisation its portal account (services.registry).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foreign_affairs import fsm
from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.selectors import office_users
from foreign_affairs.accounts.validators import validate_uscc
from foreign_affairs.assignment import assign_officer
from foreign_affairs.audit.services import record_event
from foreign_affairs.documents import attachments
from foreign_affairs.documents.models import DocumentKind
from foreign_affairs.errors import StateConflict
from foreign_affairs.workdays.selectors import add_working_days

from .. import notifying
from ..models import CaseDocument, CaseDocumentKind, CaseNote, CaseServiceLevel, Counter, SetupCase
from ..workflow import (
    AUTHORITY_FOR_KIND,
    CASE_NEXT_STEP,
    CASE_TRANSITIONS,
    DEFAULT_SERVICE_LEVELS,
    OPEN_CASE_STATES,
    EnquirySource,
)
from . import messages, registry

# What an enquiry gives (the public form, the API, an officer taking a call).
ENQUIRY_FIELDS = [
    "organisation_name",
    "organisation_name_zh",
    "parent_organisation",
    "country",
    "kind",
    "preferred_area",
    "contact_name",
    "contact_email",
    "contact_phone",
    "message",
]
# What the officer keeps current on the case besides the enquiry.
CASE_FIELDS = [
    *ENQUIRY_FIELDS,
    "address",
    "authority",
    "registration_number",
    "registered_on",
    "registration_valid_until",
    "opened_on",
]
DOCUMENT_KINDS = dict.fromkeys(CaseDocumentKind.values, DocumentKind.OTHER)
CONDITION_ERRORS = {
    "has_registration": (
        "registration_missing",
        gettext_lazy(
            "Give the registering authority, the registration number and the date of registration first."
        ),
    ),
    "has_opening_date": ("opening_date_missing", gettext_lazy("Give the date the office opened first.")),
}
MESSAGE_MAX = 5000
DATE_FIELDS = ("registered_on", "registration_valid_until", "opened_on")


def next_reference(year: int) -> str:
    counter, _created = Counter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"HNFO-{year}-{counter.last:05d}"


def due_on_for(state: str):
    """The service-level deadline of a case entering `state` today (None for a final state)."""
    if state not in OPEN_CASE_STATES:
        return None
    days = CaseServiceLevel.objects.filter(state=state).values_list("working_days", flat=True).first()
    return add_working_days(timezone.localdate(), days if days is not None else DEFAULT_SERVICE_LEVELS[state])


def _state_entered(case: SetupCase) -> None:
    case.state_changed_at = timezone.now()
    case.due_on = due_on_for(case.state)


def _least_busy_officer():
    """The active officer with the fewest open cases (the earliest account on a tie), or None."""
    return (
        office_users(Role.OFFICER)
        .annotate(
            open_cases=Count(
                "setupcase_assigned",
                filter=Q(setupcase_assigned__state__in=OPEN_CASE_STATES),
            )
        )
        .order_by("open_cases", "pk")
        .first()
    )


def _apply(case: SetupCase, data: dict, fields: list[str]) -> None:
    for field in fields:
        if field in data:
            value = data[field]
            if isinstance(value, str):
                value = value.strip()
            elif value is None and field not in DATE_FIELDS:
                value = ""
            setattr(case, field, value)
    errors = {}
    code = case.country.code if case.country else ""
    if code == "CN":
        errors["country"] = [_("Choose the country the organisation comes from; China is not one.")]
    if case.registration_number:
        case.registration_number = case.registration_number.strip().upper()
        try:
            validate_uscc(case.registration_number)
        except ValidationError as error:
            errors["registration_number"] = error.messages
    if case.registered_on and case.registered_on > timezone.localdate():
        errors["registered_on"] = [_("The date of registration cannot be in the future.")]
    if case.opened_on and case.registered_on and case.opened_on < case.registered_on:
        errors["opened_on"] = [_("The office cannot open before it is registered.")]
    if (
        case.registration_valid_until
        and case.registered_on
        and case.registration_valid_until <= case.registered_on
    ):
        errors["registration_valid_until"] = [_("The registration must be valid after the day it was given.")]
    if errors:
        raise ValidationError(errors)
    case.full_clean(exclude=["state", "assigned_officer", "reference", "organisation"])


def enquiry_create(
    *, data: dict, language: str = "en", source: str = EnquirySource.PUBLIC_FORM, actor=None
) -> SetupCase:
    """Open a case from an enquiry (anyone may send one; the boundary limits the rate and checks the
    honeypot). Assigned to the least busy officer, who is told; the enquirer gets its reference by e-mail.
    ValidationError, nothing stored, for a missing contact, an unknown country, too long a message."""
    if (
        actor is not None
        and actor.is_authenticated
        and source == EnquirySource.OFFICE
        and not actor.has_role(Role.OFFICER)
    ):
        raise PermissionDenied(_("Your role does not allow this action."))
    case = SetupCase(source=source, language=language if language in ("en", "zh-hans") else "en")
    case.preferred_area = FTZArea.ZHENGZHOU
    _apply(case, data, ENQUIRY_FIELDS)
    case.authority = AUTHORITY_FOR_KIND.get(case.kind, "")
    with transaction.atomic():
        now = timezone.now()
        case.reference = next_reference(timezone.localdate().year)
        case.created_at = now
        case.assigned_officer = _least_busy_officer()
        _state_entered(case)
        case.save()
        CaseNote.objects.create(
            case=case, at=now, author=None, action="setup_case.enquire", text=case.message
        )
        record_event(
            actor=actor if actor is not None and actor.is_authenticated else None,
            action="setup_case.enquire" if source != EnquirySource.OFFICE else "setup_case.create",
            obj=case,
            to_state=case.state,
            data={"source": source, "country": case.country.code, "kind": case.kind},
        )
        messages.tell_enquirer(case, "received", key=f"case:{case.pk}:received")
        notifying.case_received(case)
    return case


def _locked(case: SetupCase) -> SetupCase:
    return SetupCase.objects.select_for_update().get(pk=case.pk)


def _require_officer(actor) -> None:
    if not (actor.is_authenticated and actor.has_role(Role.OFFICER)):
        raise PermissionDenied(_("Only approval officers work on setting-up cases."))


def case_update(*, case: SetupCase, actor, data: dict) -> SetupCase:
    """The officer corrects or completes the case (names, contact, address, registration details)."""
    _require_officer(actor)
    with transaction.atomic():
        case = _locked(case)
        if case.state not in OPEN_CASE_STATES:
            raise StateConflict(
                _("A case that is %(state)s cannot be changed.") % {"state": case.get_state_display()},
                state=case.state,
                available=[],
            )
        before = {field: str(getattr(case, field)) for field in CASE_FIELDS}
        _apply(case, data, CASE_FIELDS)
        case.save()
        changed = {
            f: [before[f], str(getattr(case, f))] for f in CASE_FIELDS if before[f] != str(getattr(case, f))
        }
        if changed:
            record_event(actor=actor, action="setup_case.update", obj=case, data={"changed": changed})
    return case


def case_assign(*, case: SetupCase, actor, officer) -> SetupCase:
    case = assign_officer(case, actor=actor, officer=officer, action="setup_case.assign")
    if officer is not None and officer.pk != actor.pk:
        notifying.case_assigned(case, officer, actor=actor)
    return case


def note_add(*, case: SetupCase, actor, text: str) -> CaseNote:
    _require_officer(actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note first.")})
    if len(text) > MESSAGE_MAX:
        raise ValidationError({"text": _("A note holds at most %(max)d characters.") % {"max": MESSAGE_MAX}})
    with transaction.atomic():
        case = _locked(case)
        note = CaseNote.objects.create(case=case, author=actor, action="setup_case.note", text=text)
        record_event(actor=actor, action="setup_case.note", obj=case, data={"note": note.pk})
    return note


def document_add(*, case: SetupCase, actor, kind: str, uploaded_file) -> CaseDocument:
    _require_officer(actor)
    with transaction.atomic():
        case = _locked(case)
        return attachments.attachment_add(
            case=case,
            model=CaseDocument,
            kind=kind,
            uploaded_file=uploaded_file,
            actor=actor,
            kinds=DOCUMENT_KINDS,
            action="setup_case.attach",
        )


def available_transitions(case: SetupCase, user) -> list[str]:
    return fsm.available_transitions(case, user)


def case_transition(
    *, case: SetupCase, actor, name: str, comment: str = "", data: dict | None = None
) -> SetupCase:
    """Run one transition for `actor`: role (403), state (409), conditions (400), comment (400).

    `data` may complete the case in the same step (`register` with authority, registration_number,
    registered_on, registration_valid_until and address; `open` with opened_on). `register` enters the
    organisation in the registry; `open` records the opening there and opens its portal account for the
    case's contact, who is sent an invitation to set a password."""
    with transaction.atomic():
        case = _locked(case)
        if data:
            fields = {"register": CASE_FIELDS, "open": ["opened_on", "address"]}.get(name, [])
            if fields:
                _apply(case, data, fields)
        comment = fsm.check_transition(
            case, actor, name, info=CASE_TRANSITIONS, condition_errors=CONDITION_ERRORS, comment=comment
        )
        previous = case.state
        getattr(case, name)()
        _state_entered(case)
        if name == "register":
            case.organisation = registry.organisation_from_case(case, actor=actor)
        elif name == "open":
            case.organisation = registry.organisation_opened(
                case.organisation, opened_on=case.opened_on, actor=actor, case=case
            )
        case.save()
        CaseNote.objects.create(case=case, author=actor, action=f"setup_case.{name}", text=comment)
        record_event(
            actor=actor,
            action=f"setup_case.{name}",
            obj=case,
            from_state=previous,
            to_state=case.state,
            comment=comment,
        )
        messages.tell_enquirer(
            case,
            "state",
            key=f"case:{case.pk}:{name}:{case.state_changed_at.isoformat()}",
            comment=comment,
            next_step=CASE_NEXT_STEP[case.state],
        )
        notifying.case_transition_done(case, name, actor=actor, comment=comment)
    return case


def service_level_save(*, level: CaseServiceLevel, actor) -> CaseServiceLevel:
    """Change the working days a case may wait in a state (an officer; audited). Cases already in the state
    keep their deadline; those entering it later get the new one."""
    _require_officer(actor)
    with transaction.atomic():
        locked = CaseServiceLevel.objects.select_for_update().get(pk=level.pk)
        previous = locked.working_days
        locked.working_days = level.working_days
        locked.save(update_fields=["working_days"])
        if previous != locked.working_days:
            record_event(
                actor=actor,
                action="case_service_level.update",
                obj=locked,
                data={"state": locked.state, "working_days": [previous, locked.working_days]},
            )
    return locked
