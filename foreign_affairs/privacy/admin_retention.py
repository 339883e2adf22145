"""Back office of the retention rules: the office's months and "enforced" switch per kind of record
(leaders and administrators change them, audited), the dry run (what would go now) and "Purge now"
(after a confirmation page; audited). Imported by privacy/admin.py."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import retention
from .models import RetentionRule

# Rows shown per kind on the dry-run page; the count above each list is always the whole number.
DRY_RUN_ROWS = 200


def may_change_rules(user) -> bool:
    """Leaders and administrators set how long records are kept and purge (privacy.change_retentionrule);
    other office staff read (privacy.view_retentionrule)."""
    return user.is_active and user.is_office_staff and user.has_perm("privacy.change_retentionrule")


class RetentionRuleForm(forms.ModelForm):
    class Meta:
        model = RetentionRule
        fields = ["months", "enabled"]

    def clean_months(self):
        months = self.cleaned_data["months"]
        if months < 1:
            raise forms.ValidationError(_("Keep records for at least one month."))
        return months


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    form = RetentionRuleForm
    list_display = ["kind_label", "months", "enabled", "default_months", "updated_at"]
    list_filter = ["enabled"]
    fields = ["kind_label", "kind", "default_months", "months", "enabled", "updated_at"]
    readonly_fields = ["kind_label", "kind", "default_months", "updated_at"]

    # Permissions: by role, not by model permission (the privacy app grants none to the role groups).

    def has_module_permission(self, request):
        user = request.user
        return user.is_active and user.is_office_staff and user.has_perm("privacy.view_retentionrule")

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return may_change_rules(request.user)

    def has_add_permission(self, request):
        return False  # one rule per kind, created after every migrate

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("kind of record"), ordering="kind")
    def kind_label(self, rule):
        return retention.kind_label(rule.kind)

    @admin.display(description=_("default (months)"))
    def default_months(self, rule):
        kind = next((kind for kind in retention.kinds() if kind.name == rule.kind), None)
        return kind.months if kind else self.get_empty_value_display()

    def get_queryset(self, request):
        retention.rules_create_missing()
        return super().get_queryset(request)

    def save_model(self, request, obj, form, change):
        if not may_change_rules(request.user):
            raise PermissionDenied
        retention.rule_update(rule=obj, months=obj.months, enabled=obj.enabled, actor=request.user)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "dry_run_url": reverse("admin:privacy_retention_dry_run")}
        return super().changelist_view(request, extra_context)

    # The dry run and "Purge now"

    def get_urls(self):
        return [
            path("dry-run/", self.admin_site.admin_view(self.dry_run_view), name="privacy_retention_dry_run"),
            path("purge/", self.admin_site.admin_view(self.purge_view), name="privacy_retention_purge"),
            *super().get_urls(),
        ]

    def _page(self, request, template, title, **context):
        return TemplateResponse(
            request,
            template,
            {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **context},
        )

    def _sections(self):
        plans = retention.plan_by_kind()
        return [
            {
                "name": plan.kind.name,
                "label": plan.kind.label,
                "months": plan.months,
                "enforced": plan.enforced,
                "cutoff": plan.cutoff,
                "count": len(plan.due),
                "rows": [
                    {
                        "case": item.case,
                        "closed_at": item.closed_at,
                        "what": retention.counts_text(item.detail),
                    }
                    for item in plan.due[:DRY_RUN_ROWS]
                ],
                "more": max(len(plan.due) - DRY_RUN_ROWS, 0),
            }
            for plan in plans
        ]

    def dry_run_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        sections = self._sections()
        return self._page(
            request,
            "admin/privacy/retention_dry_run.html",
            gettext("Retention: what would go now"),
            sections=sections,
            total=sum(section["count"] for section in sections),
            to_purge=sum(section["count"] for section in sections if section["enforced"]),
            can_purge=may_change_rules(request.user),
            purge_url=reverse("admin:privacy_retention_purge"),
        )

    def purge_view(self, request):
        if not may_change_rules(request.user):
            raise PermissionDenied
        if request.method == "POST":
            summary = retention.purge_now(actor=request.user)
            self.message_user(
                request,
                ngettext(
                    "%(count)d record was purged; each is in the audit log.",
                    "%(count)d records were purged; each is in the audit log.",
                    summary["purged"],
                )
                % {"count": summary["purged"]},
                messages.SUCCESS,
            )
            if summary["failed"]:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d record could not be purged; the next run tries again.",
                        "%(count)d records could not be purged; the next run tries again.",
                        summary["failed"],
                    )
                    % {"count": summary["failed"]},
                    messages.ERROR,
                )
            return HttpResponseRedirect(reverse("admin:privacy_retention_dry_run"))
        sections = [section for section in self._sections() if section["enforced"] and section["count"]]
        return self._page(
            request,
            "admin/privacy/retention_purge.html",
            gettext("Purge now"),
            sections=sections,
            total=sum(section["count"] for section in sections),
            dry_run_url=reverse("admin:privacy_retention_dry_run"),
        )
