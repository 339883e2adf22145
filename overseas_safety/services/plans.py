"""Emergency plans on an incident: which plans fit it, attaching one (its steps copied into the
incident's checklist), ticking a step."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from foreign_affairs.audit.services import record_event

from ..models import ChecklistStep, EmergencyPlan, Incident, TimelineEntry
from ..workflow import OPEN_STATES
from .incidents import _locked, _require_active


def plans_for(incident: Incident) -> QuerySet:
    """The plans in force that fit the incident: its kind (or every kind) and a level at least as grave
    as the plan's threshold ("1" is the gravest, so the incident's level ≤ the plan's)."""
    return (
        EmergencyPlan.objects.filter(is_active=True)
        .filter(Q(kind=incident.kind) | Q(kind=""))
        .filter(max_level__gte=incident.level)
        .order_by("-kind", "max_level", "title")
    )


def plan_attach(*, incident: Incident, actor, plan: EmergencyPlan) -> list[ChecklistStep]:
    """Copy the plan's steps into the incident's checklist (officers; attaching the same plan twice
    changes nothing)."""
    if not actor.has_role("Officer"):
        raise Http404
    with transaction.atomic():
        incident = _locked(incident)
        if incident.state not in OPEN_STATES:
            raise ValidationError({"plan": _("A plan can be attached only while the incident is open.")})
        if not plan.is_active:
            raise ValidationError({"plan": _("This plan is no longer in force.")})
        if incident.checklist.filter(plan=plan).exists():
            return list(incident.checklist.filter(plan=plan))
        steps = ChecklistStep.objects.bulk_create(
            [
                ChecklistStep(
                    incident=incident,
                    plan=plan,
                    position=index,
                    text=step.text,
                    responsible=step.responsible,
                    contacts=step.contacts,
                )
                for index, step in enumerate(plan.steps.order_by("position", "pk"), start=1)
            ]
        )
        TimelineEntry.objects.create(
            incident=incident,
            author=actor,
            text=_("Emergency plan attached: %(plan)s") % {"plan": plan.title},
            action="incident.plan",
        )
        record_event(
            actor=actor, action="incident.plan", obj=incident, data={"plan": plan.pk, "steps": len(steps)}
        )
    return steps


def step_tick(*, step: ChecklistStep, actor, done: bool = True) -> ChecklistStep:
    """Mark a checklist step done (or not done again) by an officer; written to the timeline."""
    if not actor.has_role("Officer"):
        raise Http404
    with transaction.atomic():
        incident = _locked(step.incident)
        _require_active(incident, actor)
        step = ChecklistStep.objects.select_for_update().get(pk=step.pk, incident=incident)
        if bool(step.done_at) == done:
            return step
        step.done_at, step.done_by = (timezone.now(), actor) if done else (None, None)
        step.save(update_fields=["done_at", "done_by"])
        text = _("Done: %(step)s") if done else _("Not done after all: %(step)s")
        TimelineEntry.objects.create(
            incident=incident, author=actor, text=text % {"step": step.text}, action="incident.step"
        )
        record_event(actor=actor, action="incident.step", obj=incident, data={"step": step.pk, "done": done})
    return step


def checklist_progress(incident: Incident) -> tuple[int, int]:
    """(done, total) of the incident's checklist."""
    steps = list(incident.checklist.values_list("done_at", flat=True))
    return sum(1 for d in steps if d), len(steps)
