"""The incident's state machine (django-fsm-2) and the area's fixed vocabularies.

    reported ─acknowledge─▶ acknowledged ─respond─▶ responding ─resolve─▶ resolved ─close─▶ closed
       │ (duty officer or any officer)                                             │
       └── merge (a duplicate of another incident; from any open state) ─▶ merged   └─reopen─▶ responding

Transitions only change fields; services.incidents runs them (foreign_affairs.fsm.check_transition: role,
state, conditions, comment), locks the row, saves, writes the timeline, audits and notifies.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from foreign_affairs.fsm import TransitionInfo, is_officer


class SiteKind(models.TextChoices):
    PROJECT = "project", _("Project site")
    BRANCH = "branch", _("Branch or subsidiary")
    OFFICE = "office", _("Representative office")
    OTHER = "other", pgettext_lazy("site kind", "Other")


class IncidentKind(models.TextChoices):
    SECURITY = "security", _("Security (crime, terrorism, unrest)")
    DISASTER = "disaster", _("Natural disaster")
    ACCIDENT = "accident", _("Accident")
    HEALTH = "health", _("Health (illness, epidemic)")
    DETENTION = "detention", _("Detention or legal trouble")
    LABOUR = "labour", _("Labour dispute")
    OTHER = "other", pgettext_lazy("incident kind", "Other")


class Level(models.TextChoices):
    """The national four levels of emergencies (突发事件分级): I is the gravest."""

    I = "1", _("Level I: especially major")  # noqa: E741
    II = "2", _("Level II: major")
    III = "3", _("Level III: larger")
    IV = "4", _("Level IV: general")


# Levels whose incidents must be acknowledged within OVERSEAS_SAFETY_ACK_MINUTES_GRAVE (else the
# working-hours limit applies).
GRAVE_LEVELS = (Level.I, Level.II)


class PersonStatus(models.TextChoices):
    SAFE = "safe", _("Safe")
    INJURED = "injured", _("Injured")
    MISSING = "missing", _("Missing")
    DETAINED = "detained", _("Detained")
    DECEASED = "deceased", _("Deceased")
    UNKNOWN = "unknown", _("Status unknown")


class State(models.TextChoices):
    REPORTED = "reported", pgettext_lazy("incident state", "Reported")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESPONDING = "responding", _("Responding")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", pgettext_lazy("incident state", "Closed")
    MERGED = "merged", _("Merged into another report")


class Source(models.TextChoices):
    ENTERPRISE = "enterprise", _("Reported by the enterprise")
    CALL = "call", _("Taken by the office from a call")
    ALERT = "alert", _("“Need help” answer to a safety alert")


STATE_TONES = {
    State.REPORTED: "danger",
    State.ACKNOWLEDGED: "attention",
    State.RESPONDING: "progress",
    State.RESOLVED: "success",
    State.CLOSED: "neutral",
    State.MERGED: "neutral",
}
LEVEL_TONES = {Level.I: "danger", Level.II: "danger", Level.III: "attention", Level.IV: "neutral"}
# An incident in one of these still needs the office; the queue shows them by default.
OPEN_STATES = (State.REPORTED, State.ACKNOWLEDGED, State.RESPONDING)
# The enterprise may add to the timeline and the people affected until the incident is closed.
ACTIVE_STATES = (*OPEN_STATES, State.RESOLVED)

NEXT_STEP = {
    State.REPORTED: _("The office's duty officer acknowledges the report and takes charge of it."),
    State.ACKNOWLEDGED: _("The office starts the response, under an emergency plan where one applies."),
    State.RESPONDING: _(
        "The office and the enterprise work on the incident; each step shows in the timeline."
    ),
    State.RESOLVED: _("The incident is resolved; the office closes it after a last review."),
    State.CLOSED: _("The incident is closed."),
    State.MERGED: _("This report was merged into another report of the same incident."),
}


def has_no_open_checklist_step(incident) -> bool:
    return not incident.checklist.filter(done_at__isnull=True).exists()


def has_merge_target(incident) -> bool:
    return incident.merged_into_id is not None and incident.merged_into_id != incident.pk


TRANSITIONS = {
    "acknowledge": TransitionInfo(_("Acknowledge and take charge"), style="success"),
    "respond": TransitionInfo(_("Start the response")),
    "resolve": TransitionInfo(_("Mark resolved"), comment="required", style="success"),
    "reopen": TransitionInfo(_("Reopen"), comment="required", style="warning"),
    "close": TransitionInfo(_("Close"), style="secondary"),
    "merge": TransitionInfo(
        _("Merge into another report"), comment="optional", destructive=True, style="outline-danger"
    ),
}

ACTION_LABELS = {
    "incident.report": _("reported the incident"),
    "incident.update": _("changed the incident"),
    "incident.attach": _("attached a document"),
    "incident.detach": _("removed a document"),
    "incident.assign": _("assigned the incident"),
    "incident.acknowledge": _("acknowledged the incident"),
    "incident.respond": _("started the response"),
    "incident.resolve": _("marked the incident resolved"),
    "incident.reopen": _("reopened the incident"),
    "incident.close": _("closed the incident"),
    "incident.merge": _("merged the report into another"),
    "incident.escalate": _("the unacknowledged incident was escalated to the leaders"),
    "incident.note": _("added to the timeline"),
    "incident.person": _("recorded a person affected"),
    "incident.plan": _("attached an emergency plan"),
    "incident.step": _("ticked a step of the plan"),
    "site.create": _("registered the overseas site"),
    "site.update": _("changed the overseas site"),
    "stationing.create": _("registered a stationed staff member"),
    "stationing.update": _("changed a stationed staff member"),
    "duty.update": _("changed the duty roster"),
    "plan.update": _("changed the emergency plan"),
    "alert.create": _("prepared the safety alert"),
    "alert.send": _("sent the safety alert"),
    "alert.answer": _("answered the safety alert"),
}


# What a timeline entry written by the portal says, by its action (shown in the reader's language; the
# entry's text then holds only the comment, the plan's title, the step or the person).
TIMELINE_HEADLINES = {
    "incident.report": _("Incident reported"),
    "incident.acknowledge": _("Acknowledged: the office has taken charge"),
    "incident.respond": _("Response started"),
    "incident.resolve": pgettext_lazy("timeline", "Resolved"),
    "incident.reopen": _("Reopened"),
    "incident.close": pgettext_lazy("timeline", "Closed"),
    "incident.merge": _("Merged into another report"),
    "incident.escalate": _("Not acknowledged in time: escalated to the office's leaders"),
    "incident.plan": _("Emergency plan attached"),
    "incident.step": _("Step of the plan done"),
    "incident.step_undone": _("Step of the plan not done after all"),
    "incident.person": _("Status of a person"),
}


class IncidentWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(_("state"), default=State.REPORTED, choices=State.choices, protected=True, db_index=True)

    class Meta:
        abstract = True

    @transition(field=state, source=State.REPORTED, target=State.ACKNOWLEDGED, permission=is_officer)
    def acknowledge(self):
        self.acknowledged_at = timezone.now()

    @transition(field=state, source=State.ACKNOWLEDGED, target=State.RESPONDING, permission=is_officer)
    def respond(self):
        pass

    @transition(
        field=state,
        source=[State.ACKNOWLEDGED, State.RESPONDING],
        target=State.RESOLVED,
        permission=is_officer,
        conditions=[has_no_open_checklist_step],
    )
    def resolve(self):
        self.resolved_at = timezone.now()

    @transition(field=state, source=State.RESOLVED, target=State.RESPONDING, permission=is_officer)
    def reopen(self):
        self.resolved_at = None

    @transition(field=state, source=State.RESOLVED, target=State.CLOSED, permission=is_officer)
    def close(self):
        self.closed_at = timezone.now()

    @transition(
        field=state,
        source=[*OPEN_STATES],
        target=State.MERGED,
        permission=is_officer,
        conditions=[has_merge_target],
    )
    def merge(self):
        self.closed_at = timezone.now()
