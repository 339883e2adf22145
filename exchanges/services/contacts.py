"""Overseas-Chinese contacts: personal data the office holds on community leaders abroad.

- Only office staff read them; officers register and change them.
- Every look at a contact's details (the back-office page, the API's detail, an export) writes a
  ContactAccess record through `contact_view`; lists show the name, country and association only.
- A contact is registered, and its personal details changed, only with the person's consent recorded: its
  date and how it was given (`require_consent`). Contacts registered before that was asked may lack it: the
  list shows them as "consent not recorded" until an officer records it; linking them to an exchange needs
  no consent.
- `contact_export` gives everything held about one person (on their request), logged and audited.
- `contact_erase` deletes the person's record (on their request); the audit event and the access log keep
  the reference only, never the name or a contact detail.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foreign_affairs.audit.services import record_event

from ..models import AccessDoor, ConsentBasis, ContactAccess, OverseasContact
from .common import apply, full_clean, next_reference, require_office, require_officer, save_relations

FIELDS = [
    "name_zh",
    "name_latin",
    "country",
    "city",
    "association",
    "role",
    "phone",
    "email",
    "wechat",
    "consent",
    "consent_on",
    "consent_basis",
    "consent_note",
    "notes",
    "activities",
]


# What registering or changing needs the person's consent for: everything but the exchanges taken part in.
PERSONAL_FIELDS = [name for name in FIELDS if name != "activities"]


NO_CONSENT = gettext_lazy(
    "Register or change a contact only with the person's consent. If they withdrew it, erase the record on "
    "their request instead."
)
NO_CONSENT_DATE = gettext_lazy("Give the date the person agreed to be contacted.")
NO_CONSENT_BASIS = gettext_lazy("Say how the person gave their consent.")
NO_ORAL_NOTE = gettext_lazy("Consent given orally: say who heard it, when, and where it is noted.")


def consent_errors(*, consent, consent_on, consent_basis, consent_note) -> dict:
    """The messages, by field, when the person's consent is not recorded in full (the API's serializer
    asks the same before the service)."""
    errors = {}
    if not consent:
        errors["consent"] = [str(NO_CONSENT)]
    if not consent_on:
        errors["consent_on"] = [str(NO_CONSENT_DATE)]
    if not consent_basis:
        errors["consent_basis"] = [str(NO_CONSENT_BASIS)]
    elif consent_basis == ConsentBasis.ORAL and not (consent_note or "").strip():
        errors["consent_note"] = [str(NO_ORAL_NOTE)]
    return errors


def _apply(contact: OverseasContact, data: dict, *, consent_needed: bool) -> dict:
    before = {name: str(getattr(contact, name)) for name in PERSONAL_FIELDS}
    relations, errors = apply(contact, data, FIELDS)
    if not (contact.name_zh or contact.name_latin):
        errors["name_zh"] = [_("Give the name, in Chinese characters or in Latin letters.")]
    if contact.consent and contact.consent_on is None and "consent_on" not in errors:
        errors["consent_on"] = [str(NO_CONSENT_DATE)]
    if contact.consent_on and contact.consent_on > timezone.localdate():
        errors["consent_on"] = [_("The date of consent cannot be in the future.")]
    changed = any(str(getattr(contact, name)) != value for name, value in before.items())
    if consent_needed or changed:
        for name, messages in consent_errors(
            consent=contact.consent,
            consent_on=contact.consent_on,
            consent_basis=contact.consent_basis,
            consent_note=contact.consent_note,
        ).items():
            errors.setdefault(name, messages)
    if not contact.consent:
        contact.consent_on = None
    full_clean(contact, errors, exclude=["reference", "activities"])
    return relations


def contact_create(*, actor, data: dict) -> OverseasContact:
    """Register a contact (officers): the person's consent with its date and how it was given is required."""
    require_officer(actor, _("Only approval officers register overseas-Chinese contacts."))
    contact = OverseasContact(created_by=actor)
    relations = _apply(contact, data, consent_needed=True)
    with transaction.atomic():
        contact.reference = next_reference("HNOC", timezone.localdate().year)
        contact.save()
        save_relations(contact, relations)
        record_event(actor=actor, action="overseas_contact.create", obj=contact)
    return contact


def contact_update(*, contact: OverseasContact, actor, data: dict) -> OverseasContact:
    """Change a contact (officers). A change of the person's details (anything but the exchanges) needs their
    consent recorded in full afterwards, so a contact registered without it gets it with its first change."""
    require_officer(actor, _("Only approval officers change overseas-Chinese contacts."))
    with transaction.atomic():
        contact = OverseasContact.objects.select_for_update().get(pk=contact.pk)
        before = {f: str(getattr(contact, f)) for f in FIELDS if f != "activities"}
        relations = _apply(contact, data, consent_needed=False)
        contact.save()
        save_relations(contact, relations)
        # Which fields changed, never their values (personal data stays out of the audit log).
        changed = sorted(f for f, v in before.items() if str(getattr(contact, f)) != v) + sorted(relations)
        record_event(actor=actor, action="overseas_contact.update", obj=contact, data={"fields": changed})
    return contact


def contact_view(*, contact: OverseasContact, actor, door: str = AccessDoor.PAGE) -> OverseasContact:
    """Log one look at the contact's details by `actor` (office staff only) and return the contact."""
    require_office(actor, _("Only office staff see overseas-Chinese contacts."))
    ContactAccess.objects.create(contact=contact, reference=contact.reference, viewer=actor, door=door)
    return contact


def contact_export(*, contact: OverseasContact, actor) -> dict:
    """Everything the portal holds about the person, for their request: the record, the exchanges they took
    part in and who looked at their details when. Logged as a look (door "export") and audited."""
    require_officer(actor, _("Only approval officers export a contact's data."))
    with transaction.atomic():
        contact_view(contact=contact, actor=actor, door=AccessDoor.EXPORT)
        record_event(actor=actor, action="overseas_contact.export", obj=contact)
        return {
            "reference": contact.reference,
            "name_zh": contact.name_zh,
            "name_latin": contact.name_latin,
            "country": contact.country.code if contact.country else "",
            "city": contact.city,
            "association": contact.association,
            "role": contact.role,
            "phone": contact.phone,
            "email": contact.email,
            "wechat": contact.wechat,
            "consent": contact.consent,
            "consent_on": contact.consent_on.isoformat() if contact.consent_on else None,
            "consent_basis": contact.consent_basis,
            "consent_note": contact.consent_note,
            "notes": contact.notes,
            "registered_at": contact.created_at.isoformat(),
            "updated_at": contact.updated_at.isoformat(),
            "exchanges": [
                {
                    "reference": a.reference,
                    "title_zh": a.title_zh,
                    "title_en": a.title_en,
                    "starts_on": a.starts_on.isoformat(),
                    "ends_on": a.ends_on.isoformat(),
                }
                for a in contact.activities.order_by("starts_on", "pk")
            ],
            "accesses": [
                {"at": x.at.isoformat(), "viewer": x.viewer.get_username(), "door": x.door}
                for x in contact.accesses.select_related("viewer").order_by("at", "pk")
            ],
        }


def contact_erase(*, contact: OverseasContact, actor, reason: str) -> str:
    """Erase the person's record on their request (officers, with the request as reason). The access log
    keeps the reference; the audit event holds the reference and the reason. Returns the reference."""
    require_officer(actor, _("Only approval officers erase a contact."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why: the person's request, its date and how it was made.")]})
    with transaction.atomic():
        contact = OverseasContact.objects.select_for_update().get(pk=contact.pk)
        reference = contact.reference
        record_event(
            actor=actor,
            action="overseas_contact.erase",
            obj=None,
            comment=reason[:2000],
            data={"reference": reference},
        )
        contact.activities.clear()
        contact.delete()
    return reference
