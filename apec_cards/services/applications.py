"""Writing card applications: drafts, documents, the pre-submission check and the state machine.

Every door (pages, back office, API, demo data) goes through these functions.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foreign_affairs import fsm
from foreign_affairs.accounts.models import Person
from foreign_affairs.accounts.validators import normalize_passport_number
from foreign_affairs.assignment import assign_officer
from foreign_affairs.audit.services import record_event
from foreign_affairs.documents import attachments
from foreign_affairs.documents.models import DocumentKind
from foreign_affairs.errors import RulesFailed, StateConflict

from .. import notifying
from ..models import AttachmentKind, Card, CardApplication, CardAttachment, Economy, PreClearance
from ..terms import PASSPORT_MIN_VALIDITY_MONTHS, add_months, renewal_opens_on
from ..workflow import (
    CARRY_OVER_KINDS,
    EDITABLE_STATES,
    FOLLOW_UP_KINDS,
    LIVE_CARD_STATES,
    OPEN_STATES,
    TRANSITIONS,
    CardState,
    Kind,
    is_applicant,
)
from .cards import card_issue, next_number

# What a draft may set, from the form or the API (besides the person and the economies).
APPLICATION_FIELDS = ["kind", "justification", "travel_history", "replacement_reason"]
ATTACHMENT_DOCUMENT_KIND = {
    AttachmentKind.PASSPORT: DocumentKind.PASSPORT_SCAN,
    AttachmentKind.PHOTO: DocumentKind.PHOTO,
    AttachmentKind.ENDORSEMENT: DocumentKind.OTHER,
    AttachmentKind.OTHER: DocumentKind.OTHER,
}
CONDITION_ERRORS = {
    "needs_preclearance": (
        "no_preclearance",
        gettext_lazy(
            "A replacement or new-passport card keeps the economies of the card; issue it directly."
        ),
    ),
    "has_requested_economies": (
        "economies_missing",
        gettext_lazy("Choose at least one economy to ask for pre-clearance."),
    ),
    "has_approved_economy": (
        "no_economy_approved",
        gettext_lazy("A card can be issued once at least one economy has approved the applicant."),
    ),
    "carries_over": (
        "preclearance_needed",
        gettext_lazy("Ask the economies for pre-clearance first; the card is issued once one has approved."),
    ),
}


def next_reference(year: int) -> str:
    return f"ABTC-{year}-{next_number('ABTC', year):06d}"


def current_card(person, *, kind: str | None = None) -> Card | None:
    """The card a renewal, replacement or new-passport application would replace (renewal: a valid one)."""
    states = [CardState.ACTIVE] if kind == Kind.RENEWAL else LIVE_CARD_STATES
    return Card.objects.filter(holder=person, state__in=states).order_by("-issued_on", "-pk").first()


# Checks ------------------------------------------------------------------------------------------------


def _finding(code: str, message, severity: str = "error") -> dict:
    return {"code": code, "severity": severity, "message": str(message)}


def precheck(application: CardApplication, *, today=None) -> list[dict]:
    """What stands between the application and its submission ("error") or deserves a look ("warning")."""
    today = today or timezone.localdate()
    findings = []
    if not application.passport_number or not application.passport_expiry:
        findings.append(_finding("passport_missing", _("Give the passport number and its expiry date.")))
    elif application.passport_expiry < add_months(today, PASSPORT_MIN_VALIDITY_MONTHS):
        findings.append(
            _finding(
                "passport_validity",
                _("The passport must be valid for at least six more months; renew it first."),
            )
        )
    if not (application.justification or "").strip():
        findings.append(_finding("justification_missing", _("Explain the business need for the card.")))
    if not (application.travel_history or "").strip() and application.kind == Kind.NEW:
        findings.append(
            _finding(
                "travel_history_missing",
                _("No business travel is listed; a record of trips helps the economies decide."),
                "warning",
            )
        )
    findings += _kind_findings(application, today)
    kinds = set(application.attachments.values_list("kind", flat=True)) if application.pk else set()
    if AttachmentKind.PASSPORT not in kinds:
        findings.append(_finding("passport_page_missing", _("Attach the passport's photo page.")))
    if AttachmentKind.PHOTO not in kinds:
        findings.append(_finding("photo_missing", _("Attach a recent passport-style photograph.")))
    return findings


def _kind_findings(application: CardApplication, today) -> list[dict]:
    """The checks of the kind of application: a new card for someone without one; a renewal in its
    window; a replacement of a lost card (or a damaged one, said how); a new passport that is new."""
    findings = []
    if application.kind not in CARRY_OVER_KINDS and application.pk and not application.economies.exists():
        findings.append(_finding("economies_missing", _("Choose the economies to ask for pre-clearance.")))
    if application.kind == Kind.NEW:
        held = Card.objects.filter(holder_id=application.person_id, state=CardState.ACTIVE).first()
        if held is not None:
            message = _(
                "%(name)s already holds card %(number)s; apply for a renewal, replacement or new passport."
            )
            findings.append(
                _finding("card_held", message % {"name": application.person.full_name, "number": held.number})
            )
        return findings
    card = application.replaces_card
    if card is None or card.state not in LIVE_CARD_STATES:
        message = _("%(name)s holds no card to renew or replace.") % {"name": application.person.full_name}
        return [*findings, _finding("card_missing", message)]
    check = {
        Kind.RENEWAL: _renewal_findings,
        Kind.REPLACEMENT: _replacement_findings,
        Kind.PASSPORT_CHANGE: _passport_change_findings,
    }[application.kind]
    return findings + check(application, card, today)


def _renewal_findings(application, card, today) -> list[dict]:
    if card.state != CardState.ACTIVE:
        return [_finding("card_not_valid", _("Only a valid card can be renewed."))]
    opens_on = renewal_opens_on(card.expires_on)
    if today < opens_on:
        message = _("Card %(number)s can be renewed from %(date)s, six months before it expires.")
        return [
            _finding(
                "renewal_too_early", message % {"number": card.number, "date": formats.date_format(opens_on)}
            )
        ]
    return []


def _replacement_findings(application, card, today) -> list[dict]:
    if card.state == CardState.ACTIVE and not application.replacement_reason.strip():
        return [
            _finding(
                "replacement_reason_missing", _("Say how the card was damaged, or report it lost first.")
            )
        ]
    return []


def _passport_change_findings(application, card, today) -> list[dict]:
    if normalize_passport_number(application.passport_number) == card.passport_number:
        message = _("The passport is the one on card %(number)s; give the new passport's details.")
        return [_finding("passport_unchanged", message % {"number": card.number})]
    return []


def _errors(findings: list[dict]) -> list[dict]:
    return [finding for finding in findings if finding["severity"] == "error"]


# Drafts ------------------------------------------------------------------------------------------------


def _clean_economies(codes) -> list[Economy]:
    codes = [str(code).upper() for code in codes or []]
    economies = list(Economy.objects.preclearing().filter(code__in=codes))
    unknown = sorted(set(codes) - {economy.code for economy in economies})
    if unknown:
        raise ValidationError(
            {
                "economies": _(
                    "These are not economies that pre-clear card holders: %(codes)s. Choose among the full "
                    "participants other than China."
                )
                % {"codes": ", ".join(unknown)}
            }
        )
    return economies


def _apply(application: CardApplication, data: dict) -> list[Economy] | None:
    """Set the fields given in `data` on the application; returns the economies to set, if given."""
    for field in APPLICATION_FIELDS:
        if field in data:
            value = data[field]
            setattr(application, field, value.strip() if isinstance(value, str) else value)
    if application.kind not in Kind.values:
        raise ValidationError({"kind": _("Choose new, renewal, replacement or new passport.")})
    if "person" in data:
        person = data["person"]
        if not isinstance(person, Person):
            person = Person.objects.filter(pk=person).first()
        if person is None or person.organization_id != application.organization_id:
            raise ValidationError({"person": _("Choose a traveller of your organisation.")})
        application.person = person
        # The passport comes from the traveller's record unless given.
        application.passport_number = person.passport_number
        application.passport_expiry = person.passport_expiry
    for field in ("passport_number", "passport_expiry"):
        if data.get(field):
            setattr(application, field, data[field])
    application.passport_number = normalize_passport_number(application.passport_number or "")
    if not application.passport_number or not application.passport_expiry:
        raise ValidationError(
            {
                "passport_number": _(
                    "The traveller has no passport on record; give the passport number and expiry date."
                )
            }
        )
    application.replaces_card = (
        current_card(application.person, kind=application.kind)
        if application.kind in FOLLOW_UP_KINDS
        else None
    )
    if application.kind in FOLLOW_UP_KINDS and application.replaces_card is None:
        raise ValidationError(
            {
                "kind": _("%(name)s holds no card to renew or replace; apply for a new card.")
                % {"name": application.person.full_name}
            }
        )
    if application.kind in CARRY_OVER_KINDS:
        return []
    if "economies" in data:
        return _clean_economies(data["economies"])
    return None


def application_create(*, actor, organization, data: dict) -> CardApplication:
    """Start a draft for a traveller of the actor's organisation.

    `data`: person (a Person or its id), kind, economies (codes; default: every economy that pre-clears),
    justification, travel_history, replacement_reason, and optionally passport_number/passport_expiry.
    """
    application = CardApplication(
        organization=organization, created_by=actor, kind=data.get("kind", Kind.NEW)
    )
    if not is_applicant(application, actor):
        raise PermissionDenied(_("Only enterprise staff apply for APEC cards."))
    if "person" not in data:
        raise ValidationError({"person": _("Choose the traveller who will hold the card.")})
    economies = _apply(application, data)
    if economies is None:
        economies = list(Economy.objects.preclearing())
    with transaction.atomic():
        application.reference = next_reference(timezone.localdate().year)
        _save(application, force_insert=True)
        application.economies.set(economies)
        record_event(
            actor=actor,
            action="card_application.create",
            obj=application,
            data={"kind": application.kind, "person": application.person_id},
        )
    return application


ONE_OPEN = gettext_lazy("This person already has an APEC card application in progress.")


def _save(application: CardApplication, **kwargs) -> None:
    """Save, refusing a second open application for the same person (checked, and kept by a constraint
    against a concurrent request)."""
    others = CardApplication.objects.filter(person_id=application.person_id, state__in=OPEN_STATES)
    if application.pk:
        others = others.exclude(pk=application.pk)
    if others.exists():
        raise ValidationError({"person": ONE_OPEN})
    try:
        with transaction.atomic():
            application.save(**kwargs)
    except IntegrityError as error:
        raise ValidationError({"person": ONE_OPEN}) from error


def _require_editor(application: CardApplication, actor) -> None:
    if not is_applicant(application, actor):
        raise PermissionDenied(_("Only staff of the applying organisation change an application."))
    if application.state not in EDITABLE_STATES:
        raise StateConflict(
            _("The application can be changed only as a draft or when returned for changes."),
            state=application.state,
            available=fsm.available_transitions(application, actor),
        )


def application_update(*, application: CardApplication, actor, data: dict) -> CardApplication:
    """Change a draft or returned application (only the fields given)."""
    with transaction.atomic():
        application = CardApplication.objects.select_for_update().get(pk=application.pk)
        _require_editor(application, actor)
        economies = _apply(application, data)
        _save(application)
        if economies is not None:
            application.economies.set(economies)
        record_event(
            actor=actor,
            action="card_application.update",
            obj=application,
            data={
                "fields": sorted(set(data) & {*APPLICATION_FIELDS, "person", "economies", "passport_number"})
            },
        )
    return application


def attachment_add(*, application: CardApplication, actor, kind: str, uploaded_file) -> CardAttachment:
    """Attach a document (checked by content and size) to a draft or returned application; the
    photograph must be an image."""
    with transaction.atomic():
        application = CardApplication.objects.select_for_update().get(pk=application.pk)
        _require_editor(application, actor)
        attachment = attachments.attachment_add(
            case=application,
            model=CardAttachment,
            kind=kind,
            uploaded_file=uploaded_file,
            actor=actor,
            kinds=ATTACHMENT_DOCUMENT_KIND,
            action="card_application.attach",
        )
        if kind == AttachmentKind.PHOTO and attachment.document.content_type == "application/pdf":
            raise ValidationError({"file": _("The photograph must be a JPEG or PNG image.")})
    return attachment


def attachment_remove(*, attachment: CardAttachment, actor) -> None:
    with transaction.atomic():
        application = CardApplication.objects.select_for_update().get(pk=attachment.application_id)
        _require_editor(application, actor)
        attachments.attachment_remove(attachment=attachment, actor=actor, action="card_application.detach")


# The state machine ---------------------------------------------------------------------------------------


def available_transitions(application: CardApplication, user) -> list[str]:
    return fsm.available_transitions(application, user)


def application_transition(
    *, application: CardApplication, actor, name: str, comment: str = ""
) -> CardApplication:
    """Run one transition for `actor`: role (403), state (409), conditions and checks (400), comment (400).

    Locks the row, so of two concurrent requests one wins and the other meets the new state. Saves,
    audits and notifies; `issue` creates the card and queues its decision letter. Nothing changes on
    any error.
    """
    with transaction.atomic():
        application = (
            CardApplication.objects.select_for_update(of=("self",))
            .select_related("organization", "person", "replaces_card")
            .get(pk=application.pk)
        )
        comment = fsm.check_transition(
            application, actor, name, info=TRANSITIONS, condition_errors=CONDITION_ERRORS, comment=comment
        )
        if name in ("submit", "resubmit"):
            errors = _errors(precheck(application))
            if errors:
                raise RulesFailed(_("The application is not complete yet."), findings=errors)
        previous = application.state
        getattr(application, name)()
        application.state_changed_at = timezone.now()
        if name == "endorse":
            application.endorsed_by = actor
        if name == "start_review" and application.assigned_officer_id is None:
            application.assigned_officer = actor
        application.save()
        card = None
        if name == "request_preclearance":
            _ask_economies(application)
        elif name == "issue":
            card = card_issue(application=application, actor=actor)
        record_event(
            actor=actor,
            action=f"card_application.{name}",
            obj=application,
            from_state=previous,
            to_state=application.state,
            comment=comment,
            data={"card": card.number} if card else {},
        )
        notifying.transition_done(application, name, actor=actor, comment=comment)
    return application


def _ask_economies(application: CardApplication) -> None:
    today = timezone.localdate()
    PreClearance.objects.bulk_create(
        [
            PreClearance(application=application, economy=economy, requested_on=today)
            for economy in application.economies.all()
            if economy.pre_clears
        ],
        ignore_conflicts=True,
    )


def application_assign(*, application: CardApplication, actor, officer) -> CardApplication:
    """Give an application to an officer (an officer takes one, or hands it over)."""
    return assign_officer(application, actor=actor, officer=officer, action="card_application.assign")
