"""What the training pages of the back office share: the coloured tags of sessions, enrolments and
certificates, when a session is (upcoming, under way, held), what the timeline says of the area's own events,
and how a trainee is named."""

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from foreign_affairs import typography
from foreign_affairs.admin_pages import field_label, tag

from ..models import Session
from ..workflow import STATE_TONES, CheckInMethod, SessionState, State
from .filters import EXPIRED, EXPIRING, REVOKED, VALID, certificate_status


class Phase(models.TextChoices):
    """Where a session stands now: its state (scheduled or cancelled) and its time together."""

    OPEN = "open", _("Open for enrolment")
    CLOSED = "closed", _("Enrolment closed")
    UNDER_WAY = "under_way", _("Under way")
    HELD = "held", pgettext_lazy("training session", "Held")
    CANCELLED = "cancelled", pgettext_lazy("training session state", "Cancelled")


PHASE_TONES = {
    Phase.OPEN: "progress",
    Phase.CLOSED: "attention",
    Phase.UNDER_WAY: "success",
    Phase.HELD: "neutral",
    Phase.CANCELLED: "danger",
}


def phase(session, now=None) -> str:
    now = now or timezone.now()
    if session.state == SessionState.CANCELLED:
        return Phase.CANCELLED
    if now >= session.ends_at:
        return Phase.HELD
    if now >= session.starts_at:
        return Phase.UNDER_WAY
    if now > session.enrolment_deadline:
        return Phase.CLOSED
    return Phase.OPEN


def phase_tag(session, now=None):
    return tag(Phase, PHASE_TONES, phase(session, now), kind="phase")


def enrolment_tag(state: str):
    return tag(State, STATE_TONES, state)


class CertificateState(models.TextChoices):
    VALID = VALID, _("Valid")
    EXPIRING = EXPIRING, _("Expiring")
    EXPIRED = EXPIRED, _("Expired")
    REVOKED = REVOKED, _("Revoked")


CERTIFICATE_TONES = {VALID: "success", EXPIRING: "attention", EXPIRED: "neutral", REVOKED: "danger"}


def certificate_tag(certificate, today=None):
    return tag(CertificateState, CERTIFICATE_TONES, certificate_status(certificate, today), kind="status")


def when(session) -> str:
    """ "2026年5月3日 09:00–12:00" (a session over several days gives both days)."""
    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    if starts.date() == ends.date():
        return f"{date_format(starts, 'DATE_FORMAT')} {starts:%H:%M}–{ends:%H:%M}"
    return f"{date_format(starts, 'DATETIME_FORMAT')} – {date_format(ends, 'DATETIME_FORMAT')}"


def moment(value) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""


def trainee_label(enrolment) -> str:
    """The trainee's name, with the pinyin of a traveller's name beside it."""
    if enrolment.person_id:
        person = enrolment.person
        if person.pinyin_name:
            return typography.annotate(person.full_name, person.pinyin_name)
        return person.full_name
    user = enrolment.user
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def person_label(person) -> str:
    """A traveller as the enrolment form's autocomplete shows them: name, then the organisation."""
    name = (
        typography.annotate(person.full_name, person.pinyin_name) if person.pinyin_name else person.full_name
    )
    return f"{name} · {person.organization.name_zh}"


def event_detail(event, data) -> str:
    """The area's own events in a timeline (foreign_affairs.admin_pages.timeline's `detail`)."""
    action = event.action
    if action == "training_session.update" and data.get("changed"):
        return typography.enumerate_items(field_label(Session, name) for name in data["changed"])
    if action == "training_session.online_record":
        return gettext("%(lines)d lines pasted") % {"lines": data.get("lines", 0)}
    if action == "training_course.assessment" and data.get("question"):
        change = {
            "added": gettext("question added"),
            "changed": gettext("question changed"),
            "removed": gettext("question removed"),
        }.get(data.get("change"), "")
        return typography.label(change) + data["question"] if change else data["question"]
    if action == "enrolment.attend" and data.get("method") in CheckInMethod.values:
        return str(CheckInMethod(data["method"]).label)
    if action == "enrolment.attempt":
        outcome = gettext("passed") if data.get("passed") else gettext("not passed")
        return gettext("attempt %(number)s: %(score)s%%, %(outcome)s") % {
            "number": data.get("attempt", ""),
            "score": data.get("score", ""),
            "outcome": outcome,
        }
    if action in ("enrolment.create", "enrolment.wait") and data.get("application"):
        return data["application"]
    return ""
