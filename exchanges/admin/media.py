"""Foreign journalists' interview requests (外国记者采访申请) in the back office.

The queue opens on the open requests (requested, arranged, held), the newest first, each row with the outlet,
its country, the journalist, the dates wished, the state and the escort. A request's page shows the
journalist's request as sent (never edited by the office), the office's arrangements (a form for officers),
the buttons of its lifecycle (arranging needs interviewees or sites and an escort: the page says so before the
button is pressed), the coverage published, the e-mails written to the journalist and the timeline. Every
change calls exchanges.services (media_request_update, media_request_run, coverage_add); leaders and managers
read.
"""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs.admin_pages import date_range, possible_transitions, timeline
from foreign_affairs.admin_queue import audit_url
from foreign_affairs.security.countries import country_name

from .. import selectors
from ..models import Coverage, MediaRequest
from ..services import activities as activity_services
from ..services import media as services
from ..services.media import CONDITION_ERRORS
from ..workflow import MEDIA_TRANSITIONS, MediaState
from .activity_forms import CoverageForm
from .common_activities import ExchangePageAdmin, event_detail, media_tag, person
from .media_filters import (
    MEDIA_SEARCH_HELP,
    EscortFilter,
    MediaStateFilter,
    OutletCountryFilter,
    media_search_q,
)
from .media_forms import ArrangementsForm

FINISHED = (MediaState.CLOSED, MediaState.DECLINED)


@admin.register(MediaRequest)
class MediaRequestAdmin(ExchangePageAdmin):
    list_display = [
        "reference",
        "outlet_label",
        "country_label",
        "journalist_label",
        "wished_label",
        "state_label",
        "escort_label",
        "received_label",
    ]
    list_display_links = ["reference"]
    list_filter = [MediaStateFilter, OutletCountryFilter, EscortFilter]
    search_fields = ["reference"]  # turns the search box on; the search itself is search_filter
    search_q = staticmethod(media_search_q)
    search_help_text = MEDIA_SEARCH_HELP
    ordering = ["-created_at", "-pk"]
    change_list_template = "admin/exchanges/mediarequest/change_list.html"
    change_form_template = "admin/exchanges/mediarequest/change_form.html"
    fields = ["reference"]
    readonly_fields = ["reference"]
    queue_title = _("Interview requests from foreign media")
    transitions = MEDIA_TRANSITIONS
    comment_session_key = "exchanges-media-comment-%s"
    not_found = _("There is no such interview request.")

    def get_queryset(self, request):
        return selectors.media_requests_for(request.user)

    # Columns

    @admin.display(description=_("outlet"), ordering="outlet")
    def outlet_label(self, media_request):
        return Truncator(media_request.outlet).chars(50)

    @admin.display(description=_("country or region"), ordering="outlet_country")
    def country_label(self, media_request):
        return country_name(media_request.outlet_country.code) if media_request.outlet_country else "—"

    @admin.display(description=_("journalist"), ordering="journalist_name")
    def journalist_label(self, media_request):
        return media_request.journalist_name

    @admin.display(description=_("dates wished"), ordering="wished_from")
    def wished_label(self, media_request):
        return format_html(
            '<span class="queue-due">{}</span>',
            date_range(media_request.wished_from, media_request.wished_until),
        )

    @admin.display(description=_("state"), ordering="state")
    def state_label(self, media_request):
        return media_tag(media_request.state)

    @admin.display(description=_("escort"), ordering="escort__last_name")
    def escort_label(self, media_request):
        return person(media_request.escort) or self.empty_value_display

    @admin.display(description=_("received"), ordering="created_at")
    def received_label(self, media_request):
        return date_format(timezone.localdate(media_request.created_at), "DATE_FORMAT")

    def changelist_view(self, request, extra_context=None):
        context = {"activities_url": reverse("admin:exchanges_activity_changelist"), **(extra_context or {})}
        return super().changelist_view(request, context)

    # The page

    def run_transition_service(self, request, media_request, name, comment):
        return services.media_request_run(
            request=media_request, actor=request.user, name=name, comment=comment
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The page's own form is the office's arrangements: saved through the service, or shown again with
        what was typed and each refusal beside its field."""
        if request.method != "POST":
            return super().change_view(request, object_id, form_url, extra_context)
        media_request = self._acting_object(request, object_id)
        form = ArrangementsForm(request.POST, instance=media_request)
        if form.is_valid():
            changed = self.run_form_service(
                request,
                form,
                lambda: services.media_request_update(
                    request=media_request, actor=request.user, data=form.service_data()
                ),
            )
            if changed is not None:
                if changed:
                    messages.success(request, gettext("The arrangements are saved."))
                return self._back(request, media_request, "arrangements")
        # Shown again as a page, never saved by the admin's own form (which would bypass the service).
        request._arrangements_form = form
        request.method = "GET"
        return super().change_view(request, object_id, form_url, extra_context)

    def page_context(self, request, media_request) -> dict:
        officer = self.may_act(request)
        names = possible_transitions(media_request, request.user, MEDIA_TRANSITIONS)
        is_open = media_request.state not in FINISHED
        form = None
        if officer and is_open:
            form = getattr(request, "_arrangements_form", None) or ArrangementsForm(instance=media_request)
        return {
            "media_request": media_request,
            "crumb": f"{media_request.reference} {Truncator(media_request.outlet).chars(40)}",
            "state_tag": media_tag(media_request.state),
            "country": country_name(media_request.outlet_country.code)
            if media_request.outlet_country
            else "",
            "wished": date_range(media_request.wished_from, media_request.wished_until),
            "group": self.transition_group(request, media_request, names, condition_errors=CONDITION_ERRORS),
            "arrangements_form": form,
            "is_open": is_open,
            "officer": officer,
            "activity_url": reverse("admin:exchanges_activity_change", args=[media_request.activity_id])
            if media_request.activity_id
            else "",
            "coverage": list(media_request.coverage.all()),
            "coverage_form": CoverageForm() if officer else None,
            "coverage_url": self._url("coverage", media_request.pk, request=request),
            "mails": list(media_request.messages.order_by("created_at", "pk")),
            "events": timeline(media_request, MediaState, detail=event_detail),
            "audit_url": audit_url(media_request.reference),
        }

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        form = response.context_data.get("arrangements_form")
        if form is not None:  # the activity's autocomplete
            response.context_data["media"] = response.context_data["media"] + form.media
        return response

    def admin_views(self) -> list[tuple]:
        return [*super().admin_views(), ("<path:object_id>/coverage/", self.coverage_view, "coverage")]

    def coverage_view(self, request, object_id):
        media_request = self._acting_object(request, object_id)
        if request.method == "POST":
            form = CoverageForm(request.POST)
            self.run_small_form(
                request,
                form,
                lambda: activity_services.coverage_add(
                    actor=request.user, media_request=media_request, data=form.service_data()
                ),
                done=gettext("The coverage is recorded."),
                model=Coverage,
            )
        return self._back(request, media_request, "coverage")
