"""Exchange activities (外事活动) in the back office: the queue, the calendar and an activity's page.

The queue opens on the planned activities by first day (a leader's on those awaiting approval), each row with
its kind, dates, foreign party, state and the reception checklist's progress, in a fixed number of queries;
tabs show what awaits approval, one's own, this month, the held ones awaiting their report, and all. The
calendar shows a month with each activity on its days in its state's colour. The page is read-only: its
buttons and small forms (activity_views.py) call exchanges.services.activities, which check the role, lock
the row, audit and notify; a refusal becomes a message. Officers propose and change activities on a page of
their own; leaders approve, postpone, cancel and close; managers read.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from foreign_affairs import typography
from foreign_affairs.admin_pages import date_range, possible_transitions, timeline
from foreign_affairs.admin_queue import audit_url
from foreign_affairs.security.countries import country_name

from .. import selectors
from ..models import Activity
from ..services import activities as services
from ..services.activities import CONDITION_ERRORS
from ..workflow import (
    ACTIVITY_TRANSITIONS,
    HELD_STATES,
    PUBLIC_STATES,
    Direction,
    State,
)
from .activity_calendar import month_grid, parse_month, place
from .activity_filters import (
    ACTIVITY_SEARCH_HELP,
    PLANNED,
    ActivityStateFilter,
    AreaFilter,
    CountryFilter,
    DirectionFilter,
    FocusFilter,
    KindFilter,
    OwnerFilter,
    PeriodFilter,
    activity_search_q,
    default_state,
)
from .activity_forms import ActivityForm
from .activity_views import OUTCOME_STATES, ActivityPageViews
from .common_activities import ExchangePageAdmin, activity_tag, event_detail, person

FINISHED_STATES = (State.CLOSED, State.CANCELLED)


def names_of(activity) -> tuple[str, str]:
    """The title the reader reads first (the Chinese one in Chinese), and the other one, if any."""
    first = activity.title
    other = activity.title_en if first == activity.title_zh else activity.title_zh
    return first, (other if other and other != first else "")


def overdue_days(activity, today=None) -> int:
    """Days since the last day of an activity still planned (not held, postponed or cancelled)."""
    if activity.state not in (State.PROPOSED, State.APPROVED, State.CONFIRMED):
        return 0
    return max(((today or timezone.localdate()) - activity.ends_on).days, 0)


def optional_url(name: str, *args) -> str:
    """A page another module writes (the programme PDF, the public event page); empty until it exists."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@admin.register(Activity)
class ActivityAdmin(ActivityPageViews, ExchangePageAdmin):
    list_display = [
        "reference",
        "title_label",
        "kind_label",
        "dates_label",
        "country_label",
        "party_label",
        "state_label",
        "checklist_label",
        "owner_label",
    ]
    list_display_links = ["reference"]
    list_filter = [
        ActivityStateFilter,
        KindFilter,
        DirectionFilter,
        AreaFilter,
        FocusFilter,
        CountryFilter,
        OwnerFilter,
        PeriodFilter,
    ]
    search_fields = ["reference"]  # turns the search box on; the search itself is search_filter
    search_q = staticmethod(activity_search_q)
    search_help_text = ACTIVITY_SEARCH_HELP
    ordering = ["starts_on", "pk"]
    change_list_template = "admin/exchanges/activity/change_list.html"
    change_form_template = "admin/exchanges/activity/change_form.html"
    calendar_template = "admin/exchanges/activity/calendar.html"
    fields = ["reference"]
    readonly_fields = ["reference"]
    queue_title = _("Exchange activities")
    transitions = ACTIVITY_TRANSITIONS
    comment_session_key = "exchanges-activity-comment-%s"
    not_found = _("There is no such exchange activity.")

    def get_queryset(self, request):
        return selectors.with_checklist_progress(selectors.activities_for(request.user)).order_by(
            "starts_on", "pk"
        )

    def detail_queryset(self, queryset):
        return queryset.select_related("created_by").prefetch_related("enterprises_visited")

    def get_ordering(self, request):
        state = request.GET.get("state", "")
        if state in ("all", *HELD_STATES, State.CANCELLED) or request.GET.get("period") == "past":
            return ["-starts_on", "-pk"]  # what has happened: the latest first
        return super().get_ordering(request)

    def has_add_permission(self, request):
        return self.may_act(request)

    # Columns

    @admin.display(description=_("title"), ordering="title_zh")
    def title_label(self, activity):
        first, other = names_of(activity)
        title = Truncator(first).chars(60)
        if not other:
            return title
        return format_html('{}<div class="app-muted">{}</div>', title, Truncator(other).chars(60))

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, activity):
        return format_html(
            '{}<div class="app-muted">{}</div>', activity.get_kind_display(), activity.get_direction_display()
        )

    @admin.display(description=pgettext_lazy("exchange activity", "dates"), ordering="starts_on")
    def dates_label(self, activity):
        length = (activity.ends_on - activity.starts_on).days + 1
        first = format_html(
            '<span class="queue-due">{}</span>', date_format(activity.starts_on, "DATE_FORMAT")
        )
        if length > 1:
            days = ngettext("%(days)d day", "%(days)d days", length) % {"days": length}
            first = format_html('{}<div class="app-muted">{}</div>', first, days)
        late = overdue_days(activity)
        if not late:
            return first
        badge = format_html(
            '<span class="queue-badge queue-overdue" data-overdue="{}" title="{}">{}</span>',
            late,
            gettext("Still planned after its last day: record it as held, or postpone or cancel it."),
            ngettext("%(days)d day overdue", "%(days)d days overdue", late) % {"days": late},
        )
        return format_html('{}<div class="queue-followup">{}</div>', first, badge)

    @admin.display(description=_("country or region"), ordering="country")
    def country_label(self, activity):
        return country_name(activity.country.code) if activity.country else self.empty_value_display

    @admin.display(description=_("foreign party"), ordering="foreign_organisation")
    def party_label(self, activity):
        head = typography.annotate(activity.head_name, activity.head_title) if activity.head_name else ""
        if not (activity.foreign_organisation or head):
            return self.empty_value_display
        if not head:
            return Truncator(activity.foreign_organisation).chars(50)
        return format_html(
            '{}<div class="app-muted">{}</div>', Truncator(activity.foreign_organisation).chars(50), head
        )

    @admin.display(description=_("state"), ordering="state")
    def state_label(self, activity):
        return activity_tag(activity.state)

    @admin.display(description=_("reception checklist"))
    def checklist_label(self, activity):
        total = getattr(activity, "checklist_total", 0)
        if activity.direction != Direction.INCOMING or not total:
            return self.empty_value_display
        done = activity.checklist_done
        css = "queue-checklist-done" if done == total else "queue-checklist"
        return format_html(
            '<span class="queue-badge {}" data-checklist="{}/{}" title="{}">{}/{}</span>',
            css,
            done,
            total,
            gettext("items done of the reception checklist"),
            done,
            total,
        )

    @admin.display(description=_("officer in charge"), ordering="owner__last_name")
    def owner_label(self, activity):
        return person(activity.owner) or self.empty_value_display

    # The queue and the calendar

    def changelist_view(self, request, extra_context=None):
        context = {
            "add_url": self._url("add") if self.has_add_permission(request) else "",
            "calendar_url": self._url("calendar"),
            "tabs": self.tabs(request),
            "media_url": reverse("admin:exchanges_mediarequest_changelist"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def tabs(self, request) -> list[dict]:
        """The queue's usual views, one link each; the one shown is marked. A leader's first is what awaits
        approval, and the queue opens on it."""
        base = self._url("changelist")
        params = {key: value for key, value in request.GET.items() if key not in ("p", "o")}
        default = {"state": default_state(request.user)}
        rows = [
            ("approve", _("To approve"), {"state": State.PROPOSED}),
            ("planned", _("Planned"), {"state": PLANNED}),
            ("mine", _("Mine"), {"owner": "me"}),
            ("month", _("This month"), {"period": "month"}),
            ("report", _("Held, awaiting the report"), {"state": State.HELD}),
            ("all", _("All"), {"state": "all"}),
        ]
        if default["state"] == PLANNED:
            rows.insert(0, rows.pop(1))  # an officer's queue opens on the planned activities
        tabs = []
        for key, label, query in rows:
            is_default = query == default
            url = base if is_default else f"{base}?{urlencode(query)}"
            tabs.append(
                {
                    "key": key,
                    "label": label,
                    "url": url,
                    "current": params == query or (is_default and not params),
                }
            )
        return tabs

    def calendar_view(self, request):
        """A month of activities (?month=YYYY-MM), each on its days in its state's colour, in one query;
        cancelled ones only when asked for (?cancelled=1)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        month = month_grid(parse_month(request.GET.get("month"), today), today)
        show_cancelled = request.GET.get("cancelled") == "1"
        mine = request.GET.get("owner") == "me"
        activities = (
            selectors.activities_for(request.user)
            .filter(starts_on__lte=month.end, ends_on__gte=month.start)
            .select_related(None)
            .only("pk", "reference", "title_zh", "title_en", "state", "starts_on", "ends_on")
            .order_by("starts_on", "pk")
        )
        if not show_cancelled:
            activities = activities.exclude(state=State.CANCELLED)
        if mine:
            activities = activities.filter(owner=request.user)
        place(month, activities)
        base = self._url("calendar")

        def link(first, **changes) -> str:
            """The calendar of the month of `first`, keeping the views chosen unless `changes` says."""
            query = {
                "month": f"{first:%Y-%m}",
                "cancelled": "1" if show_cancelled else "",
                "owner": "me" if mine else "",
                **changes,
            }
            return f"{base}?{urlencode({key: value for key, value in query.items() if value})}"

        context = {
            **self.admin_site.each_context(request),
            **self.wide_pages,
            "title": _("Calendar of exchange activities"),
            "opts": self.opts,
            "month": month,
            "month_label": date_format(month.first, "YEAR_MONTH_FORMAT"),
            "weekdays": [date_format(cell.day, "D") for cell in month.weeks[0]],
            "previous_url": link(month.previous),
            "next_url": link(month.next),
            "today_url": link(today.replace(day=1)),
            "cancelled_url": link(month.first, cancelled="" if show_cancelled else "1"),
            "mine_url": link(month.first, owner="" if mine else "me"),
            "show_cancelled": show_cancelled,
            "mine": mine,
            "legend": [(activity_tag(state), state) for state in State.values],
            "list_url": self._url("changelist"),
            "add_url": self._url("add") if self.has_add_permission(request) else "",
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.calendar_template, context)

    # Proposing and changing an activity

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ActivityForm(request.POST or None, outcomes=False, initial={"owner": request.user.pk})
        if request.method == "POST" and form.is_valid():
            activity = self.run_form_service(
                request,
                form,
                lambda: services.activity_create(actor=request.user, data=form.service_data()),
            )
            if activity:
                messages.success(
                    request,
                    gettext("%(reference)s is proposed: a leader approves it next.")
                    % {"reference": activity.reference},
                )
                return redirect(self._url("change", activity.pk))
            if activity is False:
                return redirect(self._url("changelist"))
        return self.render_form_page(
            request,
            form,
            title=_("Propose an exchange activity"),
            intro=_(
                "A visit to Henan, a delegation abroad or an exchange online. It starts as proposed, for a "
                "leader to approve; a visit to Henan gets its reception checklist."
            ),
            submit=_("Propose the activity"),
            cancel_url=self._url("changelist"),
        )

    def edit_view(self, request, object_id):
        self._acting_object(request, object_id)
        activity = self.get_object(request, object_id)  # with the enterprises visited
        back = self._url("change", activity.pk, request=request)
        if activity.state in FINISHED_STATES:
            messages.warning(
                request,
                gettext("A %(state)s activity is no longer changed.")
                % {"state": activity.get_state_display()},
            )
            return redirect(back)
        form = ActivityForm(request.POST or None, instance=activity)
        if request.method == "POST" and form.is_valid():
            data = form.service_data(changed_only=True)
            changed = self.run_form_service(
                request,
                form,
                lambda: services.activity_update(activity=activity, actor=request.user, data=data),
            )
            if changed is not None:
                if changed and data:
                    messages.success(request, gettext("The activity is saved."))
                elif changed:
                    messages.info(request, gettext("Nothing was changed."))
                return redirect(back)
        return self.render_form_page(
            request,
            form,
            obj=activity,
            title=gettext("Change %(reference)s") % {"reference": activity.reference},
            intro=_("Officers change an activity until it is closed or cancelled."),
            submit=_("Save the activity"),
            cancel_url=back,
        )

    # The page

    def run_transition_service(self, request, activity, name, comment):
        return services.activity_run(activity=activity, actor=request.user, name=name, comment=comment)

    def page_context(self, request, activity) -> dict:
        officer = self.may_act(request)
        names = possible_transitions(activity, request.user, ACTIVITY_TRANSITIONS)
        is_open = activity.state not in FINISHED_STATES
        context = {
            "activity": activity,
            "crumb": f"{activity.reference} {Truncator(activity.title).chars(40)}",
            "names": names_of(activity),
            "state_tag": activity_tag(activity.state),
            "dates": date_range(activity.starts_on, activity.ends_on),
            "overdue_days": overdue_days(activity),
            "country": country_name(activity.country.code) if activity.country else "",
            "head": typography.annotate(activity.head_name, activity.head_title)
            if activity.head_name
            else "",
            "areas": typography.enumerate_items(activity.area_labels),
            "focus": typography.enumerate_items(activity.focus_labels),
            "enterprise_links": [
                format_html(
                    '<a href="{}">{}</a>',
                    reverse("admin:accounts_organization_change", args=[enterprise.pk]),
                    enterprise.name_zh,
                )
                for enterprise in activity.enterprises_visited.all()
            ],
            "group": self.transition_group(request, activity, names, condition_errors=CONDITION_ERRORS),
            "officer": officer,
            "is_open": is_open,
            "edit_url": self._url("edit", activity.pk, request=request) if officer and is_open else "",
            "agenda_url": self._url("agenda", activity.pk, request=request) if officer and is_open else "",
            "programme_url": optional_url("exchanges:programme_pdf", activity.pk),
            "public_url": optional_url("exchanges:event_detail", activity.reference)
            if activity.public and activity.state in PUBLIC_STATES
            else "",
            "outcomes_open": activity.state in OUTCOME_STATES,
            "events": timeline(activity, State, detail=event_detail),
            "audit_url": audit_url(activity.reference),
            **self.sections_context(request, activity, officer=officer and is_open),
        }
        return context

    def admin_views(self) -> list[tuple]:
        return [
            ("calendar/", self.calendar_view, "calendar"),
            ("enterprises/", self.enterprise_search_view, "enterprises"),
            *super().admin_views(),
            ("<path:object_id>/edit/", self.edit_view, "edit"),
            *self.page_views(),
        ]
