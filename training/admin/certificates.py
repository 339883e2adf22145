"""Training certificates (结业证书) in the back office, and the e-mails to trainees without an account.

The certificates' list shows each one's number, holder, course, dates and status (valid, expiring within 30
days, expired, revoked) and whether its PDF is rendered; a certificate's page is read-only: its facts, the PDF
to download, the public verify link, the timeline and, for officers, revoking it with a reason
(services.certificate_revoke; the verify page then says so). Certificates are issued and rendered by the
services when a course is completed, never by hand."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs.admin_pages import OfficePageAdmin, form_error_messages, timeline
from foreign_affairs.admin_queue import REFUSALS, TermSearchMixin, audit_url, report_refusal

from .. import selectors, services
from ..documents import certificate_response
from ..models import Certificate, TrainingMessage
from .common import certificate_tag, event_detail, moment
from .courses import WIDE
from .filters import (
    CERTIFICATE_SEARCH_HELP,
    MESSAGE_SEARCH_HELP,
    CertificateCourseFilter,
    CertificateStatusFilter,
    PredepartureFilter,
    SentFilter,
    certificate_search_q,
    message_search_q,
)
from .forms import RevokeForm


def long_date(day) -> str:
    return date_format(day, "DATE_FORMAT") if day else ""


@admin.register(Certificate)
class CertificateAdmin(OfficePageAdmin):
    list_display = [
        "number",
        "holder_label",
        "organization_label",
        "course_label",
        "issued_label",
        "valid_until_label",
        "status_label",
        "rendered_label",
    ]
    list_display_links = ["number"]
    list_filter = [CertificateStatusFilter, CertificateCourseFilter, PredepartureFilter]
    search_fields = ["number"]  # turns the search box on; the search itself is search_filter
    search_q = staticmethod(certificate_search_q)
    search_help_text = CERTIFICATE_SEARCH_HELP
    ordering = ["-issued_on", "-pk"]
    change_list_template = "admin/training/certificate/change_list.html"
    change_form_template = "admin/training/certificate/change_form.html"
    form_page_template = "admin/training/form_page.html"
    fields = ["number"]
    readonly_fields = ["number"]
    queue_title = _("Training certificates")
    transitions = {}
    comment_session_key = "training-certificate-%s"
    not_found = _("There is no such certificate.")

    def get_queryset(self, request):
        return selectors.certificates_for(request.user)

    def subject(self, certificate) -> str:
        return certificate.number

    # Columns

    @admin.display(description=_("holder"), ordering="holder_name")
    def holder_label(self, certificate):
        return certificate.holder_name

    @admin.display(description=_("organisation"), ordering="organization__name_zh")
    def organization_label(self, certificate):
        if certificate.organization_id is None:
            return format_html('<span class="app-muted">{}</span>', gettext("The office"))
        return Truncator(certificate.organization.name_zh).chars(30)

    @admin.display(description=_("course"), ordering="course__code")
    def course_label(self, certificate):
        return format_html(
            '{}<div class="app-muted">{}</div>',
            Truncator(certificate.course.title).chars(40),
            certificate.course.code,
        )

    @admin.display(description=_("issued on"), ordering="issued_on")
    def issued_label(self, certificate):
        return format_html('<span class="queue-due">{}</span>', long_date(certificate.issued_on))

    @admin.display(description=_("valid until"), ordering="valid_until")
    def valid_until_label(self, certificate):
        return format_html('<span class="queue-due">{}</span>', long_date(certificate.valid_until))

    @admin.display(description=_("status"), ordering="valid_until")
    def status_label(self, certificate):
        return certificate_tag(certificate)

    @admin.display(description=_("PDF"), ordering="rendered_at")
    def rendered_label(self, certificate):
        if certificate.file:
            return mark_safe('<span data-rendered="yes">✓</span>')
        if certificate.render_error:
            return format_html(
                '<span class="queue-badge queue-rule-error" data-rendered="error">{}</span>',
                gettext("failed"),
            )
        return format_html('<span class="app-muted" data-rendered="no">{}</span>', gettext("being prepared"))

    def changelist_view(self, request, extra_context=None):
        context = {"sessions_url": reverse("admin:training_session_changelist"), **(extra_context or {})}
        return super().changelist_view(request, context)

    # The page

    def detail_queryset(self, queryset):
        return queryset.select_related("revoked_by", "enrolment__session__course", "enrolment__person")

    def page_context(self, request, certificate) -> dict:
        officer = self.may_act(request)
        enrolment = certificate.enrolment
        return {
            "certificate": certificate,
            "crumb": f"{certificate.number} {certificate.holder_name}",
            "status_tag": certificate_tag(certificate),
            "issued_on": long_date(certificate.issued_on),
            "valid_until": long_date(certificate.valid_until),
            "revoked_at": moment(certificate.revoked_at),
            "rendered_at": moment(certificate.rendered_at),
            "session": enrolment.session,
            "session_url": reverse("admin:training_session_change", args=[enrolment.session_id]),
            "enrolment_url": reverse("admin:training_enrolment_change", args=[enrolment.pk]),
            "course_url": reverse("admin:training_course_change", args=[certificate.course_id]),
            "download_url": self._url("download", certificate.pk) if certificate.file else "",
            "verify_url": certificate.verify_url,
            "revoke_form": RevokeForm() if officer and certificate.revoked_at is None else None,
            "revoke_url": self._url("revoke", certificate.pk, request=request),
            "events": timeline(certificate, detail=event_detail),
            "audit_url": audit_url(certificate.number),
            "officer": officer,
        }

    def admin_views(self) -> list[tuple]:
        return [
            ("<path:object_id>/download/", self.download_view, "download"),
            ("<path:object_id>/revoke/", self.revoke_view, "revoke"),
        ]

    def download_view(self, request, object_id):
        """The certificate's PDF, for whoever may read the list (404 while it is being prepared)."""
        return certificate_response(self._object_or_404(request, object_id))

    def revoke_view(self, request, object_id):
        certificate = self._acting_object(request, object_id)
        if request.method == "POST":
            form = RevokeForm(request.POST)
            if not form.is_valid():
                messages.error(request, " ".join(form_error_messages(form)))
            else:
                try:
                    services.certificate_revoke(
                        certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
                    )
                except REFUSALS as error:
                    report_refusal(request, error)
                else:
                    messages.success(
                        request,
                        gettext("%(number)s is revoked: its verify page says so.")
                        % {"number": certificate.number},
                    )
        return self._back(request, certificate, "revoke")


@admin.register(TrainingMessage)
class TrainingMessageAdmin(TermSearchMixin, admin.ModelAdmin):
    """The e-mails to trainees without an account (place given, reminders, cancellations, certificates),
    written and sent by the area's outbox; read only here."""

    list_display = ["to", "subject", "created_label", "sent_label", "attempts", "error_label"]
    list_filter = [SentFilter]
    search_fields = ["to"]  # turns the search box on; the search itself is search_filter
    search_help_text = MESSAGE_SEARCH_HELP
    ordering = ["-created_at", "-pk"]
    fields = ["to", "subject", "body", "created_at", "sent_at", "attempts", "last_error", "enrolment_link"]
    readonly_fields = fields
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    empty_value_display = "—"

    def search_filter(self, term: str):
        return message_search_q(term)

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**WIDE, **(extra_context or {})})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, {**WIDE, **(extra_context or {})})

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_office_staff else queryset.none()

    @admin.display(description=_("written"), ordering="created_at")
    def created_label(self, message):
        return moment(message.created_at)

    @admin.display(description=_("sent"), ordering="sent_at")
    def sent_label(self, message):
        if message.sent_at:
            return format_html('<span data-sent="yes">{}</span>', moment(message.sent_at))
        return format_html(
            '<span class="queue-badge queue-rule-warning" data-sent="no">{}</span>', gettext("not yet")
        )

    @admin.display(description=_("last error"))
    def error_label(self, message):
        return Truncator(message.last_error).chars(80) if message.last_error else self.empty_value_display

    @admin.display(description=_("enrolment"))
    def enrolment_link(self, message):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:training_enrolment_change", args=[message.enrolment_id]),
            gettext("The enrolment's page"),
        )
