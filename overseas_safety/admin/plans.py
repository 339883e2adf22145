"""Emergency plans (应急预案) in the back office: per incident kind and level, the ordered steps with the
role responsible and the contacts. Officers keep them (through services.plans.plan_save, audited as
"plan.update"); leaders read. A plan is never deleted (incidents' checklists name it): it is taken out of
force instead."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..models import EmergencyPlan, PlanStep
from ..services.plans import plan_save


class PlanStepFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [form for form in self.forms if _kept(self, form)]
        if self.instance.is_active and not kept:
            raise forms.ValidationError(_("A plan in force needs at least one step."))


def _kept(formset, form) -> bool:
    """Whether the form is a step of the plan after saving: not deleted, and not an empty extra row."""
    if formset.can_delete and formset._should_delete_form(form):
        return False
    return bool(form.instance.pk) or form.has_changed()


class PlanStepInline(admin.TabularInline):
    """The steps, in order. Their permissions are the plan's: whoever may change the plan edits its steps."""

    model = PlanStep
    formset = PlanStepFormSet
    fields = ["position", "text", "responsible", "contacts"]
    ordering = ["position", "pk"]
    extra = 1
    verbose_name = _("step")
    verbose_name_plural = _("steps, in order")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "position" and field is not None:
            # Blank: the step goes last. Also keeps an untouched extra row from counting as a step.
            field.required, field.initial = False, None
            field.widget.attrs["style"] = "width: 4em"
            field.help_text = _("Steps are done in this order; they are numbered 1, 2, … when saved.")
        sizes = {"text": 40, "responsible": 16, "contacts": 28}
        if db_field.name in sizes and field is not None:
            field.widget.attrs["size"] = sizes[db_field.name]
        return field

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("overseas_safety.view_emergencyplan") or self.has_change_permission(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("overseas_safety.add_emergencyplan")
        return request.user.has_perm("overseas_safety.change_emergencyplan")

    def has_add_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


@admin.register(EmergencyPlan)
class EmergencyPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "kind_label", "max_level", "step_count", "is_active", "updated_at"]
    list_filter = ["kind", "max_level", "is_active"]
    search_fields = ["title", "summary"]
    ordering = ["kind", "max_level", "title"]
    fields = ["title", "kind", "max_level", "summary", "is_active", "updated_at"]
    readonly_fields = ["updated_at"]
    inlines = [PlanStepInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(step_total=Count("steps"))

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("for incidents of kind"), ordering="kind")
    def kind_label(self, plan):
        return plan.get_kind_display() if plan.kind else _("Every kind")

    @admin.display(description=_("steps"), ordering="step_total")
    def step_count(self, plan):
        return plan.step_total

    def save_model(self, request, obj, form, change):
        """Nothing here: the plan is saved with its steps in save_related, through the service."""

    def save_related(self, request, form, formsets, change):
        """The plan and its whole list of steps, in one call of the service (checked, numbered, audited)."""
        steps = None
        for formset in formsets:
            if formset.model is PlanStep:
                # commit=False writes nothing; it only tells the admin's history what was added or changed.
                formset.save(commit=False)
                kept = [form for form in formset.forms if _kept(formset, form)]
                # By the order given (a blank one last), then as listed.
                last = len(formset.forms) + 1000
                kept.sort(
                    key=lambda f: (
                        f.cleaned_data.get("position")
                        if f.cleaned_data.get("position") is not None
                        else last,
                        formset.forms.index(f),
                    )
                )
                steps = [form.instance for form in kept]
        plan_save(plan=form.instance, actor=request.user, steps=steps)
