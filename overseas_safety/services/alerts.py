"""Safety alerts (安全提醒): an officer's message to everyone of ours in a country (or one city of it) now,
and their one-click answers.

`alert_create` prepares a draft, `alert_send` moves it to "sending" once and queues the fan-out
(`overseas_safety.deliver_alert`, which runs `alert_deliver`). The fan-out finds the people present today
(travellers of approved trips and stationed staff), stores one AlertRecipient each, and tells, per
organisation, each active liaison in ONE message listing their people with each person's two answer
links, and each person with an account of their own (an active user of the same organisation with the
person's e-mail) in a message of their own. It works organisation by organisation in batches, counting
its progress in `sent_count`; every message has a key (alert + person, alert + liaison), so a second run,
or a redelivered task, sends nothing twice.

An answer link carries a signed token (django.core.signing, salted, valid OVERSEAS_SAFETY_ALERT_LINK_DAYS
days) naming one recipient and nothing else. "Need help" opens an incident (level III, kind "other",
source "alert") once per recipient, which goes to the duty officer like any report.
"""

import logging
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from foreign_affairs.accounts.models import User
from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.services import record_event
from foreign_affairs.errors import StateConflict
from foreign_affairs.notifications.services import notify
from foreign_affairs.security.countries import validate_destination
from foreign_affairs.tasking import enqueue_on_commit

from ..models import AlertRecipient, Answer, Incident, RecipientSource, SafetyAlert, SendState
from ..selectors import presence_in
from ..workflow import IncidentKind, Level, PersonStatus, Source
from .incidents import incident_report

logger = logging.getLogger(__name__)

TASK = "overseas_safety.deliver_alert"
# People per batch of the fan-out: one transaction, a handful of queries and the batch's messages; the
# progress (`sent_count`) moves after each. An organisation is never split (its liaisons get one message).
BATCH_SIZE = 200
LINK_SALT = "overseas_safety.alert-answer"
ANSWERS = (Answer.SAFE, Answer.NEED_HELP)


def link_days() -> int:
    return settings.OVERSEAS_SAFETY_ALERT_LINK_DAYS


def is_officer(user) -> bool:
    return user is not None and user.is_authenticated and user.has_role(Role.OFFICER)


# Creating and sending ---------------------------------------------------------------------------------------


def _next_reference(year: int) -> str:
    prefix = f"HNSA-{year}-"
    last = (
        SafetyAlert.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
    ).first()
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


def alert_create(*, actor, data: dict) -> SafetyAlert:
    """Prepare a draft alert (officers). `data`: country (ISO code of a destination), city (optional:
    empty for the whole country), title, message. Audited as alert.create; nothing is sent yet."""
    if not is_officer(actor):
        raise PermissionDenied(_("Only officers prepare safety alerts."))
    country = getattr(data.get("country"), "code", data.get("country")) or ""
    country = str(country).strip().upper()
    title = (data.get("title") or "").strip()
    message = (data.get("message") or "").strip()
    errors = {}
    try:
        validate_destination(country)
    except ValidationError as error:
        errors["country"] = error.messages
    if not title:
        errors["title"] = [_("Give the alert a title.")]
    elif len(title) > 200:
        errors["title"] = [_("Keep the title within 200 characters.")]
    if not message:
        errors["message"] = [_("Write the message.")]
    if errors:
        raise ValidationError(errors)
    alert = SafetyAlert(
        country=country,
        city=(data.get("city") or "").strip()[:100],
        title=title,
        message=message,
        created_by=actor,
    )
    # Two officers creating at the same moment may pick the same number: the second takes the next.
    for attempt in range(5):
        try:
            with transaction.atomic():
                alert.reference = _next_reference(timezone.localdate().year)
                alert.save(force_insert=True)
                record_event(
                    actor=actor,
                    action="alert.create",
                    obj=alert,
                    to_state=alert.state,
                    data={"country": country, "city": alert.city},
                )
            break
        except IntegrityError:
            alert.pk = None
            if attempt == 4:
                raise
    return alert


def alert_send(*, alert: SafetyAlert, actor) -> SafetyAlert:
    """Send a draft alert (officers): it becomes "sending" under the row lock, its answers are accepted
    for OVERSEAS_SAFETY_ALERT_LINK_DAYS days, and the fan-out is queued once the transaction commits.
    An alert already sending or sent is refused with StateConflict (409) and nothing changes, so a
    double click, or two officers at once, send it once."""
    if not is_officer(actor):
        raise PermissionDenied(_("Only officers send safety alerts."))
    with transaction.atomic():
        alert = SafetyAlert.objects.select_for_update().get(pk=alert.pk)
        if alert.state != SendState.DRAFT:
            message = (
                _("The alert %(reference)s is already being sent; nothing was sent again.")
                if alert.state == SendState.SENDING
                else _("The alert %(reference)s was already sent; nothing was sent again.")
            )
            raise StateConflict(message % {"reference": alert.reference}, state=alert.state, available=[])
        now = timezone.now()
        alert.state = SendState.SENDING
        alert.answers_expire_at = now + timedelta(days=link_days())
        alert.save(update_fields=["state", "answers_expire_at"])
        record_event(
            actor=actor, action="alert.send", obj=alert, from_state=SendState.DRAFT, to_state=alert.state
        )
        enqueue_on_commit(TASK, alert.pk)
    return alert


# The fan-out (the Celery task) -----------------------------------------------------------------------------


def _collect(alert: SafetyAlert) -> int:
    """Store one recipient per person present in the alert's country (or city) today; a person both on a
    trip and stationed there counts once, as a traveller. Returns the number of people."""
    presence = presence_in(alert.country.code, timezone.localdate(), city=alert.city)
    rows: dict[int, AlertRecipient] = {}
    for row in presence.travellers:
        rows.setdefault(
            row["person_id"],
            AlertRecipient(
                alert=alert,
                person_id=row["person_id"],
                organization_id=row["organization_id"],
                source=RecipientSource.TRIP,
                city=(row["city"] or "")[:100],
            ),
        )
    for stationing in presence.stationed:
        rows.setdefault(
            stationing.person_id,
            AlertRecipient(
                alert=alert,
                person_id=stationing.person_id,
                organization_id=stationing.site.organization_id,
                source=RecipientSource.STATIONED,
                city=stationing.site.city[:100],
            ),
        )
    AlertRecipient.objects.bulk_create(rows.values(), ignore_conflicts=True, batch_size=1000)
    return AlertRecipient.objects.filter(alert=alert).count()


def answer_token(recipient: AlertRecipient) -> str:
    """The signed token of one recipient's answer links: it names the recipient and nothing else."""
    return signing.dumps([recipient.alert_id, recipient.pk], salt=LINK_SALT)


def answer_url(recipient: AlertRecipient, answer: str = "", *, token: str = "") -> str:
    """The full address of a recipient's answer page, pre-selecting `answer`."""
    path = reverse("overseas_safety:alert_answer", args=[token or answer_token(recipient)])
    query = f"?{urlencode({'answer': answer})}" if answer else ""
    return f"{settings.PORTAL_BASE_URL}{path}{query}"


def _links(recipient: AlertRecipient) -> dict:
    token = answer_token(recipient)
    return {
        "recipient": recipient,
        "person": recipient.person,
        "safe_url": answer_url(recipient, Answer.SAFE, token=token),
        "help_url": answer_url(recipient, Answer.NEED_HELP, token=token),
    }


def _next_batch(alert: SafetyAlert, after: int) -> list[int]:
    """The next organisations (ids above `after`) with people not yet told, about BATCH_SIZE people."""
    counts = (
        AlertRecipient.objects.filter(alert=alert, notified_at__isnull=True, organization_id__gt=after)
        .values("organization_id")
        .annotate(people=Count("id"))
        .order_by("organization_id")
    )
    batch, people = [], 0
    for row in counts.iterator():
        if batch and people + row["people"] > BATCH_SIZE:
            break
        batch.append(row["organization_id"])
        people += row["people"]
    return batch


def _own_accounts(recipients) -> dict[tuple[int, str], User]:
    """{(organisation id, e-mail in lower case): user} of the people among `recipients` with an account of
    their own: an active user of the same organisation whose e-mail is the person's."""
    emails = {r.person.email.strip().lower() for r in recipients if r.person.email.strip()}
    if not emails:
        return {}
    organizations = {r.organization_id for r in recipients}
    users = (
        User.objects.annotate(email_lower=Lower("email"))
        .filter(is_active=True, email_lower__in=emails, membership__organization_id__in=organizations)
        .select_related("membership")
    )
    return {(user.membership.organization_id, user.email_lower): user for user in users}


def _deliver_batch(alert: SafetyAlert, organizations: list[int]) -> int:
    """Tell the liaisons and own accounts of `organizations` (the caller holds the alert's row lock)."""
    recipients = list(
        AlertRecipient.objects.filter(
            alert=alert, organization_id__in=organizations, notified_at__isnull=True
        ).select_related("person", "organization")
    )
    liaisons: dict[int, list[User]] = {}
    for user in User.objects.filter(
        is_active=True, membership__organization_id__in=organizations, membership__is_liaison=True
    ).select_related("membership"):
        liaisons.setdefault(user.membership.organization_id, []).append(user)
    own = _own_accounts(recipients)
    enterprise_page = reverse("overseas_safety:alert_list")
    by_organization: dict[int, list[dict]] = {}
    told: list[int] = []
    for recipient in recipients:
        links = _links(recipient)
        by_organization.setdefault(recipient.organization_id, []).append(links)
        user = own.get((recipient.organization_id, recipient.person.email.strip().lower()))
        if user is not None:
            notify(
                recipient=user,
                template="overseas_safety/alert_person",
                context={"alert": alert, "person": recipient.person, **links, "days": link_days()},
                link=enterprise_page,
                key=f"alert:{alert.pk}:person:{recipient.person_id}",
            )
            told.append(recipient.pk)
    for organization_id, people in by_organization.items():
        for user in liaisons.get(organization_id, []):
            notify(
                recipient=user,
                template="overseas_safety/alert_liaison",
                context={
                    "alert": alert,
                    "organization": people[0]["recipient"].organization,
                    "people": people,
                    "days": link_days(),
                },
                link=enterprise_page,
                key=f"alert:{alert.pk}:liaison:{user.pk}",
            )
        if liaisons.get(organization_id):
            told += [row["recipient"].pk for row in people]
    if told:
        AlertRecipient.objects.filter(pk__in=set(told)).update(notified_at=timezone.now())
    return len(set(told))


def alert_deliver(alert_id: int) -> int:
    """The fan-out of a sending alert (run by the task). Collects the recipients (once; a rerun finds them
    stored), then tells them organisation by organisation in batches, each its own transaction under the
    alert's row lock, moving `sent_count` (people told) as it goes; finally marks the alert sent.

    Safe to run twice, even at once: a sent or draft alert is left alone, a batch only takes people not
    yet told, and every message has its key. People whose organisation has no active liaison and who
    have no account of their own stay "not told" (the alert page lists them, to be called).
    Returns the number of people told by this run."""
    with transaction.atomic():
        alert = SafetyAlert.objects.select_for_update().filter(pk=alert_id).first()
        if alert is None or alert.state != SendState.SENDING:
            return 0
        if not alert.recipients.exists():
            alert.recipient_count = _collect(alert)
            alert.save(update_fields=["recipient_count"])
    told, after = 0, 0
    while True:
        with transaction.atomic():
            alert = SafetyAlert.objects.select_for_update().get(pk=alert_id)
            if alert.state != SendState.SENDING:
                return told
            organizations = _next_batch(alert, after)
            if not organizations:
                break
            told += _deliver_batch(alert, organizations)
            after = organizations[-1]
            alert.sent_count = alert.recipients.filter(notified_at__isnull=False).count()
            alert.save(update_fields=["sent_count"])
    with transaction.atomic():
        alert = SafetyAlert.objects.select_for_update().get(pk=alert_id)
        if alert.state == SendState.SENDING:
            alert.state = SendState.SENT
            alert.sent_at = timezone.now()
            alert.sent_count = alert.recipients.filter(notified_at__isnull=False).count()
            alert.save(update_fields=["state", "sent_at", "sent_count"])
    logger.info("safety alert sent", extra={"alert": alert.reference, "told": told})
    return told


# The answers ------------------------------------------------------------------------------------------------


class LinkExpired(Exception):
    """The answer link is genuine but older than OVERSEAS_SAFETY_ALERT_LINK_DAYS; `recipient` is whom it
    named (or None when that recipient is gone)."""

    def __init__(self, recipient: AlertRecipient | None):
        super().__init__("answer link expired")
        self.recipient = recipient


class LinkInvalid(Exception):
    """The answer link was altered, or names no recipient."""


def _recipient(payload) -> AlertRecipient | None:
    try:
        alert_id, recipient_id = (int(value) for value in payload)
    except (TypeError, ValueError):
        return None
    return (
        AlertRecipient.objects.select_related("alert", "person", "organization")
        .filter(pk=recipient_id, alert_id=alert_id)
        .first()
    )


def recipient_for_token(token: str) -> AlertRecipient:
    """The recipient a token names. LinkExpired when it is genuine but too old, LinkInvalid when it was
    altered or names nobody."""
    try:
        payload = signing.loads(token, salt=LINK_SALT, max_age=timedelta(days=link_days()))
    except signing.SignatureExpired:
        try:  # genuine but too old: say whom it was for, to say whom to call
            payload = signing.loads(token, salt=LINK_SALT)
        except signing.BadSignature:
            raise LinkInvalid from None
        raise LinkExpired(_recipient(payload)) from None
    except signing.BadSignature:
        raise LinkInvalid from None
    recipient = _recipient(payload)
    if recipient is None:
        raise LinkInvalid
    return recipient


def may_answer_for(user, recipient: AlertRecipient) -> bool:
    """Signed in, a liaison answers for their organisation's people, and a person for themselves."""
    if user is None or not user.is_authenticated or user.is_office_staff:
        return False
    membership = getattr(user, "membership", None)
    if membership is None or membership.organization_id != recipient.organization_id:
        return False
    email = recipient.person.email.strip().lower()
    return membership.is_liaison or (bool(email) and user.email.strip().lower() == email)


def alert_answer(*, recipient: AlertRecipient, answer: str, actor=None) -> AlertRecipient:
    """Record a recipient's answer, "safe" or "need help" (actor None: the person through their link; or
    a liaison, or the person, signed in). The first answer and every change are recorded with their time
    and audited (alert.answer); the same answer again changes nothing. "Need help" opens an incident
    (level III, kind "other", source "alert") for the person's organisation once: it goes to the duty
    officer at once."""
    if answer not in ANSWERS:
        raise ValidationError({"answer": _("Choose “safe” or “need help”.")})
    if actor is not None and not may_answer_for(actor, recipient):
        raise PermissionDenied(_("Only the person or their organisation's liaison answers for them."))
    with transaction.atomic():
        recipient = (
            AlertRecipient.objects.select_for_update(of=("self",))
            .select_related("alert", "person", "organization")
            .get(pk=recipient.pk)
        )
        previous = recipient.answer
        if previous == answer:
            return recipient
        recipient.answer = answer
        recipient.answered_at = timezone.now()
        recipient.save(update_fields=["answer", "answered_at"])
        record_event(
            actor=actor,
            action="alert.answer",
            obj=recipient.alert,
            data={
                "person": recipient.person_id,
                "answer": answer,
                "previous": previous,
                "by": "account" if actor is not None else "link",
            },
        )
        if answer == Answer.NEED_HELP and not Incident.objects.filter(alert_answer=recipient).exists():
            _open_incident(recipient, actor)
    return recipient


def _open_incident(recipient: AlertRecipient, actor) -> Incident:
    alert, person = recipient.alert, recipient.person
    description = _(
        "%(person)s answered “need help” to the safety alert %(reference)s (%(title)s). Call them at "
        "%(phone)s, or their organisation's liaison."
    ) % {
        "person": person.full_name,
        "reference": alert.reference,
        "title": alert.title,
        "phone": person.phone or _("(no phone on record)"),
    }
    return incident_report(
        actor=actor,
        organization=recipient.organization,
        data={
            "title": (
                _("Needs help: %(person)s (safety alert %(reference)s)")
                % {"person": person.full_name, "reference": alert.reference}
            )[:200],
            "kind": IncidentKind.OTHER,
            "level": Level.III,
            "country": alert.country.code,
            "city": recipient.city or alert.city,
            "occurred_at": recipient.answered_at,
            "description": description,
            "reporter_name": person.full_name,
            "reporter_phone": person.phone,
            "people": [person.pk],
            "statuses": {person.pk: PersonStatus.UNKNOWN},
        },
        source=Source.ALERT,
        alert_answer=recipient,
    )


# Reading ----------------------------------------------------------------------------------------------------


def answer_counts(alert: SafetyAlert) -> dict:
    """{"safe", "need_help", "none", "total"}: the answers so far."""
    counts = alert.recipients.aggregate(
        total=Count("id"),
        safe=Count("id", filter=Q(answer=Answer.SAFE)),
        need_help=Count("id", filter=Q(answer=Answer.NEED_HELP)),
    )
    counts["none"] = counts["total"] - counts["safe"] - counts["need_help"]
    return counts


def not_answered(alert: SafetyAlert, *, limit: int | None = None) -> list[AlertRecipient]:
    """Who has not answered, by organisation and name, each with `liaison_phones` (their organisation's
    active liaisons: name and phone) to call."""
    rows = (
        alert.recipients.filter(answer=Answer.NONE)
        .select_related("person", "organization")
        .order_by("organization__name_zh", "person__full_name", "pk")
    )
    rows = list(rows[:limit] if limit else rows)
    phones: dict[int, list[str]] = {}
    for user in (
        User.objects.filter(
            is_active=True,
            membership__is_liaison=True,
            membership__organization_id__in={row.organization_id for row in rows},
        )
        .select_related("membership")
        .order_by("last_name", "pk")
    ):
        name = user.get_full_name() or user.get_username()
        phones.setdefault(user.membership.organization_id, []).append(
            f"{name} {user.phone}".strip() if user.phone else name
        )
    for row in rows:
        row.liaison_phones = phones.get(row.organization_id, [])
    return rows


def incidents_of(alert: SafetyAlert) -> dict[int, Incident]:
    """{recipient id: the incident their "need help" opened}."""
    return {
        incident.alert_answer_id: incident
        for incident in Incident.objects.filter(alert_answer__alert=alert).only(
            "pk", "reference", "state", "alert_answer"
        )
    }
