"""Change requests and closure: filed by the organisation, in force in the registry once an officer
approves them (services.registry keeps the old values in the history)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from foreign_affairs import fsm
from foreign_affairs.accounts.models import FTZArea, Person
from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.validators import normalize_passport_number, validate_passport_number
from foreign_affairs.audit.services import record_event
from foreign_affairs.errors import StateConflict

from .. import notifying
from ..models import ChangeRequest, ForeignOrganisation
from ..workflow import CHANGE_TRANSITIONS, ChangeKind, ChangeState, OrganisationState
from . import registry

# What each kind of request proposes (the keys of ChangeRequest.proposed).
PROPOSAL_FIELDS = {
    ChangeKind.CHIEF_REPRESENTATIVE: ("full_name", "passport_number", "passport_expiry", "position"),
    ChangeKind.ADDRESS: ("address", "ftz_area"),
    ChangeKind.NAME: ("name", "name_zh"),
    ChangeKind.STAFF: ("staff_foreign", "staff_local"),
    ChangeKind.CLOSURE: ("closing_on",),
}
# The registry fields a request changes, whose values at filing the approval compares with today's.
REGISTRY_FIELDS = {
    ChangeKind.CHIEF_REPRESENTATIVE: ("chief_representative",),
    ChangeKind.ADDRESS: ("address", "ftz_area"),
    ChangeKind.NAME: ("name", "name_zh"),
    ChangeKind.STAFF: ("staff_foreign", "staff_local"),
    ChangeKind.CLOSURE: ("state",),
}


# The proposed values that are a person's data: kept in the request (the passport number encrypted,
# models.fields), never in the audit log, which is append-only (the event names the fields only).
PERSONAL_FIELDS = ("full_name", "passport_number", "passport_expiry")


def _without_personal_data(proposed: dict) -> dict:
    return {field: "…" if field in PERSONAL_FIELDS else value for field, value in proposed.items()}


def _is_member(organisation, actor) -> bool:
    member = getattr(actor, "organization", None) if actor is not None and actor.is_authenticated else None
    return member is not None and member.pk == organisation.account_id


REGISTRY_FIELDS_ALL = sorted({field for fields in REGISTRY_FIELDS.values() for field in fields})


def _current(organisation) -> dict:
    return {field: registry.field_text(getattr(organisation, field)) for field in REGISTRY_FIELDS_ALL}


def _count(value, field: str, errors: dict) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = [_("Give a whole number.")]
        return None
    if not 0 <= number <= 100000:
        errors[field] = [_("Give a number between 0 and 100000.")]
        return None
    return number


def _date(value, field: str, errors: dict) -> date | None:
    if isinstance(value, date):
        return value
    parsed = parse_date(str(value or "").strip()) if value else None
    if parsed is None:
        errors[field] = [_("Give a date as YYYY-MM-DD.")]
    return parsed


def clean_proposal(organisation: ForeignOrganisation, kind: str, proposed: dict) -> dict:
    """The proposal's values for `kind`, checked (ValidationError with field errors)."""
    if kind not in ChangeKind.values:
        raise ValidationError({"kind": _("Choose what changes.")})
    proposed = proposed or {}
    clean, errors = {}, {}
    for field in PROPOSAL_FIELDS[kind]:
        value = proposed.get(field, "")
        clean[field] = value.strip() if isinstance(value, str) else value
    if kind == ChangeKind.CHIEF_REPRESENTATIVE:
        if not clean["full_name"]:
            errors["full_name"] = [_("Give the new chief representative's name.")]
        elif len(clean["full_name"]) > 100:
            errors["full_name"] = [_("A name holds at most 100 characters.")]
        clean["position"] = (clean.get("position") or "")[:100]
        number = normalize_passport_number(clean["passport_number"] or "")
        try:
            validate_passport_number(number)
        except ValidationError as error:
            errors["passport_number"] = error.messages
        if not number:
            errors["passport_number"] = [_("Give the passport number.")]
        clean["passport_number"] = number
        expiry = _date(clean["passport_expiry"], "passport_expiry", errors)
        if expiry is not None and expiry <= timezone.localdate():
            errors["passport_expiry"] = [_("The passport has expired.")]
        clean["passport_expiry"] = expiry.isoformat() if expiry else ""
    elif kind == ChangeKind.ADDRESS:
        if not clean["address"]:
            errors["address"] = [_("Give the new address.")]
        elif len(clean["address"]) > 300:
            errors["address"] = [_("An address holds at most 300 characters.")]
        clean["ftz_area"] = clean["ftz_area"] or organisation.ftz_area
        if clean["ftz_area"] not in FTZArea.values:
            errors["ftz_area"] = [_("Choose an area of the free trade zone, or outside it.")]
        if clean["address"] == organisation.address and clean["ftz_area"] == organisation.ftz_area:
            errors["address"] = [_("This is the address in the registry already.")]
    elif kind == ChangeKind.NAME:
        clean["name"] = clean["name"] or organisation.name
        clean["name_zh"] = clean["name_zh"] or organisation.name_zh
        for field in ("name", "name_zh"):
            if len(clean[field]) > 200:
                errors[field] = [_("A name holds at most 200 characters.")]
        if clean["name"] == organisation.name and clean["name_zh"] == organisation.name_zh:
            errors["name"] = [_("These are the names in the registry already.")]
    elif kind == ChangeKind.STAFF:
        for field in ("staff_foreign", "staff_local"):
            clean[field] = _count(clean[field], field, errors)
        if not errors and (clean["staff_foreign"], clean["staff_local"]) == (
            organisation.staff_foreign,
            organisation.staff_local,
        ):
            errors["staff_foreign"] = [_("These are the numbers in the registry already.")]
    elif kind == ChangeKind.CLOSURE:
        closing = _date(clean["closing_on"], "closing_on", errors)
        if closing is not None and organisation.registered_on and closing < organisation.registered_on:
            errors["closing_on"] = [_("The office cannot close before it was registered.")]
        clean["closing_on"] = closing.isoformat() if closing else ""
    if errors:
        raise ValidationError(errors)
    return clean


def change_submit(
    *, organisation: ForeignOrganisation, actor, kind: str, proposed: dict, reason: str = ""
) -> ChangeRequest:
    """File a request (the organisation's members). 409 for a closed organisation or a request of the same
    kind still waiting; 400 for a proposal that changes nothing or is incomplete; closure needs a reason."""
    if not (_is_member(organisation, actor) or actor.has_role(Role.OFFICER)):
        raise PermissionDenied(_("Only the organisation itself files change requests."))
    reason = (reason or "").strip()
    if len(reason) > 5000:
        raise ValidationError({"reason": _("The reason holds at most 5000 characters.")})
    if kind == ChangeKind.CLOSURE and not reason:
        raise ValidationError({"reason": _("Say why the office closes.")})
    with transaction.atomic():
        organisation = ForeignOrganisation.objects.select_for_update().get(pk=organisation.pk)
        if organisation.state == OrganisationState.CLOSED:
            raise StateConflict(
                _("The organisation is closed; its registry entry no longer changes."),
                state=organisation.state,
                available=[],
            )
        waiting = ChangeRequest.objects.filter(
            organisation=organisation, kind=kind, state=ChangeState.SUBMITTED
        )
        if waiting.exists():
            raise StateConflict(
                _("A request of this kind is already waiting for the office; withdraw it to file another."),
                state=ChangeState.SUBMITTED,
                available=[],
            )
        request = ChangeRequest(
            organisation=organisation,
            kind=kind,
            proposed=clean_proposal(organisation, kind, proposed),
            current=_current(organisation),
            reason=reason,
            submitted_by=actor,
        )
        if kind == ChangeKind.CLOSURE:
            request.effective_on = parse_date(request.proposed["closing_on"])
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError:
            raise StateConflict(
                _("A request of this kind is already waiting for the office; withdraw it to file another."),
                state=ChangeState.SUBMITTED,
                available=[],
            ) from None
        record_event(
            actor=actor,
            action="change_request.submit",
            obj=request,
            to_state=request.state,
            data={"kind": kind, "proposed": _without_personal_data(request.proposed)},
        )
        notifying.change_filed(request, actor=actor)
    return request


def _chief_representative(organisation: ForeignOrganisation, proposed: dict) -> Person:
    """The person the request names, found in the organisation's account by passport number or added."""
    person = Person.objects.filter(
        organization_id=organisation.account_id, passport_number=proposed["passport_number"]
    ).first()
    if person is None:
        person = Person(
            organization_id=organisation.account_id,
            full_name=proposed["full_name"],
            passport_number=proposed["passport_number"],
            passport_expiry=parse_date(proposed["passport_expiry"]),
            position=proposed.get("position") or "",
        )
        person.full_clean(exclude=["passport_type"])
        person.save()
    return person


def change_transition(*, request: ChangeRequest, actor, name: str, comment: str = "") -> ChangeRequest:
    """approve (an officer: the registry changes now) / reject (an officer, with the reason) / withdraw (the
    organisation). Approving a request whose fields changed in the registry since it was filed is refused
    (409): the officer rejects it and the organisation files a new one."""
    with transaction.atomic():
        request = ChangeRequest.objects.select_for_update().select_related("organisation").get(pk=request.pk)
        comment = fsm.check_transition(
            request, actor, name, info=CHANGE_TRANSITIONS, condition_errors={}, comment=comment
        )
        organisation = ForeignOrganisation.objects.select_for_update().get(pk=request.organisation_id)
        if name == "approve":
            if organisation.state == OrganisationState.CLOSED:
                raise StateConflict(
                    _("The organisation is closed; its registry entry no longer changes."),
                    state=request.state,
                    available=["reject"],
                )
            now = _current(organisation)
            stale = [f for f in REGISTRY_FIELDS[request.kind] if request.current.get(f, now[f]) != now[f]]
            if stale:
                raise StateConflict(
                    _(
                        "The registry has changed since this request was filed; reject it and ask for a new one."
                    ),
                    state=request.state,
                    available=["reject"],
                )
        previous = request.state
        getattr(request, name)()
        if name in ("approve", "reject"):
            request.decided_by = actor
        request.comment = comment
        request.save()
        if name == "approve":
            _apply(request, organisation, actor)
        record_event(
            actor=actor,
            action=f"change_request.{name}",
            obj=request,
            from_state=previous,
            to_state=request.state,
            comment=comment,
        )
        notifying.change_transition_done(request, name, actor=actor, comment=comment)
    return request


def _apply(request: ChangeRequest, organisation: ForeignOrganisation, actor) -> None:
    proposed = request.proposed
    if request.kind == ChangeKind.CLOSURE:
        registry.organisation_transition(
            organisation=organisation,
            actor=actor,
            name="close",
            comment=request.reason,
            change_request=request,
            closed_on=parse_date(proposed["closing_on"]),
        )
        return
    if request.kind == ChangeKind.CHIEF_REPRESENTATIVE:
        data = {"chief_representative": _chief_representative(organisation, proposed)}
    else:
        data = {field: proposed[field] for field in PROPOSAL_FIELDS[request.kind]}
    registry.organisation_update(
        organisation=organisation,
        actor=actor,
        data=data,
        change_request=request,
        fields=list(REGISTRY_FIELDS[request.kind]),
    )


def available_transitions(request: ChangeRequest, user) -> list[str]:
    return fsm.available_transitions(request, user)
