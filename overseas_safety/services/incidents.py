"""Incidents: report, people affected, timeline, documents, the state machine and escalation.

Every write locks the incident row, so of two concurrent requests one wins and the other meets the new
state; nothing changes on any error.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foreign_affairs import fsm, typography
from foreign_affairs.accounts.models import Person
from foreign_affairs.audit.services import record_event
from foreign_affairs.documents import attachments
from foreign_affairs.documents.models import DocumentKind
from foreign_affairs.errors import StateConflict
from foreign_affairs.security.countries import validate_destination

from .. import notifying
from ..models import (
    AffectedPerson,
    AttachmentKind,
    Counter,
    Incident,
    IncidentAttachment,
    Site,
    TimelineEntry,
)
from ..workflow import ACTIVE_STATES, GRAVE_LEVELS, OPEN_STATES, TRANSITIONS, PersonStatus, Source, State
from .duty import ack_due_at, duty_officer_on

# What a report may set, from the form or the API (besides people, trip and site).
INCIDENT_FIELDS = [
    "title",
    "kind",
    "level",
    "country",
    "city",
    "occurred_at",
    "description",
    "reporter_name",
    "reporter_phone",
]
ATTACHMENT_DOCUMENT_KIND = dict.fromkeys(AttachmentKind.values, DocumentKind.OTHER)
CONDITION_ERRORS = {
    "has_no_open_checklist_step": (
        "checklist_open",
        gettext_lazy(
            "Tick every step of the plan's checklist first, or say in the timeline why one was skipped."
        ),
    ),
    "has_merge_target": ("merge_target_missing", gettext_lazy("Choose the report this one duplicates.")),
}
# Two reports from one organisation of the same kind in the same country within this many hours are
# taken for the same incident: the second is refused, naming the first.
DUPLICATE_WINDOW_HOURS = 24


class DuplicateIncident(StateConflict):
    """A report of an incident already reported and still open (409, naming the first report)."""

    def __init__(self, existing: Incident):
        super().__init__(
            _(
                "This incident seems to be reported already as %(reference)s (same kind, country and day). "
                "Add what you know to its timeline instead."
            )
            % {"reference": existing.reference},
            state=existing.state,
            available=[],
        )
        self.existing = existing


def next_reference(year: int) -> str:
    counter, _created = Counter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"HNAS-{year}-{counter.last:05d}"


def _is_member(organization_id, user) -> bool:
    organization = getattr(user, "organization", None)
    return organization is not None and organization.pk == organization_id


def may_report(user, organization) -> bool:
    return user.is_authenticated and (user.has_role("Officer") or _is_member(organization.pk, user))


def may_follow(incident: Incident, user) -> bool:
    """Whether the user may add to the timeline and the people affected (its organisation, or an officer)."""
    return user.is_authenticated and (user.has_role("Officer") or _is_member(incident.organization_id, user))


# Checks of what a report links to --------------------------------------------------------------------------


def _people_of(organization, person_ids) -> list[Person]:
    """The organisation's people among `person_ids`; an id of another organisation's person is refused
    as if unknown (the reporter learns nothing about it)."""
    ids = {int(pk) for pk in person_ids or []}
    people = list(Person.objects.filter(organization=organization, pk__in=ids))
    if len(people) != len(ids):
        raise ValidationError({"people": _("Choose people of your organisation only.")})
    return people


def _clean_links(incident: Incident, data: dict) -> None:
    if "site" in data:
        site = data["site"]
        if site not in (None, ""):
            site_id = getattr(site, "pk", site)
            site = Site.objects.filter(organization_id=incident.organization_id, pk=site_id).first()
            if site is None:
                raise ValidationError({"site": _("Choose a site of your organisation.")})
        incident.site = site or None
    if "trip" in data:
        trip = data["trip"]
        trip_id = getattr(trip, "pk", trip) or None
        if trip_id is not None:
            from django.apps import apps

            trip = (
                apps.get_model("approvals", "TravelApplication")
                .objects.filter(organization_id=incident.organization_id, pk=trip_id)
                .first()
            )
            if trip is None:
                raise ValidationError({"trip": _("Choose a trip of your organisation.")})
        incident.trip_id = trip_id


def _apply(incident: Incident, data: dict) -> None:
    for field in INCIDENT_FIELDS:
        if field in data:
            setattr(incident, field, data[field] if data[field] is not None else "")
    errors = {}
    if "country" in data:
        try:
            validate_destination(incident.country.code if incident.country else "")
        except ValidationError as error:
            errors["country"] = error.messages
    if incident.occurred_at and incident.occurred_at > timezone.now() + timedelta(minutes=5):
        errors["occurred_at"] = [_("The time it happened cannot be in the future.")]
    elif (
        "occurred_at" in data
        and incident.occurred_at
        and incident.occurred_at < timezone.now() - timedelta(days=366)
    ):
        # An incident is reported as it happens; a date years back is a typing slip (and a year like 0088
        # has no modern time-zone offset to print it with).
        errors["occurred_at"] = [_("The time it happened must be within the last year.")]
    if errors:
        raise ValidationError(errors)
    _clean_links(incident, data)
    incident.full_clean(
        exclude=[
            "state",
            "organization",
            "reported_by",
            "duty_officer",
            "merged_into",
            "trip",
            "site",
            "reference",
        ]
    )


def find_duplicate(incident: Incident) -> Incident | None:
    window = timedelta(hours=DUPLICATE_WINDOW_HOURS)
    return (
        Incident.objects.filter(
            organization_id=incident.organization_id,
            kind=incident.kind,
            country=incident.country,
            state__in=OPEN_STATES,
            occurred_at__gte=incident.occurred_at - window,
            occurred_at__lte=incident.occurred_at + window,
        )
        .exclude(pk=incident.pk)
        .order_by("reported_at")
        .first()
    )


# Writing ---------------------------------------------------------------------------------------------------


def incident_report(
    *, actor, organization, data: dict, source: str | None = None, alert_answer=None
) -> Incident:
    """Record a new incident of `organization` (an enterprise's report, or an officer's from a call).

    `data`: title, kind, level, country, city, occurred_at, description, reporter_name, reporter_phone,
    site, trip, people ([person ids], status unknown until said), and `statuses` ({person id: status}).
    A second open report of the same organisation, kind and country within a day is refused
    (DuplicateIncident, 409) unless the actor is an officer and says `allow_duplicate`. Goes to today's
    duty officer at once; the acknowledgement deadline starts now.
    """
    if actor is not None and not may_report(actor, organization):
        raise PermissionDenied(_("Only the organisation's staff or an officer report an incident."))
    if source is None:
        source = Source.CALL if actor is not None and actor.is_office_staff else Source.ENTERPRISE
    incident = Incident(
        organization=organization, reported_by=actor, source=source, alert_answer=alert_answer
    )
    _apply(incident, data)
    people = _people_of(organization, data.get("people"))
    statuses = {int(k): v for k, v in (data.get("statuses") or {}).items()}
    bad = [v for v in statuses.values() if v not in PersonStatus.values]
    if bad:
        raise ValidationError({"statuses": _("Unknown status: %(status)s.") % {"status": bad[0]}})
    with transaction.atomic():
        # Each "need help" answer to an alert is one person's call for help: never a duplicate of another's.
        duplicate = find_duplicate(incident) if alert_answer is None else None
        if duplicate is not None and not (data.get("allow_duplicate") and actor and actor.is_office_staff):
            raise DuplicateIncident(duplicate)
        now = timezone.now()
        incident.reported_at = now
        incident.state_changed_at = now
        incident.ack_due_at = ack_due_at(incident.level, now)
        incident.duty_officer = duty_officer_on(timezone.localdate())
        incident.reference = next_reference(timezone.localdate().year)
        incident.save(force_insert=True)
        AffectedPerson.objects.bulk_create(
            [
                AffectedPerson(incident=incident, person=p, status=statuses.get(p.pk, PersonStatus.UNKNOWN))
                for p in people
            ]
        )
        TimelineEntry.objects.create(
            incident=incident, at=now, author=actor, text="", action="incident.report"
        )
        record_event(
            actor=actor,
            action="incident.report",
            obj=incident,
            to_state=incident.state,
            data={"level": incident.level, "kind": incident.kind, "country": incident.country.code},
        )
        notifying.incident_reported(incident, actor=actor)
    return incident


def _locked(incident: Incident) -> Incident:
    return (
        Incident.objects.select_for_update(of=("self",))
        .select_related("organization", "merged_into")
        .get(pk=incident.pk)
    )


def incident_update(*, incident: Incident, actor, data: dict) -> Incident:
    """Correct the report (officers; the organisation while nobody has acknowledged it)."""
    with transaction.atomic():
        incident = _locked(incident)
        editable = actor.has_role("Officer") and incident.state in ACTIVE_STATES
        editable = editable or (
            _is_member(incident.organization_id, actor) and incident.state == State.REPORTED
        )
        if not may_follow(incident, actor):
            raise Http404
        if not editable:
            raise StateConflict(
                _("The report can be changed by the organisation only until the office acknowledges it."),
                state=incident.state,
                available=fsm.available_transitions(incident, actor),
            )
        _apply(incident, data)
        incident.save()
        record_event(
            actor=actor,
            action="incident.update",
            obj=incident,
            data={"fields": sorted(set(data) & {*INCIDENT_FIELDS, "site", "trip"})},
        )
    return incident


def _require_active(incident: Incident, actor) -> None:
    if not may_follow(incident, actor):
        raise Http404
    if incident.state not in ACTIVE_STATES:
        raise StateConflict(
            _("The incident is %(state)s; nothing more can be added.")
            % {"state": incident.get_state_display()},
            state=incident.state,
            available=fsm.available_transitions(incident, actor),
        )


def timeline_add(*, incident: Incident, actor, text: str, at=None, files=()) -> TimelineEntry:
    """Append what was done (and its documents) to the timeline. `at` defaults to now; it may be earlier
    (a call taken an hour ago) but not in the future nor before the incident happened."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Say what was done.")})
    now = timezone.now()
    at = at or now
    with transaction.atomic():
        incident = _locked(incident)
        _require_active(incident, actor)
        if at > now + timedelta(minutes=5):
            raise ValidationError({"at": _("The time cannot be in the future.")})
        if at < incident.occurred_at - timedelta(days=1):
            raise ValidationError({"at": _("The time cannot be before the incident happened.")})
        entry = TimelineEntry.objects.create(incident=incident, at=at, author=actor, text=text[:5000])
        for uploaded in files:
            attachment = attachments.attachment_add(
                case=incident,
                model=IncidentAttachment,
                kind=AttachmentKind.OTHER,
                uploaded_file=uploaded,
                actor=actor,
                kinds=ATTACHMENT_DOCUMENT_KIND,
                action="incident.attach",
            )
            attachment.entry = entry
            attachment.save(update_fields=["entry"])
        record_event(actor=actor, action="incident.note", obj=incident, data={"entry": entry.pk})
        notifying.timeline_added(incident, entry, actor=actor)
    return entry


def attachment_add(*, incident: Incident, actor, kind: str, uploaded_file) -> IncidentAttachment:
    with transaction.atomic():
        incident = _locked(incident)
        _require_active(incident, actor)
        return attachments.attachment_add(
            case=incident,
            model=IncidentAttachment,
            kind=kind,
            uploaded_file=uploaded_file,
            actor=actor,
            kinds=ATTACHMENT_DOCUMENT_KIND,
            action="incident.attach",
        )


def person_set(*, incident: Incident, actor, person, status: str, note: str = "") -> AffectedPerson:
    """Add a person of the incident's organisation, or change their status."""
    if status not in PersonStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    with transaction.atomic():
        incident = _locked(incident)
        _require_active(incident, actor)
        person_id = getattr(person, "pk", person)
        if not Person.objects.filter(pk=person_id, organization_id=incident.organization_id).exists():
            raise ValidationError({"person": _("Choose a person of the incident's organisation.")})
        row, created = AffectedPerson.objects.select_for_update().get_or_create(
            incident=incident, person_id=person_id, defaults={"status": status, "note": note[:300]}
        )
        previous = None if created else row.status
        if not created:
            row.status, row.note, row.updated_at = status, note[:300] or row.note, timezone.now()
            row.save(update_fields=["status", "note", "updated_at"])
        record_event(
            actor=actor,
            action="incident.person",
            obj=incident,
            data={"person": person_id, "status": status, "previous": previous},
        )
        TimelineEntry.objects.create(
            incident=incident,
            author=actor,
            text=typography.label(row.person.full_name)
            + row.get_status_display()
            + (f" — {note}" if note else ""),
            action="incident.person",
        )
    return row


def available_transitions(incident: Incident, user) -> list[str]:
    return fsm.available_transitions(incident, user)


def incident_transition(
    *, incident: Incident, actor, name: str, comment: str = "", merged_into=None
) -> Incident:
    """Run one transition for `actor`: role (403), state (409), conditions (400), comment (400).

    `merge` needs `merged_into` (another open or resolved incident of the same organisation, by id or
    reference): the people and timeline stay on this report, which then points at the other."""
    with transaction.atomic():
        incident = _locked(incident)
        if name == "merge":
            incident.merged_into = _merge_target(incident, merged_into)
        comment = fsm.check_transition(
            incident, actor, name, info=TRANSITIONS, condition_errors=CONDITION_ERRORS, comment=comment
        )
        previous = incident.state
        getattr(incident, name)()
        now = timezone.now()
        incident.state_changed_at = now
        if name == "acknowledge":
            incident.acknowledged_by = actor
            incident.duty_officer = actor
        incident.save()
        TimelineEntry.objects.create(
            incident=incident,
            at=now,
            author=actor,
            text=comment,
            action=f"incident.{name}",
        )
        record_event(
            actor=actor,
            action=f"incident.{name}",
            obj=incident,
            from_state=previous,
            to_state=incident.state,
            comment=comment,
            data={"merged_into": incident.merged_into.reference} if name == "merge" else {},
        )
        notifying.transition_done(incident, name, actor=actor, comment=comment)
    return incident


def _merge_target(incident: Incident, target) -> Incident | None:
    if target in (None, ""):
        return None
    query = Incident.objects.exclude(pk=incident.pk).exclude(state=State.MERGED)
    if isinstance(target, Incident):
        target = target.pk
    if isinstance(target, str) and not target.isdigit():
        found = query.filter(reference=target.strip().upper()).first()
    else:
        found = query.filter(pk=int(target)).first()
    if found is None or found.organization_id != incident.organization_id:
        raise ValidationError({"merged_into": _("Choose another report of the same organisation.")})
    return found


def incident_assign(*, incident: Incident, actor, officer) -> Incident:
    """Hand the incident to another officer (the officer in charge)."""
    if not actor.has_role("Officer"):
        raise PermissionDenied(_("Only officers assign incidents."))
    if officer is None or not officer.has_role("Officer"):
        raise ValidationError({"officer": _("Choose an officer.")})
    with transaction.atomic():
        incident = _locked(incident)
        incident.duty_officer = officer
        incident.save(update_fields=["duty_officer", "updated_at"])
        record_event(actor=actor, action="incident.assign", obj=incident, data={"officer": officer.pk})
        notifying.assigned(incident, officer, actor=actor)
    return incident


# Escalation (Celery beat) ----------------------------------------------------------------------------------


def escalate_unacknowledged(*, now=None) -> int:
    """Tell the leaders of every incident still not acknowledged past its deadline — once per incident
    (escalated_at is set under the row lock; a second run, or a concurrent one, finds nothing)."""
    now = now or timezone.now()
    escalated = 0
    due = Incident.objects.filter(state=State.REPORTED, escalated_at__isnull=True, ack_due_at__lt=now)
    for pk in due.values_list("pk", flat=True)[:500]:
        with transaction.atomic():
            incident = (
                Incident.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, state=State.REPORTED, escalated_at__isnull=True)
                .select_related("organization")
                .first()
            )
            if incident is None:
                continue
            incident.escalated_at = now
            incident.save(update_fields=["escalated_at", "updated_at"])
            TimelineEntry.objects.create(
                incident=incident,
                at=now,
                text="",
                action="incident.escalate",
            )
            record_event(
                actor=None,
                action="incident.escalate",
                obj=incident,
                data={"due": incident.ack_due_at.isoformat()},
            )
            notifying.escalated(incident)
            escalated += 1
    return escalated


def is_grave(level: str) -> bool:
    return level in GRAVE_LEVELS


def ack_limit_text(level: str) -> str:
    if is_grave(level):
        return _("%(minutes)d minutes") % {"minutes": settings.OVERSEAS_SAFETY_ACK_MINUTES_GRAVE}
    return _("%(hours)d working hours") % {"hours": settings.OVERSEAS_SAFETY_ACK_WORKING_HOURS}
