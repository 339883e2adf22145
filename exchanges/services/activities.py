"""Activities: proposing and changing them, their lifecycle, agenda, reception checklist, documents and
outcomes. Officers plan and record; leaders approve (and may postpone, cancel or close). Every write
locks the activity's row, so of two concurrent requests one wins and the other meets the new state;
nothing changes on any error."""

from datetime import datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foreign_affairs import fsm
from foreign_affairs.accounts.models import FTZArea, OrganizationKind
from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.services import record_event
from foreign_affairs.documents import attachments
from foreign_affairs.documents.models import DocumentKind
from foreign_affairs.errors import StateConflict

from .. import notifying
from ..models import (
    Activity,
    ActivityDocument,
    ActivityDocumentKind,
    AgendaItem,
    Agreement,
    ChecklistItem,
    ChecklistKind,
    Coverage,
    FollowUp,
    MediaRequest,
)
from ..workflow import ACTIVITY_TRANSITIONS, HELD_STATES, Direction, Focus, MediaState, State
from .common import apply, full_clean, is_officer, next_reference, require_officer, save_relations

FIELDS = [
    "kind",
    "direction",
    "title_zh",
    "title_en",
    "summary_zh",
    "summary_en",
    "ftz_areas",
    "starts_on",
    "ends_on",
    "city",
    "venue",
    "country",
    "foreign_organisation",
    "head_name",
    "head_title",
    "head_rank",
    "members",
    "delegation_size",
    "hosts",
    "zone_presented",
    "briefing_by",
    "materials",
    "enterprises_visited",
    "focus",
    "outcome_summary_zh",
    "outcome_summary_en",
    "friendship_city",
    "public",
    "owner",
]
CODE_SETS = {"ftz_areas": FTZArea.values, "focus": Focus.values}
CONDITION_ERRORS = {
    "has_outcomes": (
        "outcomes_missing",
        gettext_lazy("Write down the outcomes first (in Chinese or in English): what came of the activity."),
    ),
    "has_started": ("not_started", gettext_lazy("An activity is recorded as held from its first day on.")),
    "is_in_future": (
        "dates_past",
        gettext_lazy("Give the activity new dates first: it is taken up again with dates still to come."),
    ),
}
DOCUMENT_KINDS = dict.fromkeys(ActivityDocumentKind.values, DocumentKind.OTHER)
# The reception plan of an incoming visit starts with these items, in this order.
CHECKLIST = [
    ChecklistKind.INVITATION,
    ChecklistKind.ARRIVAL,
    ChecklistKind.ACCOMMODATION,
    ChecklistKind.INTERPRETERS,
    ChecklistKind.GIFTS,
    ChecklistKind.SECURITY,
    ChecklistKind.PRESS,
]


def _locked(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


def _apply(activity: Activity, data: dict) -> dict:
    relations, errors = apply(activity, data, FIELDS, code_sets=CODE_SETS)
    if not (activity.title_zh or activity.title_en) and "title_zh" not in errors:
        errors["title_zh"] = [_("Give the activity a title, in Chinese or in English.")]
    if activity.starts_on and activity.ends_on and activity.ends_on < activity.starts_on:
        errors["ends_on"] = [_("The last day cannot be before the first.")]
    if activity.country and activity.country.code == "CN":
        errors["country"] = [_("Choose the foreign party's country or region, not China.")]
    if activity.owner_id and not activity.owner.has_role(Role.OFFICER):
        errors["owner"] = [_("The officer in charge must be an approval officer.")]
    if "enterprises_visited" in relations and any(
        o.kind != OrganizationKind.ENTERPRISE for o in relations["enterprises_visited"]
    ):
        errors["enterprises_visited"] = [_("Choose enterprises of the free trade zone.")]
    full_clean(activity, errors, exclude=["state", "reference", "enterprises_visited", "travel_applications"])
    return relations


def activity_create(*, actor, data: dict) -> Activity:
    """Propose an activity (officers). It starts as proposed, for a leader to approve; an incoming visit
    gets the reception checklist."""
    require_officer(actor, _("Only approval officers propose exchange activities."))
    activity = Activity(created_by=actor)
    relations = _apply(activity, data)
    if activity.owner_id is None:
        activity.owner = actor
    with transaction.atomic():
        activity.reference = next_reference("HNEX", activity.starts_on.year)
        activity.created_at = activity.state_changed_at = timezone.now()
        activity.save()
        save_relations(activity, relations)
        if activity.direction == Direction.INCOMING:
            _checklist_defaults(activity)
        record_event(
            actor=actor,
            action="exchange_activity.create",
            obj=activity,
            to_state=activity.state,
            data={"kind": activity.kind, "direction": activity.direction},
        )
        notifying.activity_proposed(activity, actor=actor)
    return activity


def activity_update(*, activity: Activity, actor, data: dict) -> Activity:
    """Change an activity (officers), in any state but closed or cancelled."""
    require_officer(actor, _("Only approval officers change exchange activities."))
    with transaction.atomic():
        activity = _locked(activity)
        if activity.state in (State.CLOSED, State.CANCELLED):
            raise StateConflict(
                _("A %(state)s activity is no longer changed.") % {"state": activity.get_state_display()},
                state=activity.state,
                available=[],
            )
        before = {f: str(getattr(activity, f)) for f in FIELDS if f != "enterprises_visited"}
        relations = _apply(activity, data)
        activity.save()
        save_relations(activity, relations)
        if activity.direction == Direction.INCOMING and not activity.checklist.exists():
            _checklist_defaults(activity)
        changed = sorted(f for f, v in before.items() if str(getattr(activity, f)) != v) + sorted(relations)
        record_event(actor=actor, action="exchange_activity.update", obj=activity, data={"fields": changed})
    return activity


def activity_run(*, activity: Activity, actor, name: str, comment: str = "") -> Activity:
    """Move the activity along its lifecycle: 403 for a role that may not, 409 from a state that does not
    allow it, 400 for a failed condition (no outcomes when reporting) or a missing reason."""
    with transaction.atomic():
        activity = _locked(activity)
        comment = fsm.check_transition(
            activity,
            actor,
            name,
            info=ACTIVITY_TRANSITIONS,
            condition_errors=CONDITION_ERRORS,
            comment=comment,
        )
        from_state = activity.state
        getattr(activity, name)()
        activity.state_changed_at = timezone.now()
        activity.save()
        record_event(
            actor=actor,
            action=f"exchange_activity.{name}",
            obj=activity,
            from_state=from_state,
            to_state=activity.state,
            comment=comment,
        )
        notifying.activity_moved(activity, name, actor=actor, comment=comment)
    return activity


def _parse_time(value, field: str, errors: dict, index: int):
    if isinstance(value, time):
        return value
    try:
        return datetime.strptime(str(value).strip(), "%H:%M").time()
    except ValueError:
        errors.setdefault(f"agenda.{index}.{field}", []).append(_("Give a time as HH:MM."))
        return None


def agenda_set(*, activity: Activity, actor, items: list[dict]) -> list[AgendaItem]:
    """Replace the agenda with `items` ({day, starts_at, ends_at, title_zh, title_en, place, people}), each
    within the activity's dates."""
    require_officer(actor, _("Only approval officers change the agenda."))
    with transaction.atomic():
        activity = _locked(activity)
        errors: dict = {}
        built = []
        for index, raw in enumerate(items or []):
            item = AgendaItem(activity=activity)
            _relations, item_errors = apply(item, raw, ["day", "title_zh", "title_en", "place", "people"])
            for field, messages in item_errors.items():
                errors[f"agenda.{index}.{field}"] = messages
            item.starts_at = _parse_time(raw.get("starts_at"), "starts_at", errors, index)
            ends = raw.get("ends_at")
            item.ends_at = _parse_time(ends, "ends_at", errors, index) if ends not in (None, "") else None
            if not (item.title_zh or item.title_en):
                errors.setdefault(f"agenda.{index}.title_zh", []).append(_("Say what happens."))
            if item.day and not (activity.starts_on <= item.day <= activity.ends_on):
                errors.setdefault(f"agenda.{index}.day", []).append(
                    _("The day must be within the activity's dates.")
                )
            if item.day is None:
                errors.setdefault(f"agenda.{index}.day", []).append(_("Give the day."))
            if item.starts_at and item.ends_at and item.ends_at <= item.starts_at:
                errors.setdefault(f"agenda.{index}.ends_at", []).append(_("It must end after it starts."))
            built.append(item)
        if errors:
            raise ValidationError(errors)
        activity.agenda.all().delete()
        AgendaItem.objects.bulk_create(built)
        record_event(actor=actor, action="exchange_activity.agenda", obj=activity, data={"items": len(built)})
    return list(activity.agenda.all())


def _checklist_defaults(activity: Activity) -> None:
    ChecklistItem.objects.bulk_create(
        ChecklistItem(activity=activity, kind=kind, order=index) for index, kind in enumerate(CHECKLIST)
    )


def checklist_add(*, activity: Activity, actor, label: str) -> ChecklistItem:
    """An item of the officer's own on the reception checklist."""
    require_officer(actor, _("Only approval officers change the reception checklist."))
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": [_("Say what is to be done.")]})
    with transaction.atomic():
        activity = _locked(activity)
        order = (activity.checklist.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        item = ChecklistItem.objects.create(
            activity=activity, kind=ChecklistKind.OTHER, label=label[:200], order=order
        )
        record_event(
            actor=actor, action="exchange_activity.checklist", obj=activity, data={"added": label[:200]}
        )
    return item


def checklist_update(*, item: ChecklistItem, actor, data: dict) -> ChecklistItem:
    """Assign an item, give it a due date and a note, or tick it (`done`: true) and untick it. The person
    it is assigned to is told."""
    require_officer(actor, _("Only approval officers change the reception checklist."))
    with transaction.atomic():
        activity = _locked(item.activity)
        item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
        previous_assignee = item.assignee_id
        _relations, errors = apply(item, data, ["assignee", "due_on", "note"])
        if item.assignee_id and not item.assignee.is_office_staff:
            errors["assignee"] = [_("Assign the item to a member of the office.")]
        full_clean(item, errors, exclude=["activity", "done_by"])
        if "done" in data:
            done = data["done"] in (True, "true", "on", "1", 1)
            if done and item.done_at is None:
                item.done_at, item.done_by = timezone.now(), actor
            elif not done:
                item.done_at, item.done_by = None, None
        item.save()
        record_event(
            actor=actor,
            action="exchange_activity.checklist",
            obj=activity,
            data={"item": item.kind if item.kind != ChecklistKind.OTHER else item.label, "done": item.done},
        )
        if item.assignee_id and item.assignee_id != previous_assignee:
            notifying.checklist_assigned(item, actor=actor)
    return item


def document_add(*, activity: Activity, actor, kind: str, uploaded_file) -> ActivityDocument:
    require_officer(actor, _("Only approval officers attach documents to activities."))
    with transaction.atomic():
        activity = _locked(activity)
        return attachments.attachment_add(
            case=activity,
            model=ActivityDocument,
            kind=kind,
            uploaded_file=uploaded_file,
            actor=actor,
            kinds=DOCUMENT_KINDS,
            action="exchange_activity.attach",
        )


def document_remove(*, attachment: ActivityDocument, actor) -> None:
    require_officer(actor, _("Only approval officers remove documents of activities."))
    with transaction.atomic():
        _locked(attachment.application)
        attachments.attachment_remove(attachment=attachment, actor=actor, action="exchange_activity.detach")


def _require_outcome_time(activity: Activity) -> None:
    if activity.state not in (State.CONFIRMED, *HELD_STATES):
        raise StateConflict(
            _("Outcomes are recorded once the activity is confirmed."), state=activity.state, available=[]
        )


def agreement_add(*, activity: Activity, actor, data: dict) -> Agreement:
    """An agreement or memorandum signed, with its document (one of the activity's, optional)."""
    require_officer(actor, _("Only approval officers record agreements."))
    with transaction.atomic():
        activity = _locked(activity)
        _require_outcome_time(activity)
        agreement = Agreement(activity=activity)
        _relations, errors = apply(agreement, data, ["kind", "title", "parties", "signed_on", "document"])
        if agreement.document_id and agreement.document.application_id != activity.pk:
            errors["document"] = [_("Choose one of this activity's documents.")]
        if agreement.signed_on and agreement.signed_on > timezone.localdate():
            errors["signed_on"] = [_("The date of signing cannot be in the future.")]
        full_clean(agreement, errors, exclude=["activity"])
        agreement.save()
        record_event(
            actor=actor, action="exchange_activity.agreement", obj=activity, data={"title": agreement.title}
        )
    return agreement


def follow_up_add(*, activity: Activity, actor, data: dict) -> FollowUp:
    require_officer(actor, _("Only approval officers add follow-up tasks."))
    with transaction.atomic():
        activity = _locked(activity)
        _require_outcome_time(activity)
        follow_up = FollowUp(activity=activity)
        _relations, errors = apply(follow_up, data, ["task", "owner", "due_on"])
        if follow_up.owner_id and not follow_up.owner.is_office_staff:
            errors["owner"] = [_("The owner must be a member of the office.")]
        full_clean(follow_up, errors, exclude=["activity"])
        follow_up.save()
        record_event(
            actor=actor,
            action="exchange_activity.follow_up",
            obj=activity,
            data={"task": follow_up.task[:100]},
        )
        notifying.follow_up_assigned(follow_up, actor=actor)
    return follow_up


def follow_up_done(*, follow_up: FollowUp, actor) -> FollowUp:
    """The owner or an officer ticks a follow-up task done (again: no change)."""
    if not (is_officer(actor) or (actor is not None and actor.pk == follow_up.owner_id)):
        raise PermissionDenied(_("Only the owner or an approval officer completes a follow-up task."))
    with transaction.atomic():
        activity = _locked(follow_up.activity)
        follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if follow_up.done_at is None:
            follow_up.done_at = timezone.now()
            follow_up.save(update_fields=["done_at"])
            record_event(
                actor=actor,
                action="exchange_activity.follow_up_done",
                obj=activity,
                data={"task": follow_up.task[:100]},
            )
    return follow_up


def coverage_add(*, actor, data: dict, activity: Activity | None = None, media_request=None) -> Coverage:
    """A report in the press about an activity or an interview."""
    require_officer(actor, _("Only approval officers record coverage."))
    with transaction.atomic():
        coverage = Coverage(activity=activity, media_request=media_request)
        _relations, errors = apply(coverage, data, ["url", "outlet", "title", "published_on"])
        if coverage.url and not coverage.url.lower().startswith(("http://", "https://")):
            errors["url"] = [_("Give a web address starting with http:// or https://.")]
        full_clean(coverage, errors, exclude=["activity", "media_request"])
        if activity is not None:
            _locked(activity)
        if media_request is not None:
            media_request = MediaRequest.objects.select_for_update().get(pk=media_request.pk)
            if media_request.state == MediaState.DECLINED:
                raise StateConflict(
                    _("A declined request has no coverage."), state=media_request.state, available=[]
                )
        coverage.save()
        record_event(
            actor=actor,
            action="exchange_activity.coverage" if activity is not None else "media_request.coverage",
            obj=activity or media_request,
            data={"url": coverage.url},
        )
    return coverage


def application_link(*, activity: Activity, actor, application, linked: bool = True) -> Activity:
    """Link an outgoing delegation's travel application to the activity (or unlink it): the activity points
    at the application, it copies nothing."""
    require_officer(actor, _("Only approval officers link travel applications."))
    with transaction.atomic():
        activity = _locked(activity)
        if linked:
            activity.travel_applications.add(application)
        else:
            activity.travel_applications.remove(application)
        record_event(
            actor=actor,
            action="exchange_activity.link_application" if linked else "exchange_activity.unlink_application",
            obj=activity,
            data={"application": application.reference},
        )
    return activity
