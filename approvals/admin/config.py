"""Back office of the office's configuration: the rules and the service levels (audited)."""

import json

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import configuration, rules
from ..models import (
    RuleSetting,
    ServiceLevel,
    Severity,
)
from ..workflow import WAITING_STATES


class RuleSettingForm(forms.ModelForm):
    class Meta:
        model = RuleSetting
        fields = ["enabled", "severity", "parameters"]

    def clean_parameters(self):
        try:
            return configuration.validate_rule_parameters(
                self.instance.code, self.cleaned_data.get("parameters")
            )
        except ValidationError as error:
            raise ValidationError(error.message_dict.get("parameters", error.messages)) from error


@admin.register(RuleSetting)
class RuleSettingAdmin(admin.ModelAdmin):
    """The set of rules is fixed by the code (rules.RULES); the office switches them and tunes them."""

    form = RuleSettingForm
    list_display = ["code", "rule_label", "enabled", "severity", "parameter_summary"]
    list_filter = ["enabled", "severity"]
    search_fields = ["code"]
    fields = ["code", "rule_label", "enabled", "severity", "parameters"]
    readonly_fields = ["code", "rule_label"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        rule = rules.RULES.get(obj.code) if obj is not None else None
        # A user who may only view the setting gets a form without fields (the admin shows it read-only).
        if rule is not None and {"severity", "parameters"} <= set(form.base_fields):
            # The form class is made afresh for each request, so its fields can carry this rule's defaults.
            form.base_fields["severity"].help_text = _("Default: %(severity)s.") % {
                "severity": Severity(rule.severity).label
            }
            form.base_fields["parameters"].help_text = (
                _("A JSON object; parameters left out keep their default. Defaults: %(defaults)s")
                % {"defaults": json.dumps(rule.parameters, ensure_ascii=False)}
                if rule.parameters
                else _("This rule has no parameters.")
            )
        return form

    @admin.display(description=_("rule"))
    def rule_label(self, setting):
        rule = rules.RULES.get(setting.code)
        return rule.label if rule else _("(no longer in the code)")

    @admin.display(description=_("parameters"))
    def parameter_summary(self, setting):
        return ", ".join(f"{key}={value}" for key, value in sorted(setting.parameters.items())) or "—"

    def save_model(self, request, obj, form, change):
        configuration.rule_setting_save(setting=obj, actor=request.user)


class ServiceLevelForm(forms.ModelForm):
    class Meta:
        model = ServiceLevel
        fields = ["state", "working_days", "escalate_after"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "state" in self.fields:
            self.fields["state"].choices = [(state.value, state.label) for state in WAITING_STATES]

    def clean(self):
        cleaned = super().clean()
        try:
            configuration.validate_service_level(
                state=cleaned.get("state", self.instance.state), working_days=cleaned.get("working_days")
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return cleaned


@admin.register(ServiceLevel)
class ServiceLevelAdmin(admin.ModelAdmin):
    form = ServiceLevelForm
    list_display = ["state", "working_days", "escalate_after"]
    fieldsets = [
        (
            None,
            {
                "fields": ["state", "working_days", "escalate_after"],
                "description": _(
                    "Deadlines count working days from the day an application enters the state. A change "
                    "applies to applications entering the state from now on."
                ),
            },
        )
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["state"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        configuration.service_level_save(level=obj, actor=request.user)
