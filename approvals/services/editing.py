"""Creating and changing travel applications, with their itinerary, delegation and attachments."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from foreign_affairs.accounts.models import Person
from foreign_affairs.accounts.services import person_create
from foreign_affairs.audit.services import record_event
from foreign_affairs.documents import attachments
from foreign_affairs.documents.models import DocumentKind
from foreign_affairs.errors import StateConflict

from ..models import (
    Attachment,
    AttachmentKind,
    DelegationMember,
    ItineraryLeg,
    TravelApplication,
)
from ..summary import summary_after, summary_before
from ..workflow import EDITABLE_STATES, State, is_applicant
from .derived import check_rules, next_reference, refresh_summary, save_derived
from .transitions import application_transition, available_transitions

APPLICATION_FIELDS = [
    "title",
    "purpose",
    "mission_type",
    "belt_and_road",
    "budget_amount",
    "budget_currency",
    "funding_source",
    "contact_name",
    "contact_phone",
    "justification",
]

# Creating and editing ------------------------------------------------------------------------------


def _require_editor(application: TravelApplication, actor) -> None:
    if not is_applicant(application, actor):
        raise PermissionDenied(_("Only your organisation's applicants can change this application."))
    if application.state not in EDITABLE_STATES:
        raise StateConflict(
            _("The application can only be changed while it is a draft or returned for changes."),
            state=application.state,
            available=available_transitions(application, actor),
        )


def _resolve_person(organization, actor, member: dict) -> Person:
    """A member given as {"person": Person|id} or as {"full_name", "passport_number", ...}: the person of
    the organisation with that passport number, created when there is none."""
    person = member.get("person")
    if person is not None:
        if not isinstance(person, Person):
            person = Person.objects.filter(pk=person, organization=organization).first()
        if person is None or person.organization_id != organization.pk:
            raise ValidationError({"members": _("Choose travellers of your own organisation.")})
        return person
    number = (member.get("passport_number") or "").replace(" ", "").upper()
    if not member.get("full_name") or not number:
        raise ValidationError({"members": _("Give each new member's name and passport number.")})
    existing = Person.objects.filter(organization=organization, passport_number=number).first()
    if existing is not None:
        return existing
    fields = {
        key: member[key]
        for key in (
            "full_name",
            "passport_number",
            "passport_expiry",
            "birth_date",
            "gender",
            "pinyin_name",
            "position",
            "passport_type",
        )
        if member.get(key)
    }
    return person_create(organization=organization, actor=actor, **fields)


def _replace_legs(application: TravelApplication, legs: list[dict]) -> None:
    application.legs.all().delete()
    created = []
    for position, leg in enumerate(legs):
        item = ItineraryLeg(
            application=application,
            position=position,
            **{
                key: leg.get(key) for key in ("country", "city", "arrive_on", "leave_on", "host_organization")
            },
        )
        item.full_clean(exclude=["application"])
        created.append(item)
    ItineraryLeg.objects.bulk_create(created)


def _replace_members(application: TravelApplication, actor, members: list[dict]) -> None:
    application.members.all().delete()
    seen, created = set(), []
    for member in members:
        person = _resolve_person(application.organization, actor, member)
        if person.pk in seen:
            raise ValidationError({"members": _("%(name)s is listed twice.") % {"name": person.full_name}})
        seen.add(person.pk)
        created.append(
            DelegationMember(
                application=application,
                person=person,
                position_on_trip=member.get("position_on_trip", "") or "",
                is_leader=bool(member.get("is_leader")),
            )
        )
    if sum(member.is_leader for member in created) > 1:
        raise ValidationError({"members": _("Mark only one member as the delegation leader.")})
    DelegationMember.objects.bulk_create(created)


def application_create(
    *, actor, organization, data: dict, legs: list[dict] = (), members: list[dict] = ()
) -> TravelApplication:
    """Start a draft for the actor's organisation, with its itinerary and members.

    Requires an applicant of the organisation. Validates every field (dates of each stop, members
    belonging to the organisation); nothing is saved when anything is invalid. Runs the rules and keeps
    their results; errors do not stop a draft, only its submission.
    """
    with transaction.atomic():
        application = TravelApplication(
            organization=organization,
            created_by=actor,
            **{key: data[key] for key in APPLICATION_FIELDS if key in data},
        )
        if not is_applicant(application, actor):
            raise PermissionDenied(_("Only applicants of the organisation can start its applications."))
        application.reference = next_reference(timezone.localdate().year)
        application.full_clean(exclude=["reference", "state"])
        application.save(force_insert=True)
        _replace_legs(application, list(legs))
        _replace_members(application, actor, list(members))
        refresh_summary(application)
        check_rules(application)
        save_derived(application)
        record_event(
            actor=actor, action="travel_application.create", obj=application, to_state=application.state
        )
    return application


def application_update(
    *,
    application: TravelApplication,
    actor,
    data: dict,
    legs: list[dict] | None = None,
    members: list[dict] | None = None,
) -> TravelApplication:
    """Change a draft or returned application; `legs` and `members`, when given, replace the old ones.

    The dashboard's daily summary follows the change in the same transaction (a returned application
    counts there as received and returned; its trip does not yet)."""
    with transaction.atomic():
        application = TravelApplication.objects.select_for_update().get(pk=application.pk)
        _require_editor(application, actor)
        counted = summary_before(application.pk)
        changed = []
        for key in APPLICATION_FIELDS:
            if key in data and getattr(application, key) != data[key]:
                setattr(application, key, data[key])
                changed.append(key)
        application.full_clean(exclude=["state"])
        application.save()
        if legs is not None:
            _replace_legs(application, list(legs))
            changed.append("legs")
        if members is not None:
            _replace_members(application, actor, list(members))
            changed.append("members")
        refresh_summary(application)
        check_rules(application)
        save_derived(application)
        if changed:
            record_event(
                actor=actor, action="travel_application.update", obj=application, data={"fields": changed}
            )
        summary_after(application.pk, counted)
    return application


# What each kind of attachment is stored as, and when the applicant adds it: the trip's documents while
# the application can be edited, the report's once the permit is issued and until the report is in.
ATTACHMENT_DOCUMENT_KIND = {
    AttachmentKind.INVITATION: DocumentKind.INVITATION,
    AttachmentKind.AGENDA: DocumentKind.AGENDA,
    AttachmentKind.OTHER: DocumentKind.OTHER,
}
REPORT_DOCUMENT_KIND = {AttachmentKind.REPORT: DocumentKind.REPORT}


def _attachment_kinds(application: TravelApplication, actor) -> dict:
    """The kinds of document the actor may attach to (or remove from) the application now."""
    if not is_applicant(application, actor):
        raise PermissionDenied(_("Only your organisation's applicants can change this application."))
    if application.state in EDITABLE_STATES:
        return ATTACHMENT_DOCUMENT_KIND
    if application.state == State.PERMIT_ISSUED:
        return REPORT_DOCUMENT_KIND
    raise StateConflict(
        _(
            "Documents can be attached while the application is a draft or returned for changes, "
            "and the report's once the permit is issued."
        ),
        state=application.state,
        available=available_transitions(application, actor),
    )


def attachment_add(*, application: TravelApplication, actor, kind: str, uploaded_file) -> Attachment:
    """Attach a document (checked by content and size): an invitation, agenda or other document to a draft
    or returned application, a report attachment once the permit is issued (until the report is in)."""
    with transaction.atomic():
        application = TravelApplication.objects.select_for_update().get(pk=application.pk)
        attachment = attachments.attachment_add(
            case=application,
            model=Attachment,
            kind=kind,
            uploaded_file=uploaded_file,
            actor=actor,
            kinds=_attachment_kinds(application, actor),
            action="travel_application.attach",
        )
        check_rules(application)
        save_derived(application)
    return attachment


def report_submit(*, application: TravelApplication, actor, report: dict, files=()) -> TravelApplication:
    """Submit the post-trip report (the transition submit_report, with its checks) and store `files` as
    its attachments (kind "report"), in one transaction: a report the workflow refuses stores no file,
    and a file that fails its checks undoes the report. Files may also be attached beforehand
    (attachment_add with kind "report", as the API does)."""
    with transaction.atomic():
        application = application_transition(
            application=application, actor=actor, name="submit_report", report=report
        )
        for uploaded in files:
            attachments.attachment_add(
                case=application,
                model=Attachment,
                kind=AttachmentKind.REPORT,
                uploaded_file=uploaded,
                actor=actor,
                kinds=REPORT_DOCUMENT_KIND,
                action="travel_application.attach",
            )
    return application


def attachment_remove(*, attachment: Attachment, actor) -> None:
    """Detach a document the applicant may still change (see attachment_add)."""
    with transaction.atomic():
        application = TravelApplication.objects.select_for_update().get(pk=attachment.application_id)
        if attachment.kind not in _attachment_kinds(application, actor):
            raise StateConflict(
                _("This document can no longer be removed."),
                state=application.state,
                available=available_transitions(application, actor),
            )
        attachments.attachment_remove(attachment=attachment, actor=actor, action="travel_application.detach")
        check_rules(application)
        save_derived(application)
