"""Who is told what about an incident. This module only declares; foreign_affairs.notifications makes
the notices, as in every area. The duty officer's channels are settings (OVERSEAS_SAFETY_DUTY_CHANNELS),
so that an SMS gateway can be added by configuration."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.selectors import office_users, organization_users, with_substitutes
from foreign_affairs.notifications.services import notify
from foreign_affairs.notifications.transitions import RecordNotices

from .workflow import State

HEADLINES = {
    "report": _("A new incident abroad was reported"),
    "acknowledge": _("The office has acknowledged the incident and taken charge"),
    "respond": _("The office has started its response to the incident"),
    "resolve": _("The incident was marked resolved"),
    "reopen": _("The incident was reopened"),
    "close": _("The incident was closed"),
    "merge": _("The incident report was merged into another report"),
    "escalate": _("An incident abroad was not acknowledged in time"),
    "assign": _("An incident abroad was assigned to you"),
    "note": _("Something was added to the incident's timeline"),
}

INCIDENTS = RecordNotices(
    name="incident",
    states=State,
    office_page="admin:overseas_safety_incident_change",
    enterprise_page="overseas_safety:incident_detail",
    transition_template="overseas_safety/incident",
    headlines=HEADLINES,
    key_prefix="incident",
)


def _organisation(incident) -> list:
    """The organisation's liaisons and whoever reported the incident."""
    users = organization_users(incident.organization_id)
    people = [u for u in users if getattr(u, "membership", None) and u.membership.is_liaison]
    if incident.reported_by_id and all(u.pk != incident.reported_by_id for u in people):
        people += [u for u in users if u.pk == incident.reported_by_id]
    return people


def _duty(incident) -> list:
    if incident.duty_officer_id:
        return with_substitutes([incident.duty_officer])
    return with_substitutes(office_users(Role.OFFICER))


def _send_duty(incident, people, name: str, *, actor=None) -> None:
    """The urgent notices (new incident, escalation): on every channel the settings name for them."""
    for user in people:
        if actor is not None and user.pk == actor.pk:
            continue
        notify(
            recipient=user,
            template="overseas_safety/incident",
            context={
                "incident": incident,
                "headline": HEADLINES[name],
                "state": incident.get_state_display(),
                "actor": actor,
                "comment": "",
            },
            link=INCIDENTS.link(incident, user),
            channels=tuple(settings.OVERSEAS_SAFETY_DUTY_CHANNELS),
            key=f"incident:{incident.pk}:{name}",
        )


def incident_reported(incident, *, actor) -> None:
    _send_duty(incident, _duty(incident), "report", actor=actor)
    if actor is not None and actor.is_office_staff:
        INCIDENTS.send(
            incident,
            _organisation(incident),
            template="overseas_safety/incident",
            context={"headline": HEADLINES["report"], "state": incident.get_state_display(), "actor": actor},
            key=f"incident:{incident.pk}:report:organisation",
            actor=actor,
        )


def escalated(incident) -> None:
    leaders = with_substitutes(office_users(Role.LEADER))
    _send_duty(incident, leaders, "escalate")


def transition_done(incident, name: str, *, actor, comment: str) -> None:
    people = _organisation(incident)
    if actor is not None and not actor.is_office_staff:
        people += _duty(incident)
    INCIDENTS.transition(incident, name, people=people, actor=actor, comment=comment)


def timeline_added(incident, entry, *, actor) -> None:
    """The other side hears of what was added: the office of the organisation's entries and vice versa."""
    people = _organisation(incident) if actor is not None and actor.is_office_staff else _duty(incident)
    INCIDENTS.send(
        incident,
        people,
        template="overseas_safety/incident",
        context={
            "headline": HEADLINES["note"],
            "state": incident.get_state_display(),
            "actor": actor,
            "comment": entry.text,
        },
        key=f"incident-entry:{entry.pk}",
        actor=actor,
    )


def assigned(incident, officer, *, actor) -> None:
    INCIDENTS.send(
        incident,
        [officer],
        template="overseas_safety/incident",
        context={"headline": HEADLINES["assign"], "state": incident.get_state_display(), "actor": actor},
        key=f"incident-assign:{incident.pk}:{officer.pk}:{incident.updated_at.isoformat()}",
        actor=actor,
    )
