"""Emergency plans: keeping a plan and its ordered steps (the back office), and on an incident: which
plans fit it, attaching one (its steps copied into the incident's checklist), ticking a step."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from foreign_affairs.audit.services import record_event

from ..models import ChecklistStep, EmergencyPlan, Incident, PlanStep, TimelineEntry
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
            text=plan.title,
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
        TimelineEntry.objects.create(
            incident=incident,
            author=actor,
            text=step.text,
            action="incident.step" if done else "incident.step_undone",
        )
        record_event(actor=actor, action="incident.step", obj=incident, data={"step": step.pk, "done": done})
    return step


def checklist_progress(incident: Incident) -> tuple[int, int]:
    """(done, total) of the incident's checklist."""
    steps = list(incident.checklist.values_list("done_at", flat=True))
    return sum(1 for d in steps if d), len(steps)


# Keeping the plans (officers; leaders read) ----------------------------------------------------------------

PLAN_FIELDS = ["title", "kind", "max_level", "summary", "is_active"]
STEP_FIELDS = ["text", "responsible", "contacts"]


def plan_save(*, plan: EmergencyPlan, actor, steps: list[PlanStep] | None = None) -> EmergencyPlan:
    """Create or change an emergency plan and, when `steps` is given, its whole list of steps: those given,
    numbered 1, 2, … in the order given (steps of the plan left out are removed). Officers only. A plan in
    force needs at least one step. Audited as "plan.update" with the fields and steps changed; saving it
    unchanged records nothing. Incidents keep the steps as they were when their plan was attached."""
    if not actor.has_role("Officer"):
        raise PermissionDenied(_("Only approval officers keep the emergency plans."))
    with transaction.atomic():
        created = plan._state.adding or plan.pk is None
        before = (
            None
            if created
            else EmergencyPlan.objects.select_for_update()
            .filter(pk=plan.pk)
            .values(*PLAN_FIELDS, "updated_at")
            .first()
        )
        changed = [field for field in PLAN_FIELDS if before is None or before[field] != getattr(plan, field)]
        old_steps = (
            [] if created else list(plan.steps.order_by("position", "pk").values_list("pk", *STEP_FIELDS))
        )
        if steps is not None and any(step.plan_id not in (None, plan.pk) for step in steps if step.pk):
            raise ValidationError({"steps": _("A step of another plan cannot be moved here.")})
        count = len(steps) if steps is not None else len(old_steps)
        if plan.is_active and count == 0:
            raise ValidationError({"steps": _("A plan in force needs at least one step.")})
        plan.updated_at = timezone.now()
        plan.full_clean()
        plan.save()
        if steps is not None:
            plan.steps.exclude(pk__in=[step.pk for step in steps if step.pk]).delete()
            for position, step in enumerate(steps, start=1):
                step.plan, step.position = plan, position
                step.full_clean()
                step.save()
        new_steps = list(plan.steps.order_by("position", "pk").values_list("pk", *STEP_FIELDS))
        if created or changed or new_steps != old_steps:
            record_event(
                actor=actor,
                action="plan.update",
                obj=plan,
                data={
                    "created": created,
                    "fields": [] if created else changed,
                    "steps": len(new_steps),
                    "steps_changed": new_steps != old_steps,
                },
            )
        else:
            # Nothing changed: the plan keeps the date of its last real change.
            plan.updated_at = before["updated_at"]
            EmergencyPlan.objects.filter(pk=plan.pk).update(updated_at=plan.updated_at)
    return plan
