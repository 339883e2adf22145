"""Writes to travel applications. Every path that changes an application — pages, back office, API,
commands, tasks — goes through these functions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foreign_affairs.accounts.models import Person
from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.services import person_create
from foreign_affairs.audit.services import record_event
from foreign_affairs.documents.services import document_create
from foreign_affairs.errors import RulesFailed, StateConflict
from foreign_affairs.workdays.selectors import add_working_days

from . import notifying, rules
from .models import (
    Attachment,
    AttachmentKind,
    DelegationMember,
    ItineraryLeg,
    ReferenceCounter,
    ServiceLevel,
    TravelApplication,
)
from .workflow import EDITABLE_STATES, TRANSITIONS, WAITING_STATES, State, is_applicant

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
DEFAULT_SERVICE_LEVELS = {State.SUBMITTED: 3, State.IN_REVIEW: 5, State.PENDING_SIGNOFF: 3}
# Transitions before the decision run the rules again and keep the results; these also refuse on an error.
RULE_CHECKED = {"submit", "resubmit", "endorse", "approve", "escalate", "sign_off"}
RULE_GATED = {"submit", "resubmit", "approve", "sign_off"}


# References and derived fields ---------------------------------------------------------------------


def next_reference(year: int) -> str:
    """HNFA-<year>-<6 digits>, numbered without gaps per year (the counter row is locked)."""
    with transaction.atomic():
        counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
    return f"HNFA-{year}-{counter.last:06d}"


def refresh_summary(application: TravelApplication) -> None:
    """Recompute the fields derived from the itinerary and the members (dates, countries, leader)."""
    legs = list(application.legs.order_by("arrive_on", "position"))
    members = list(application.members.select_related("person"))
    application.departure_date = min((leg.arrive_on for leg in legs), default=None)
    application.return_date = max((leg.leave_on for leg in legs), default=None)
    application.days_abroad = (
        (application.return_date - application.departure_date).days + 1
        if application.departure_date
        else None
    )
    countries = []
    for leg in legs:
        if str(leg.country) not in countries:
            countries.append(str(leg.country))
    application.countries = ",".join(countries)[:120]
    application.member_count = len(members)
    application.leader_name = next((m.person.full_name for m in members if m.is_leader), "")


def store_rule_results(application: TravelApplication, findings) -> None:
    application.rule_results = [finding.stored() for finding in findings]
    application.rule_errors = sum(finding.severity == "error" for finding in findings)
    application.rule_warnings = sum(finding.severity == "warning" for finding in findings)
    application.requires_signoff = any(finding.forces_signoff for finding in findings)


def check_rules(application: TravelApplication, *, reference_date=None):
    """Run the rules on the saved application and keep the results on it (not saved here)."""
    fresh = TravelApplication.objects.prefetch_related("legs", "members__person", "attachments").get(
        pk=application.pk
    )
    findings = rules.check(rules.TripDraft.from_application(fresh, reference_date=reference_date))
    store_rule_results(application, findings)
    return findings


def _save_derived(application: TravelApplication) -> None:
    application.save(
        update_fields=[
            "departure_date",
            "return_date",
            "days_abroad",
            "countries",
            "member_count",
            "leader_name",
            "rule_results",
            "rule_errors",
            "rule_warnings",
            "requires_signoff",
            "updated_at",
        ]
    )


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
        _save_derived(application)
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
    """Change a draft or returned application; `legs` and `members`, when given, replace the old ones."""
    with transaction.atomic():
        application = TravelApplication.objects.select_for_update().get(pk=application.pk)
        _require_editor(application, actor)
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
        _save_derived(application)
        if changed:
            record_event(
                actor=actor, action="travel_application.update", obj=application, data={"fields": changed}
            )
    return application


ATTACHMENT_DOCUMENT_KIND = {
    AttachmentKind.INVITATION: "invitation",
    AttachmentKind.AGENDA: "agenda",
    AttachmentKind.OTHER: "other",
}


def attachment_add(*, application: TravelApplication, actor, kind: str, uploaded_file) -> Attachment:
    """Attach a document (validated by content and size) to a draft or returned application."""
    with transaction.atomic():
        application = TravelApplication.objects.select_for_update().get(pk=application.pk)
        _require_editor(application, actor)
        if kind not in AttachmentKind.values:
            raise ValidationError({"kind": _("Choose invitation, agenda or other.")})
        document = document_create(
            uploaded_file=uploaded_file,
            kind=ATTACHMENT_DOCUMENT_KIND[kind],
            organization=application.organization,
            uploaded_by=actor,
            title=f"{application.reference} {AttachmentKind(kind).label}",
        )
        attachment = Attachment.objects.create(application=application, kind=kind, document=document)
        check_rules(application)
        _save_derived(application)
        record_event(
            actor=actor,
            action="travel_application.attach",
            obj=application,
            data={"kind": kind, "document": str(document.pk), "name": document.original_name},
        )
    return attachment


def attachment_remove(*, attachment: Attachment, actor) -> None:
    with transaction.atomic():
        application = TravelApplication.objects.select_for_update().get(pk=attachment.application_id)
        _require_editor(application, actor)
        document = attachment.document
        record_event(
            actor=actor,
            action="travel_application.detach",
            obj=application,
            data={"kind": attachment.kind, "document": str(document.pk), "name": document.original_name},
        )
        attachment.delete()
        check_rules(application)
        _save_derived(application)


# Transitions -----------------------------------------------------------------------------------------


def available_transitions(application: TravelApplication, user) -> list[str]:
    """The transitions `user` may run on the application now (state, role and conditions)."""
    return sorted({t.name for t in application.get_available_user_state_transitions(user)})


def _may_ever(application: TravelApplication, user, name: str) -> bool:
    """Whether the user holds a role that may run `name` on this application in some state."""
    meta = getattr(type(application), name)._django_fsm
    return any(t.has_perm(application, user) for t in meta.transitions.values())


# An unmet condition of a transition, as an error code and message: {condition: (code, message)}.
CONDITION_ERRORS = {
    "signoff_not_required": (
        "signoff_required",
        gettext_lazy("This trip needs leader sign-off: send it to sign-off instead."),
    ),
    "before_departure": (
        "trip_started",
        gettext_lazy("The trip has already begun; it can no longer be cancelled."),
    ),
    "trip_ended": (
        "trip_not_ended",
        gettext_lazy("The post-trip report can be submitted after the return date."),
    ),
}


def _entered(application: TravelApplication, state: str) -> None:
    """Stamp the time the application entered `state` and its service-level deadline there."""
    application.state_changed_at = timezone.now()
    application.reminders_sent = 0
    if state in WAITING_STATES:
        level = ServiceLevel.objects.filter(state=state).values_list("working_days", flat=True).first()
        days = level if level is not None else DEFAULT_SERVICE_LEVELS[state]
        application.due_on = add_working_days(timezone.localdate(), days)
    else:
        application.due_on = None


def application_transition(
    *, application: TravelApplication, actor, name: str, comment: str = "", report: dict | None = None
) -> TravelApplication:
    """Run one transition of the state machine for `actor`.

    Checks, in order: the actor's role for this transition (PermissionDenied → 403), the current state
    (StateConflict → 409), the transition's conditions and the rules (RulesFailed → 400), a required
    comment (ValidationError → 400). Locks the row, so of two concurrent requests one wins and the other
    meets the new state. Saves, writes the audit event (with "on behalf of" for substitutes) and queues
    the notifications of the people who act next, sent after commit. Nothing changes on any error.
    """
    if name not in TRANSITIONS or name == "issue_permit":
        raise StateConflict(_("There is no such action."), state=application.state, available=[])
    with transaction.atomic():
        application = (
            TravelApplication.objects.select_for_update()
            .select_related("organization")
            .get(pk=application.pk)
        )
        method = getattr(application, name)
        if not _may_ever(application, actor, name):
            raise PermissionDenied(_("Your role does not allow this action."))
        meta = method._django_fsm
        transition = meta.get_transition(application.state)
        if transition is None or not transition.has_perm(application, actor):
            raise StateConflict(
                _("“%(action)s” is not possible while the application is “%(state)s”.")
                % {"action": TRANSITIONS[name].label, "state": application.get_state_display()},
                state=application.state,
                available=available_transitions(application, actor),
            )
        unmet = [CONDITION_ERRORS[c.__name__] for c in transition.conditions if not c(application)]
        if unmet:
            raise RulesFailed(
                unmet[0][1],
                findings=[
                    {"code": code, "severity": "error", "message": str(message)} for code, message in unmet
                ],
            )
        comment = (comment or "").strip()
        if TRANSITIONS[name].comment == "required" and not comment:
            raise ValidationError({"comment": _("Say why, so that the applicant knows what to do.")})
        if name == "submit_report":
            _take_report(application, report or {})

        previous = application.state
        if name in RULE_CHECKED:
            reference_date = timezone.localdate() if name in ("submit", "resubmit") else None
            findings = check_rules(application, reference_date=reference_date)
            if name in RULE_GATED and rules.errors(findings):
                raise RulesFailed(
                    _("The application does not meet the rules yet."),
                    findings=[f.as_dict() for f in rules.errors(findings)],
                )
        method()
        _entered(application, application.state)
        application.save()
        on_behalf = _principal_for(application, actor, previous, name)
        record_event(
            actor=actor,
            action=f"travel_application.{name}",
            obj=application,
            from_state=previous,
            to_state=application.state,
            comment=comment,
            data={"on_behalf_of": on_behalf.get_username()} if on_behalf else {},
        )
        notifying.transition_done(application, name, actor=actor, comment=comment)
    return application


def _principal_for(application, actor, previous_state, name):
    """The absent officer or leader whose role a substitute used, for the audit trail."""
    role = {
        "approve": Role.OFFICER,
        "escalate": Role.OFFICER,
        "accept_report": Role.OFFICER,
        "return_report": Role.OFFICER,
        "sign_off": Role.LEADER,
    }.get(name)
    if name in ("reject", "return_for_changes"):
        role = {State.IN_REVIEW: Role.OFFICER, State.PENDING_SIGNOFF: Role.LEADER}.get(previous_state)
    if name == "cancel" and not is_applicant(application, actor):
        role = Role.OFFICER
    return actor.acting_for(role) if role and hasattr(actor, "acting_for") else None


def _take_report(application: TravelApplication, report: dict) -> None:
    errors = {}
    summary = (report.get("summary") or "").strip()
    if not summary:
        errors["summary"] = _("Summarise what the delegation did.")
    actual_return = report.get("actual_return_date")
    if not actual_return:
        errors["actual_return_date"] = _("Give the date the delegation came back.")
    if errors:
        raise ValidationError(errors)
    application.report_summary = summary
    application.report_outcomes = (report.get("outcomes") or "").strip()
    application.actual_return_date = actual_return


def application_issue_permit(*, application: TravelApplication) -> TravelApplication:
    """System transition approved → permit_issued (run by the permit task of the next area)."""
    with transaction.atomic():
        application = TravelApplication.objects.select_for_update().get(pk=application.pk)
        if application.state != State.APPROVED:
            return application
        application.issue_permit()
        _entered(application, application.state)
        application.save()
        record_event(
            actor=None,
            action="travel_application.issue_permit",
            obj=application,
            from_state=State.APPROVED,
            to_state=application.state,
        )
        notifying.transition_done(application, "issue_permit", actor=None, comment="")
    return application


def application_assign(*, application: TravelApplication, actor, officer) -> TravelApplication:
    """Give an application to an officer (an officer takes one, or hands it over)."""
    if not actor.has_role(Role.OFFICER):
        raise PermissionDenied(_("Only approval officers assign applications."))
    if officer is not None and not officer.has_role(Role.OFFICER):
        raise ValidationError({"officer": _("Assign the application to an approval officer.")})
    with transaction.atomic():
        application = TravelApplication.objects.select_for_update().get(pk=application.pk)
        previous = application.assigned_officer
        application.assigned_officer = officer
        application.save(update_fields=["assigned_officer", "updated_at"])
        record_event(
            actor=actor,
            action="travel_application.assign",
            obj=application,
            data={
                "from": previous.get_username() if previous else None,
                "to": officer.get_username() if officer else None,
            },
        )
        if officer is not None and officer != actor:
            notifying.assigned(application, officer=officer, actor=actor)
    return application
