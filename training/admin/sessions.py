"""Training sessions (培训班次) in the back office: the list and a session's page.

The list opens on the sessions still to come or under way, soonest first, each row with its course, time,
place, the places taken of the capacity, the waiting list and where the session stands, in a fixed number of
queries. A session's page is read-only: the register (ticked attended or absent), the waiting list (a place
given to the first in line), enrolling people for the office, an online session's record, the link to the
venue's check-in page and cancelling with a reason (session_views.py). Officers schedule and change sessions
on a page of their own; every change calls training.services; leaders and managers read.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs.admin_pages import OfficePageAdmin, possible_transitions, timeline
from foreign_affairs.admin_queue import audit_url

from .. import selectors, services
from ..models import Course, Session
from ..workflow import SESSION_TRANSITIONS, Mode, SessionState
from .common import Phase, event_detail, moment, phase, phase_tag, when
from .filters import (
    PAST,
    SESSION_SEARCH_HELP,
    CourseFilter,
    ModeFilter,
    PeriodFilter,
    SessionStateFilter,
    SessionTopicFilter,
    session_search_q,
)
from .forms import SessionForm
from .session_views import SessionPageViews


@admin.register(Session)
class SessionAdmin(SessionPageViews, OfficePageAdmin):
    list_display = [
        "reference",
        "course_label",
        "when_label",
        "place_label",
        "places_label",
        "waiting_label",
        "phase_label",
        "deadline_label",
    ]
    list_display_links = ["reference"]
    list_filter = [PeriodFilter, CourseFilter, SessionTopicFilter, ModeFilter, SessionStateFilter]
    search_fields = ["reference"]  # turns the search box on; the search itself is search_filter
    search_q = staticmethod(session_search_q)
    search_help_text = SESSION_SEARCH_HELP
    ordering = ["starts_at", "pk"]
    change_list_template = "admin/training/session/change_list.html"
    change_form_template = "admin/training/session/change_form.html"
    form_page_template = "admin/training/form_page.html"
    fields = ["reference"]
    readonly_fields = ["reference"]
    queue_title = _("Training sessions")
    transitions = SESSION_TRANSITIONS
    comment_session_key = "training-session-comment-%s"
    not_found = _("There is no such training session.")

    def get_queryset(self, request):
        if not request.user.is_office_staff:
            return Session.objects.none()
        return selectors.sessions_for_office()

    def get_ordering(self, request):
        if request.GET.get("period") in (PAST, "all"):
            return ["-starts_at", "-pk"]  # what has happened: the latest first
        return super().get_ordering(request)

    def has_add_permission(self, request):
        return self.may_act(request)

    def subject(self, session) -> str:
        return session.reference

    # Columns

    @admin.display(description=_("course"), ordering="course__code")
    def course_label(self, session):
        return format_html(
            '{}<div class="app-muted">{}</div>',
            Truncator(session.course.title).chars(50),
            session.course.code,
        )

    @admin.display(description=_("when"), ordering="starts_at")
    def when_label(self, session):
        return format_html('<span class="queue-due">{}</span>', when(session))

    @admin.display(description=_("mode and venue"), ordering="mode")
    def place_label(self, session):
        if session.mode == Mode.ONLINE:
            return format_html('<span data-mode="online">{}</span>', session.get_mode_display())
        return format_html(
            '<span data-mode="in_person">{}</span><div class="app-muted">{}</div>',
            session.get_mode_display(),
            Truncator(session.venue).chars(40),
        )

    @admin.display(description=_("places taken"), ordering="taken")
    def places_label(self, session):
        text = f"{session.taken}/{session.capacity}"
        if session.taken >= session.capacity:
            return format_html(
                '<span data-places="{}">{}</span> <span class="queue-badge queue-rule-warning">{}</span>',
                text,
                text,
                gettext("full"),
            )
        return format_html('<span data-places="{}">{}</span>', text, text)

    @admin.display(description=_("waiting"), ordering="waiting")
    def waiting_label(self, session):
        if not session.waiting:
            return self.empty_value_display
        return format_html(
            '<span class="queue-badge queue-objections" data-waiting="{}">{}</span>',
            session.waiting,
            session.waiting,
        )

    @admin.display(description=_("state"), ordering="state")
    def phase_label(self, session):
        return phase_tag(session)

    @admin.display(description=_("enrolment deadline"), ordering="enrolment_deadline")
    def deadline_label(self, session):
        return format_html('<span class="queue-due">{}</span>', moment(session.enrolment_deadline))

    def changelist_view(self, request, extra_context=None):
        context = {
            "add_url": self._url("add") if self.has_add_permission(request) else "",
            "courses_url": reverse("admin:training_course_changelist"),
            "enrolments_url": reverse("admin:training_enrolment_changelist"),
            "certificates_url": reverse("admin:training_certificate_changelist"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    # Scheduling and changing a session

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        initial = {}
        course_id = request.GET.get("course", "")
        if course_id.isdigit() and Course.objects.filter(pk=int(course_id), is_active=True).exists():
            initial["course"] = int(course_id)
        form = SessionForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            session = self.run_form_service(
                request, form, lambda: services.session_create(actor=request.user, **form.service_data())
            )
            if session:
                messages.success(
                    request,
                    gettext("%(reference)s is scheduled: it is on the calendar, open for enrolment.")
                    % {"reference": session.reference},
                )
                return redirect(self._url("change", session.pk))
            if session is False:
                return redirect(self._url("changelist"))
        return self.render_form_page(
            request,
            form,
            title=_("Schedule a training session"),
            intro=_("The session is on the public calendar at once; enterprises enrol until the deadline."),
            submit=_("Schedule the session"),
            cancel_url=self._url("changelist"),
        )

    def edit_view(self, request, object_id):
        session = self._acting_object(request, object_id)
        back = self._url("change", session.pk, request=request)
        if session.state == SessionState.CANCELLED:
            messages.warning(request, gettext("A cancelled session is no longer changed."))
            return redirect(back)
        form = SessionForm(request.POST or None, instance=session)
        if request.method == "POST" and form.is_valid():
            data = form.service_data(changed_only=True)
            changed = self.run_form_service(
                request, form, lambda: services.session_update(session=session, actor=request.user, data=data)
            )
            if changed is not None:
                if changed and data:
                    messages.success(request, gettext("The session is saved."))
                elif changed:
                    messages.info(request, gettext("Nothing was changed."))
                return redirect(back)
        return self.render_form_page(
            request,
            form,
            obj=session,
            title=gettext("Change %(reference)s") % {"reference": session.reference},
            intro=_(
                "More places go to the waiting list in order. Trainees are not told of other changes: "
                "write to them if the time or the place changes."
            ),
            submit=_("Save the session"),
            cancel_url=back,
        )

    # The page

    def run_transition(self, request, session, name: str, comment: str):
        if name != "cancel":
            raise ValidationError(gettext("There is no such action."))
        return services.session_cancel(session=session, actor=request.user, comment=comment)

    def transition_done(self, changed, name: str) -> str:
        return gettext("%(reference)s is cancelled; everyone enrolled or waiting is told why.") % {
            "reference": changed.reference
        }

    def page_context(self, request, session) -> dict:
        officer = self.may_act(request)
        now = timezone.now()
        current = phase(session, now)
        names = possible_transitions(session, request.user, SESSION_TRANSITIONS) if officer else []
        return {
            "session": session,
            "course": session.course,
            "crumb": f"{session.reference} {Truncator(session.course.title).chars(40)}",
            "phase": current,
            "phase_tag": phase_tag(session, now),
            "when": when(session),
            "deadline": moment(session.enrolment_deadline),
            "course_url": reverse("admin:training_course_change", args=[session.course_id]),
            "officer": officer,
            "is_scheduled": session.state == SessionState.SCHEDULED,
            "group": self.transition_group(request, session, names) if names else None,
            "edit_url": self._url("edit", session.pk, request=request)
            if officer and session.state == SessionState.SCHEDULED
            else "",
            "public_url": reverse("training:session", args=[session.pk]),
            "events": timeline(session, SessionState, detail=event_detail),
            "audit_url": audit_url(session.reference),
            "cancelled": current == Phase.CANCELLED,
            **self.sections_context(request, session, officer=officer, now=now),
        }

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        form = response.context_data.get("enrol_form")
        if form is not None:  # the people's autocomplete
            response.context_data["media"] = response.context_data["media"] + form.media
        return response

    def admin_views(self) -> list[tuple]:
        return [
            ("people/", self.people_view, "people"),
            *super().admin_views(),
            ("<path:object_id>/edit/", self.edit_view, "edit"),
            *self.page_views(),
        ]
