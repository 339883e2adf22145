"""Expressions of interest (合作意向) in the back office.

They come from visitors of the public catalogue (no account), so nothing is added here. The list shows those
received first, each with its project, who wrote and from where; the page is read-only, with the buttons
"forward to the enterprise" (refused, with the reason, while no enterprise is involved in the project) and
"close" (with a reason), which call services.interest.interest_run.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs.admin_pages import labelled, possible_transitions, short_date, timeline
from foreign_affairs.admin_queue import REFUSALS, audit_url, report_refusal
from foreign_affairs.security.countries import country_name

from .. import selectors
from ..models import Interest
from ..services import interest as services
from ..services.interest import CONDITION_ERRORS
from ..workflow import INTEREST_TRANSITIONS, InterestState
from .common import ProjectPageAdmin, interest_tag
from .filters import (
    INTEREST_SEARCH_HELP,
    ChoicesFilter,
    InterestCountryFilter,
    ProjectAreaFilter,
    ProjectChannelFilter,
    ProjectOwnerFilter,
    interest_search_q,
)


class InterestStateFilter(ChoicesFilter):
    title = _("state")
    parameter_name = "state"
    field = "state"
    choices_class = InterestState


@admin.register(Interest)
class InterestAdmin(ProjectPageAdmin):
    list_display = ["received", "project_label", "name", "organisation", "country_label", "state_label"]
    list_display_links = ["received"]
    list_filter = [
        InterestStateFilter,
        ProjectOwnerFilter,
        ProjectChannelFilter,
        ProjectAreaFilter,
        InterestCountryFilter,
        ProjectAreaFilter,
        ProjectOwnerFilter,
    ]
    search_fields = ["name"]  # turns the search box on; the search itself is search_filter
    search_q = staticmethod(interest_search_q)
    search_help_text = INTEREST_SEARCH_HELP
    # Those received (waiting for the office) first, the newest first.
    ordering = [
        Case(
            When(state=InterestState.RECEIVED, then=Value(0)), default=Value(1), output_field=IntegerField()
        ).asc(),
        "-created_at",
        "-pk",
    ]
    change_list_template = "admin/projects/interest/change_list.html"
    change_form_template = "admin/projects/interest/change_form.html"
    fields = ["name"]
    readonly_fields = ["name"]
    queue_title = _("Expressions of interest")
    transitions = INTEREST_TRANSITIONS
    comment_session_key = "projects-interest-comment-%s"
    not_found = _("There is no such expression of interest.")

    def get_queryset(self, request):
        return selectors.interest_list_for(request.user)

    def detail_queryset(self, queryset):
        return queryset.select_related("project__owner", "forwarded_by").prefetch_related(
            "project__enterprises"
        )

    def subject(self, interest) -> str:
        return interest.name

    # Columns

    @admin.display(description=_("received"), ordering="created_at")
    def received(self, interest):
        return short_date(timezone.localdate(interest.created_at))

    @admin.display(description=_("project"), ordering="project__reference")
    def project_label(self, interest):
        return format_html(
            '{}<div class="app-muted">{}</div>',
            interest.project.reference,
            Truncator(interest.project.title).chars(50),
        )

    @admin.display(description=_("country"), ordering="country")
    def country_label(self, interest):
        return country_name(interest.country.code)

    @admin.display(description=_("state"), ordering="state")
    def state_label(self, interest):
        return interest_tag(interest.state)

    def changelist_view(self, request, extra_context=None):
        context = {
            "projects_url": reverse("admin:projects_cooperationproject_changelist"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    # The page

    def page_context(self, request, interest) -> dict:
        names = possible_transitions(interest, request.user, INTEREST_TRANSITIONS, "state")
        project = interest.project
        enterprises = list(project.enterprises.all())
        group = self.transition_group(request, interest, names, info=INTEREST_TRANSITIONS, key="state")
        if "forward" in names and not enterprises:
            group["note"] = CONDITION_ERRORS["has_enterprise"][1]
        return {
            "interest": interest,
            "crumb": interest.name,
            "state_tag": interest_tag(interest.state),
            "country": country_name(interest.country.code),
            "project": project,
            "project_url": reverse("admin:projects_cooperationproject_change", args=[project.pk]),
            "enterprise_links": [
                format_html(
                    '<a href="{}">{}</a>',
                    reverse("admin:accounts_organization_change", args=[enterprise.pk]),
                    enterprise.name_zh,
                )
                for enterprise in enterprises
            ],
            "acknowledgements": list(interest.messages.order_by("created_at", "pk")),
            "group": group,
            "events": timeline(interest, InterestState),
            "audit_url": audit_url(str(interest)),
        }

    def transition_view(self, request, object_id):
        interest = self._acting_object(request, object_id)
        if request.method != "POST":
            return self._back(request, interest)
        name = request.POST.get("transition", "")
        comment = request.POST.get("comment", "")
        try:
            changed = services.interest_run(interest=interest, actor=request.user, name=name, comment=comment)
        except REFUSALS as error:
            report_refusal(
                request, labelled(error, Interest) if isinstance(error, ValidationError) else error
            )
            self.keep_comment(request, interest, comment, key="state")
            return self._back(request, interest, "actions-state")
        messages.success(
            request,
            gettext("“%(action)s” is done: the interest of %(name)s is now “%(state)s”.")
            % {
                "action": INTEREST_TRANSITIONS[name].label,
                "name": changed.name,
                "state": changed.get_state_display(),
            },
        )
        return self._back(request, changed)
