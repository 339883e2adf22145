"""Enrolments (报名) in the back office: every trainee in every session, with their state and how their
attendance was recorded, and an enrolment's read-only page (its assessment attempts, its certificate, the
e-mails to the trainee, the timeline) with the one button the office presses there: cancel, with an optional
comment, through services.enrolment_cancel. The register and the waiting list are on the session's page."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs.admin_pages import OfficePageAdmin, possible_transitions, timeline
from foreign_affairs.admin_queue import audit_url

from .. import selectors, services
from ..models import Enrolment
from ..workflow import ENROLMENT_TRANSITIONS, State
from .common import enrolment_tag, event_detail, moment, trainee_label, when
from .filters import (
    ENROLMENT_SEARCH_HELP,
    EnrolmentCourseFilter,
    EnrolmentStateFilter,
    OrganizationInUseFilter,
    enrolment_search_q,
)

# The one transition pressed on an enrolment's page; the register and the waiting list are the session's.
PAGE_TRANSITIONS = {"cancel": ENROLMENT_TRANSITIONS["cancel"]}


@admin.register(Enrolment)
class EnrolmentAdmin(OfficePageAdmin):
    list_display = [
        "trainee",
        "organization_label",
        "session_label",
        "state_label",
        "method_label",
        "enrolled_label",
    ]
    list_display_links = ["trainee"]
    list_filter = [EnrolmentStateFilter, EnrolmentCourseFilter, OrganizationInUseFilter]
    search_fields = ["session__reference"]  # turns the search box on; the search itself is search_filter
    search_q = staticmethod(enrolment_search_q)
    search_help_text = ENROLMENT_SEARCH_HELP
    ordering = ["-created_at", "-pk"]
    change_list_template = "admin/training/enrolment/change_list.html"
    change_form_template = "admin/training/enrolment/change_form.html"
    form_page_template = "admin/training/form_page.html"
    fields = ["session"]
    readonly_fields = ["session"]
    queue_title = _("Enrolments in training sessions")
    transitions = PAGE_TRANSITIONS
    comment_session_key = "training-enrolment-comment-%s"
    not_found = _("There is no such enrolment.")

    def get_queryset(self, request):
        return selectors.enrolments_for(request.user)

    def subject(self, enrolment) -> str:
        return f"{enrolment.trainee_name} · {enrolment.session.reference}"

    # Columns

    @admin.display(description=_("trainee"), ordering="person__full_name")
    def trainee(self, enrolment):
        return trainee_label(enrolment)

    @admin.display(description=_("organisation"), ordering="organization__name_zh")
    def organization_label(self, enrolment):
        if enrolment.organization_id is None:
            return format_html('<span class="app-muted">{}</span>', gettext("The office"))
        return Truncator(enrolment.organization.name_zh).chars(30)

    @admin.display(description=_("session"), ordering="session__starts_at")
    def session_label(self, enrolment):
        session = enrolment.session
        return format_html(
            '<a href="{}">{}</a><div class="app-muted">{} · {}</div>',
            reverse("admin:training_session_change", args=[session.pk]),
            session.reference,
            session.course.code,
            date_format(timezone.localtime(session.starts_at), "DATE_FORMAT"),
        )

    @admin.display(description=_("state"), ordering="state")
    def state_label(self, enrolment):
        return enrolment_tag(enrolment.state)

    @admin.display(description=_("attendance recorded by"), ordering="check_in_method")
    def method_label(self, enrolment):
        return enrolment.get_check_in_method_display() or self.empty_value_display

    @admin.display(description=_("enrolled"), ordering="created_at")
    def enrolled_label(self, enrolment):
        return format_html('<span class="queue-due">{}</span>', moment(enrolment.created_at))

    def changelist_view(self, request, extra_context=None):
        context = {"sessions_url": reverse("admin:training_session_changelist"), **(extra_context or {})}
        return super().changelist_view(request, context)

    # The page

    def detail_queryset(self, queryset):
        return queryset.select_related("enrolled_by", "application")

    def run_transition(self, request, enrolment, name: str, comment: str):
        if name != "cancel":
            raise ValidationError(gettext("There is no such action."))
        return services.enrolment_cancel(enrolment=enrolment, actor=request.user, comment=comment)

    def transition_done(self, changed, name: str) -> str:
        return gettext("The enrolment of %(name)s in %(reference)s is cancelled.") % {
            "name": changed.trainee_name,
            "reference": changed.session.reference,
        }

    def page_context(self, request, enrolment) -> dict:
        officer = self.may_act(request)
        names = possible_transitions(enrolment, request.user, PAGE_TRANSITIONS) if officer else []
        session = enrolment.session
        certificate = getattr(enrolment, "certificate", None)
        application = enrolment.application
        return {
            "enrolment": enrolment,
            "session": session,
            "crumb": f"{enrolment.trainee_name} · {session.reference}",
            "trainee": trainee_label(enrolment),
            "state_tag": enrolment_tag(enrolment.state),
            "when": when(session),
            "session_url": reverse("admin:training_session_change", args=[session.pk]),
            "certificate": certificate,
            "certificate_url": reverse("admin:training_certificate_change", args=[certificate.pk])
            if certificate
            else "",
            "application_url": _application_url(application) if application else "",
            "attempts": list(enrolment.attempts.order_by("number")),
            "mails": list(enrolment.messages.order_by("created_at", "pk")),
            "group": self.transition_group(request, enrolment, names) if names else None,
            "is_waiting": enrolment.state == State.WAITING,
            "events": timeline(enrolment, State, detail=event_detail),
            "audit_url": audit_url(session.reference),
            "officer": officer,
        }


def _application_url(application) -> str:
    from django.urls import NoReverseMatch

    try:
        return reverse("admin:approvals_travelapplication_change", args=[application.pk])
    except NoReverseMatch:
        return ""
