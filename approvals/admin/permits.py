"""Back office of what follows approval: permits, public notices, objections and the passport custody
ledger. Read-only lists for the office; the only writes are the buttons and actions that call the same
services as the application's page (deciding an objection, taking a passport back).

Access follows the office roles rather than model permissions: every office user (officer, leader,
manager) reads these lists, and only officers — in person or as a substitute, which a group permission
cannot express — get the buttons, which the services check again.
"""

from datetime import date

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs import typography
from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.validators import mask_passport_number, normalize_passport_number
from foreign_affairs.admin_queue import TermSearchMixin

from ..forms import ReturnForm
from ..models import (
    Disclosure,
    Objection,
    ObjectionStatus,
    PassportHandover,
    Permit,
)
from ..models.permits import normalize_code
from ..passports import handover_number_shown
from ..templatetags.approvals import country_names, money
from .followup import (
    OBJECTION_COMMENT_KEY,
    decide_objection,
    may_decide_objections,
    notice_public_url,
    objection_tag,
    outcome_tag,
    permit_status_tag,
    receive_passports,
    uphold_label,
)


def application_link(application):
    return format_html(
        '<a href="{}">{}</a>',
        reverse("admin:approvals_travelapplication_change", args=[application.pk]),
        application.reference,
    )


class OfficeReadOnly:
    """For office users, read-only: no adding, changing or deleting through the admin's forms."""

    change_list_template = "admin/approvals/followup/change_list.html"
    change_form_template = "admin/approvals/followup/change_form.html"
    empty_value_display = "—"

    @staticmethod
    def _office(request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and user.is_office_staff

    # Only office staff; lists mask passport numbers all the same, a handover's page shows it whole.
    def has_module_permission(self, request):
        return self._office(request)

    def has_view_permission(self, request, obj=None):
        return self._office(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # The lists' columns need the width the admin's navigation takes (as in the queue).
    def changelist_view(self, request, extra_context=None):
        context = {
            "is_nav_sidebar_enabled": False,
            "title": capfirst(self.opts.verbose_name_plural),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)


# Permits ---------------------------------------------------------------------------------------------


class PermitStatusFilter(admin.SimpleListFilter):
    """Computed as Permit.status() computes it: revoked first, then expired after the last valid day."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("valid", _("Valid")), ("expired", _("Expired")), ("revoked", _("Revoked"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, valid_until__lt=today)
        if self.value() == "valid":
            return queryset.filter(revoked_at__isnull=True, valid_until__gte=today)
        return queryset


@admin.register(Permit)
class PermitAdmin(OfficeReadOnly, TermSearchMixin, admin.ModelAdmin):
    list_display = [
        "number",
        "reference",
        "organization_name",
        "status_tag",
        "valid_until",
        "issued_at",
        "approved_by",
        "download",
    ]
    list_filter = [PermitStatusFilter, "application__organization__ftz_area"]
    search_fields = ["number"]  # turns the box on; search_filter searches
    search_help_text = _("Permit number, verification code or application reference.")
    list_select_related = ["application__organization", "approved_by"]
    show_full_result_count = False
    fields = [
        "number",
        "reference",
        "organization_name",
        "status_tag",
        "verification_code",
        "verify_link",
        "valid_until",
        "issued_at",
        "approved_by",
        "approved_at",
        "revoked_at",
        "revoked_reason",
        "sha256",
        "download",
    ]
    readonly_fields = fields

    def search_filter(self, term: str) -> Q:
        return (
            Q(number__iexact=term)
            | Q(verification_code=normalize_code(term))
            | Q(application__reference__iexact=term)
        )

    @admin.display(description=_("application"), ordering="application__reference")
    def reference(self, permit):
        return application_link(permit.application)

    @admin.display(description=_("organisation"), ordering="application__organization__name_zh")
    def organization_name(self, permit):
        return permit.application.organization.name

    @admin.display(description=_("status"))
    def status_tag(self, permit):
        tag = permit_status_tag(permit)
        if permit.revoked_at:
            return format_html(
                '{} <span class="app-muted">{}</span>',
                tag,
                date_format(timezone.localtime(permit.revoked_at)),
            )
        return tag

    @admin.display(description=_("public verification"))
    def verify_link(self, permit):
        return format_html('<a href="{0}" rel="noopener">{0}</a>', permit.verify_url)

    @admin.display(description=_("file"))
    def download(self, permit):
        url = reverse("admin:approvals_travelapplication_permit", args=[permit.application_id])
        return format_html('<a href="{}">{}</a>', url, _("Download PDF"))


# Public notices ----------------------------------------------------------------------------------------


class ObjectionInline(OfficeReadOnly, admin.TabularInline):
    model = Objection
    fields = ["text", "name", "contact", "submitted_at", "status_tag", "decided_by", "decided_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    verbose_name_plural = _("objections")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("decided_by")

    @admin.display(description=_("status"))
    def status_tag(self, objection):
        return objection_tag(objection)


@admin.register(Disclosure)
class DisclosureAdmin(OfficeReadOnly, admin.ModelAdmin):
    list_display = [
        "reference",
        "kind",
        "organization_name",
        "published_at",
        "ends_on",
        "outcome_label",
        "pending",
        "public_page",
    ]
    list_display_links = ["kind"]  # the reference links to the application
    list_filter = ["kind", "outcome"]
    search_fields = ["application__reference"]
    list_select_related = ["application"]
    show_full_result_count = False
    inlines = [ObjectionInline]
    fields = [
        "reference",
        "kind",
        "organization_name",
        "published_at",
        "ends_on",
        "outcome_label",
        "closed_at",
        "pending",
        "public_page",
        "published",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(pending_count=Count("objections", filter=Q(objections__status=ObjectionStatus.PENDING)))
        )

    @admin.display(description=_("application"), ordering="application__reference")
    def reference(self, disclosure):
        return application_link(disclosure.application)

    @admin.display(description=_("organisation"))
    def organization_name(self, disclosure):
        content = disclosure.content or {}
        if translation.get_language() == "en":
            return content.get("organization_en") or content.get("organization_zh", "")
        return content.get("organization_zh") or content.get("organization_en", "")

    @admin.display(description=_("outcome"), ordering="outcome")
    def outcome_label(self, disclosure):
        return outcome_tag(disclosure)

    @admin.display(description=_("objections pending"), ordering="pending_count")
    def pending(self, disclosure):
        count = disclosure.pending_count
        if not count:
            return "0"
        return format_html('<span class="queue-badge queue-objections">{}</span>', count)

    @admin.display(description=_("public page"))
    def public_page(self, disclosure):
        url = notice_public_url(disclosure) if disclosure.is_open else ""
        if not url:
            return self.empty_value_display
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Open"))

    @admin.display(description=_("published content"))
    def published(self, disclosure):
        """What the public read, as it was published."""
        content = disclosure.content or {}
        facts = [
            (gettext("title"), content.get("title", "")),
            (gettext("purpose"), content.get("purpose", "")),
            (gettext("countries"), country_names(",".join(content.get("countries") or []))),
            (
                gettext("dates"),
                f"{_stored_date(content.get('departure_date'))} – {_stored_date(content.get('return_date'))}",
            ),
            (gettext("budget"), money(content.get("budget_amount"), content.get("budget_currency", ""))),
            (
                gettext("members"),
                typography.enumerate_items(
                    typography.annotate(
                        member.get("name", ""), member.get("position_on_trip") or member.get("position")
                    )
                    for member in content.get("members") or []
                ),
            ),
        ]
        for key, label in (
            ("summary", gettext("report summary")),
            ("outcomes", gettext("outcomes")),
            ("agreements", gettext("agreements signed")),
            ("actual_return_date", gettext("actual return date")),
        ):
            if content.get(key):
                value = _stored_date(content[key]) if key == "actual_return_date" else content[key]
                facts.append((label, value))
        return format_html(
            '<dl class="app-facts">{}</dl>',
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", ((label, value or "—") for label, value in facts)),
        )


def _stored_date(value) -> str:
    """An ISO date kept in a notice's content, in the reader's format."""
    try:
        return date_format(date.fromisoformat(value))
    except (TypeError, ValueError):
        return value or "—"


# Objections --------------------------------------------------------------------------------------------


@admin.register(Objection)
class ObjectionAdmin(OfficeReadOnly, admin.ModelAdmin):
    list_display = ["notice", "excerpt", "submitted_at", "status_tag", "decided_by"]
    list_display_links = ["excerpt"]
    list_filter = ["status", "disclosure__kind"]
    search_fields = ["disclosure__application__reference"]
    list_select_related = ["disclosure__application", "decided_by"]
    # What awaits a decision first, oldest first among them; then the decided ones, newest first.
    ordering = [
        Case(When(status=ObjectionStatus.PENDING, then=Value(0)), default=Value(1)).asc(),
        Case(When(status=ObjectionStatus.PENDING, then="submitted_at")).asc(),
        "-submitted_at",
    ]
    show_full_result_count = False
    change_form_template = "admin/approvals/objection/change_form.html"
    fields = [
        "notice",
        "application",
        "text",
        "name",
        "contact",
        "submitted_at",
        "status_tag",
        "decided_by",
        "decided_at",
        "decision_comment",
    ]
    readonly_fields = fields

    @admin.display(description=_("public notice"), ordering="disclosure__application__reference")
    def notice(self, objection):
        disclosure = objection.disclosure
        return format_html(
            '<a href="{}">{}</a> <span class="app-muted">{}</span>',
            reverse("admin:approvals_disclosure_change", args=[disclosure.pk]),
            disclosure.application.reference,
            disclosure.get_kind_display(),
        )

    @admin.display(description=_("application"))
    def application(self, objection):
        return application_link(objection.disclosure.application)

    @admin.display(description=_("objection"))
    def excerpt(self, objection):
        return Truncator(objection.text).chars(80)

    @admin.display(description=_("status"), ordering="status")
    def status_tag(self, objection):
        return objection_tag(objection)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="{}_{}_decide".format(*info),
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.status == ObjectionStatus.PENDING and may_decide_objections(request.user):
            context.update(
                decide_url=reverse("admin:approvals_objection_decide", args=[obj.pk]),
                decide_comment=request.session.pop(OBJECTION_COMMENT_KEY % obj.pk, ""),
                uphold_label=uphold_label(obj.disclosure.kind),
                objection=obj,
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def decide_view(self, request, object_id):
        objection = self.get_object(request, unquote(object_id))
        if objection is None:
            raise Http404(gettext("There is no such objection."))
        if not self.has_view_permission(request, objection):
            raise PermissionDenied
        if request.method == "POST":
            decide_objection(request, objection)
        return redirect(reverse("admin:approvals_objection_change", args=[objection.pk]))


# Passport custody ------------------------------------------------------------------------------------------


class CustodyFilter(admin.SimpleListFilter):
    title = _("custody")
    parameter_name = "custody"

    def lookups(self, request, model_admin):
        return [("outstanding", _("Handed out")), ("overdue", _("Overdue")), ("returned", _("Returned"))]

    def queryset(self, request, queryset):
        if self.value() == "outstanding":
            return queryset.filter(returned_at__isnull=True)
        if self.value() == "overdue":
            return queryset.filter(returned_at__isnull=True, due_on__lt=timezone.localdate())
        if self.value() == "returned":
            return queryset.filter(returned_at__isnull=False)
        return queryset


@admin.register(PassportHandover)
class PassportHandoverAdmin(OfficeReadOnly, TermSearchMixin, admin.ModelAdmin):
    """Passports are handed out from the application's page; here the office sees what is out and takes
    passports back."""

    list_display = [
        "person",
        "organization_name",
        "masked_passport",
        "trip",
        "handed_out_at",
        "handed_to",
        "due_on",
        "returned_at",
        "overdue",
    ]
    list_display_links = ["person"]
    list_filter = [CustodyFilter, "person__organization__ftz_area"]
    search_fields = ["person__full_name"]  # turns the box on; search_filter searches
    search_help_text = _("Holder's name, whole passport number or trip reference.")
    list_select_related = ["person__organization", "application"]
    ordering = ["-handed_out_at", "-pk"]
    show_full_result_count = False
    actions = ["mark_received"]
    fields = [
        "person",
        "organization_name",
        "passport",
        "trip",
        "handed_out_at",
        "handed_out_by",
        "handed_to",
        "notes",
        "due_on",
        "returned_at",
        "received_by",
        "overdue",
    ]
    readonly_fields = fields

    def has_receive_permission(self, request):
        return request.user.has_role(Role.OFFICER)

    def search_filter(self, term: str) -> Q:
        return (
            Q(person__full_name__icontains=term)
            | Q(passport_number=normalize_passport_number(term))
            | Q(application__reference__iexact=term)
        )

    @admin.display(description=_("organisation"), ordering="person__organization__name_zh")
    def organization_name(self, handover):
        return handover.person.organization.name

    @admin.display(description=_("passport number"))
    def masked_passport(self, handover):
        return mask_passport_number(handover.passport_number)  # a list: masked; found whole by the search

    @admin.display(description=_("passport number"))
    def passport(self, handover):
        # Set by render_change_form, which records the look; masked anywhere else.
        return getattr(handover, "shown_passport_number", None) or mask_passport_number(
            handover.passport_number
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            obj.shown_passport_number = handover_number_shown(request, obj, case=obj.application.reference)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("trip"), ordering="application__reference")
    def trip(self, handover):
        return application_link(handover.application)

    @admin.display(description=_("overdue"))
    def overdue(self, handover):
        if not handover.is_overdue:
            return ""
        days = (timezone.localdate() - handover.due_on).days
        return format_html(
            '<span class="queue-badge queue-overdue">{}</span>',
            ngettext("%(days)d day overdue", "%(days)d days overdue", days) % {"days": days},
        )

    @admin.action(description=_("Record the return…"), permissions=["receive"])
    def mark_received(self, request, queryset):
        """A confirmation page first: the passports chosen and the day they came back; then the returns."""
        handovers = list(queryset.select_related("person", "application").order_by("due_on", "pk"))
        form = ReturnForm(request.POST if "confirm" in request.POST else None)
        if form.is_bound and form.is_valid():
            receive_passports(request, handovers, returned_on=form.cleaned_data["returned_on"])
            return None
        return TemplateResponse(
            request,
            "admin/approvals/passporthandover/receive_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Record the return of passports"),
                "handovers": handovers,
                # A list: masked; the holder, the trip and the last digits tell the passport in hand.
                "rows": [
                    {"handover": handover, "passport": mask_passport_number(handover.passport_number)}
                    for handover in handovers
                ],
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
            status=400 if form.is_bound else 200,
        )
