"""The registry of foreign organisations: entries made from a case or by the office, every change of a
field kept in FieldChange, the organisation's states, its portal account and its public-listing consent."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from foreign_affairs import fsm
from foreign_affairs.accounts.models import Membership, Organization, OrganizationKind, User
from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.services import membership_save
from foreign_affairs.audit.services import record_event
from foreign_affairs.errors import StateConflict
from foreign_affairs.tasking import enqueue_on_commit

from .. import notifying
from ..models import TRACKED_FIELDS, FieldChange, ForeignOrganisation
from ..workflow import ORGANISATION_TRANSITIONS, OrganisationState

# What an officer may set on an entry directly (corrections; the organisation's own changes come as change
# requests) and what the organisation keeps itself (its public listing).
OFFICE_FIELDS = [
    "name",
    "name_zh",
    "kind",
    "country",
    "parent_organisation",
    "address",
    "ftz_area",
    "authority",
    "registration_number",
    "registered_on",
    "registration_valid_until",
    "opened_on",
    "chief_representative",
    "staff_foreign",
    "staff_local",
    "list_publicly",
    "website",
    "description",
    "description_zh",
]
PUBLIC_PROFILE_FIELDS = ["list_publicly", "website", "description", "description_zh"]


def field_text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return f"{value.pk}:{value}"
    if hasattr(value, "code"):  # a Country
        return value.code or ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _snapshot(organisation: ForeignOrganisation) -> dict[str, str]:
    return {field: field_text(getattr(organisation, field)) for field in TRACKED_FIELDS}


def _record_changes(organisation, before: dict, *, actor, change_request=None, at=None) -> dict:
    """Write a FieldChange for every tracked field that differs from `before`; returns {field: [old, new]}."""
    after = _snapshot(organisation)
    changed = {
        field: [before[field], after[field]] for field in TRACKED_FIELDS if before[field] != after[field]
    }
    at = at or timezone.now()
    FieldChange.objects.bulk_create(
        FieldChange(
            organisation=organisation,
            field=field,
            old_value=old,
            new_value=new,
            changed_at=at,
            changed_by=actor if actor is not None and actor.is_authenticated else None,
            change_request=change_request,
        )
        for field, (old, new) in changed.items()
    )
    return changed


def _require_officer(actor) -> None:
    if not (actor is not None and actor.is_authenticated and actor.has_role(Role.OFFICER)):
        raise PermissionDenied(_("Only approval officers change the registry."))


def _apply(organisation: ForeignOrganisation, data: dict, fields) -> None:
    for field in fields:
        if field in data:
            value = data[field]
            if isinstance(value, str):
                value = value.strip()
            setattr(organisation, field, value)
    if organisation.registration_number:
        organisation.registration_number = organisation.registration_number.strip().upper()
    errors = {}
    if organisation.country and organisation.country.code == "CN":
        errors["country"] = [_("Choose the country the organisation comes from; China is not one.")]
    if (
        organisation.chief_representative_id
        and organisation.account_id
        and organisation.chief_representative.organization_id != organisation.account_id
    ):
        errors["chief_representative"] = [_("Choose a person of this organisation.")]
    if (
        organisation.registration_valid_until
        and organisation.registered_on
        and organisation.registration_valid_until <= organisation.registered_on
    ):
        errors["registration_valid_until"] = [_("The registration must be valid after the day it was given.")]
    if (
        organisation.opened_on
        and organisation.registered_on
        and organisation.opened_on < organisation.registered_on
    ):
        errors["opened_on"] = [_("The office cannot open before it is registered.")]
    if errors:
        raise ValidationError(errors)
    organisation.full_clean(exclude=["state", "account"])


def organisation_create(*, actor, data: dict) -> ForeignOrganisation:
    """The office enters an organisation that set up before the portal (no case)."""
    _require_officer(actor)
    organisation = ForeignOrganisation()
    _apply(organisation, data, OFFICE_FIELDS)
    with transaction.atomic():
        organisation.save()
        if organisation.list_publicly:
            organisation.consent_changed_at = timezone.now()
            organisation.save(update_fields=["consent_changed_at"])
        record_event(
            actor=actor, action="foreign_organisation.create", obj=organisation, to_state=organisation.state
        )
    return organisation


def organisation_from_case(case, *, actor) -> ForeignOrganisation:
    """The entry a case makes when it is registered (called inside the case's transaction)."""
    organisation = ForeignOrganisation(
        name=case.organisation_name,
        name_zh=case.organisation_name_zh or case.organisation_name,
        kind=case.kind,
        country=case.country,
        parent_organisation=case.parent_organisation,
        address=case.address,
        ftz_area=case.preferred_area,
        authority=case.authority,
        registration_number=case.registration_number,
        registered_on=case.registered_on,
        registration_valid_until=case.registration_valid_until,
    )
    if not organisation.address:
        raise ValidationError({"address": _("Give the office's address in Henan first.")})
    if ForeignOrganisation.objects.filter(registration_number=organisation.registration_number).exists():
        raise ValidationError(
            {
                "registration_number": _(
                    "An organisation with this registration number is in the registry already."
                )
            }
        )
    organisation.full_clean(exclude=["state", "account"])
    organisation.save()
    record_event(
        actor=actor,
        action="foreign_organisation.create",
        obj=organisation,
        to_state=organisation.state,
        data={"case": case.reference},
    )
    return organisation


def _username_for(email: str) -> str:
    return email.strip().lower()[:150]


def account_open(
    organisation: ForeignOrganisation, *, contact_name: str, contact_email: str, language: str, actor
):
    """Give a registered organisation its portal account: an organisation of kind "foreign" and a user for
    its contact (the liaison), who is sent a link to set a password. Returns the account; an organisation
    that has one keeps it. ValidationError when the e-mail belongs to an account of someone else's."""
    if organisation.account_id:
        return organisation.account
    if Organization.objects.filter(uscc=organisation.registration_number).exists():
        raise ValidationError(
            {
                "registration_number": _(
                    "A portal organisation with this unified social credit code exists already."
                )
            }
        )
    if Organization.objects.filter(name_zh=organisation.name_zh[:200]).exists():
        raise ValidationError(
            {
                "name_zh": _(
                    "A portal organisation of this Chinese name exists already; correct the registry entry's "
                    "Chinese name first."
                )
            }
        )
    email = (contact_email or "").strip().lower()
    if not email:
        raise ValidationError(
            {"contact_email": _("Give the contact's e-mail address: the account is opened for it.")}
        )
    user = (
        User.objects.filter(username__iexact=_username_for(email)).first()
        or User.objects.filter(email__iexact=email).first()
    )
    if user is not None and (Membership.objects.filter(user=user).exists() or user.is_office_staff):
        raise ValidationError(
            {"contact_email": _("This e-mail address belongs to another organisation's account.")}
        )
    account = Organization.objects.create(
        name_zh=organisation.name_zh[:200],
        name_en=organisation.name[:200],
        uscc=organisation.registration_number,
        ftz_area=organisation.ftz_area,
        kind=OrganizationKind.FOREIGN,
        address=organisation.address,
        contact_name=contact_name[:100],
        contact_email=email,
    )
    if user is None:
        first, _space, last = contact_name.strip().partition(" ")
        user = User(
            username=_username_for(email),
            email=email,
            first_name=first[:150],
            last_name=last[:150],
            preferred_language=language if language in ("en", "zh-hans") else "en",
        )
        # A password nobody knows (not an unusable one: Django's reset sends no link to such an account);
        # the contact sets their own from the invitation.
        user.set_password(secrets.token_urlsafe(32))
        user.save()
    membership_save(membership=Membership(user=user, organization=account, is_liaison=True), actor=actor)
    organisation.account = account
    organisation.save(update_fields=["account", "updated_at"])
    record_event(
        actor=actor,
        action="foreign_organisation.account",
        obj=organisation,
        data={"account": account.pk, "user": user.get_username()},
    )
    enqueue_on_commit("accounts.send_password_reset", email, user.preferred_language)
    return account


def organisation_opened(organisation: ForeignOrganisation, *, opened_on, actor, case) -> ForeignOrganisation:
    """A registered case opened: the date goes into the registry and the contact gets the account."""
    organisation = ForeignOrganisation.objects.select_for_update().get(pk=organisation.pk)
    before = _snapshot(organisation)
    organisation.opened_on = opened_on
    if case.address and case.address != organisation.address:
        organisation.address = case.address
    organisation.save()
    _record_changes(organisation, before, actor=actor)
    with translation.override(case.language):
        account_open(
            organisation,
            contact_name=case.contact_name,
            contact_email=case.contact_email,
            language=case.language,
            actor=actor,
        )
    return organisation


def _locked(organisation: ForeignOrganisation) -> ForeignOrganisation:
    return ForeignOrganisation.objects.select_for_update().get(pk=organisation.pk)


def organisation_update(
    *, organisation: ForeignOrganisation, actor, data: dict, change_request=None, fields=None
) -> ForeignOrganisation:
    """Change registry fields; every changed field keeps its old value in the history. Officers change any
    of OFFICE_FIELDS (corrections); an approved change request changes its own fields (`fields`)."""
    if change_request is None:
        _require_officer(actor)
    with transaction.atomic():
        organisation = _locked(organisation)
        if organisation.state == OrganisationState.CLOSED and change_request is None:
            raise StateConflict(
                _("A closed organisation's entry is kept as it was."), state=organisation.state, available=[]
            )
        before = _snapshot(organisation)
        _apply(organisation, data, fields or OFFICE_FIELDS)
        if before["list_publicly"] != field_text(organisation.list_publicly):
            organisation.consent_changed_at = timezone.now()
        organisation.save()
        changed = _record_changes(organisation, before, actor=actor, change_request=change_request)
        if changed:
            record_event(
                actor=actor,
                action="foreign_organisation.update",
                obj=organisation,
                data={"changed": changed, "change_request": change_request.pk if change_request else None},
            )
    return organisation


def profile_update(*, organisation: ForeignOrganisation, actor, data: dict) -> ForeignOrganisation:
    """The organisation's own public listing: its consent to be listed, website and descriptions."""
    if not fsm.is_officer(organisation, actor):
        member = getattr(actor, "organization", None)
        if member is None or member.pk != organisation.account_id:
            raise PermissionDenied(_("Only the organisation itself changes its public listing."))
    with transaction.atomic():
        organisation = _locked(organisation)
        if organisation.state == OrganisationState.CLOSED:
            raise StateConflict(
                _("A closed organisation's entry is kept as it was."), state=organisation.state, available=[]
            )
        before = _snapshot(organisation)
        _apply(organisation, data, PUBLIC_PROFILE_FIELDS)
        if before["list_publicly"] != field_text(organisation.list_publicly):
            organisation.consent_changed_at = timezone.now()
        organisation.save()
        changed = _record_changes(organisation, before, actor=actor)
        if changed:
            record_event(
                actor=actor, action="foreign_organisation.update", obj=organisation, data={"changed": changed}
            )
    return organisation


def organisation_transition(
    *,
    organisation: ForeignOrganisation,
    actor,
    name: str,
    comment: str = "",
    change_request=None,
    closed_on=None,
) -> ForeignOrganisation:
    """Suspend, reinstate or close (an officer; closing also follows an approved closure request)."""
    with transaction.atomic():
        organisation = _locked(organisation)
        comment = fsm.check_transition(
            organisation,
            actor,
            name,
            info=ORGANISATION_TRANSITIONS,
            condition_errors={},
            comment=comment or (change_request.reason if change_request is not None else ""),
        )
        before = _snapshot(organisation)
        previous = organisation.state
        if name == "close" and closed_on is not None:
            organisation.closed_on = closed_on
        getattr(organisation, name)()
        if name == "close" and organisation.list_publicly:
            organisation.list_publicly = False  # a closed office leaves the public directory
            organisation.consent_changed_at = timezone.now()
        organisation.save()
        _record_changes(organisation, before, actor=actor, change_request=change_request)
        record_event(
            actor=actor,
            action=f"foreign_organisation.{name}",
            obj=organisation,
            from_state=previous,
            to_state=organisation.state,
            comment=comment,
        )
        notifying.organisation_transition_done(organisation, name, actor=actor, comment=comment)
    return organisation


def available_transitions(organisation: ForeignOrganisation, user) -> list[str]:
    return fsm.available_transitions(organisation, user)
