"""The registry of foreign organisations in Henan (驻豫外国机构名录) in the back office.

The list shows each entry's state, when its registration runs out (a badge within selectors.EXPIRING_DAYS,
another once expired) and its annual report on the current report year (red once overdue), in a fixed
number of queries. An entry's page is read-only: the history of every field, its reports, its change
requests, the case it came from and its portal account. Officers correct the entry on a page of its own
and suspend, reinstate or close it (services.registry: locked, audited, every changed field kept); they
also enter an organisation that set up before the portal ("add").
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language, gettext, pgettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs.admin_pages import badge, field_label, short_date, tag
from foreign_affairs.admin_queue import audit_url
from foreign_affairs.security.countries import country_name

from .. import selectors
from ..filters import (
    REGISTRY_SEARCH_HELP,
    AreaFilter,
    CountryFilter,
    ListedFilter,
    RegistrationFilter,
    ReportOverdueFilter,
)
from ..models import AnnualReport, ForeignOrganisation, SetupCase
from ..services import registry as services
from ..services.annual import current_report_year
from ..workflow import (
    CASE_STATE_TONES,
    CHANGE_STATE_TONES,
    ORGANISATION_STATE_TONES,
    ORGANISATION_TRANSITIONS,
    REPORT_STATE_TONES,
    CaseState,
    ChangeState,
    OrganisationState,
    ReportState,
)
from .common import OfficePageAdmin, registry_value
from .forms import OrganisationForm


def organisation_tag(state: str):
    return tag(OrganisationState, ORGANISATION_STATE_TONES, state)


def report_tag(state: str):
    return tag(ReportState, REPORT_STATE_TONES, state)


def registration_badge(organisation, today=None):
    """ "expired" or "expiring" beside the registration's end, for an organisation not closed."""
    until = organisation.registration_valid_until
    if until is None or organisation.state == OrganisationState.CLOSED:
        return ""
    today = today or timezone.localdate()
    if until < today:
        return badge("queue-overdue", pgettext("registration", "expired"), registration="expired")
    if until <= today + timedelta(days=selectors.EXPIRING_DAYS):
        return badge("queue-rule-warning", pgettext("registration", "expiring"), registration="expiring")
    return ""


def names_of(organisation) -> tuple[str, str]:
    """The name the reader reads first (display_name), and the other one."""
    first = organisation.display_name
    other = organisation.name if first != organisation.name else organisation.name_zh
    return first, (other if other and other != first else "")


@admin.register(ForeignOrganisation)
class ForeignOrganisationAdmin(OfficePageAdmin):
    list_display = [
        "name_label",
        "kind",
        "country_label",
        "area",
        "state_label",
        "valid_until",
        "report_status",
    ]
    list_display_links = ["name_label"]
    view_on_site = False  # the public directory's page is linked on the page when the entry is listed
    list_filter = [
        "state",
        "kind",
        CountryFilter,
        AreaFilter,
        ReportOverdueFilter,
        RegistrationFilter,
        ListedFilter,
    ]
    search_fields = ["name_zh"]  # turns the search box on; the search itself is search_filter
    search_q = staticmethod(selectors.registry_search_q)
    search_help_text = REGISTRY_SEARCH_HELP
    ordering = ["name_zh", "pk"]
    change_list_template = "admin/foreign_offices/foreignorganisation/change_list.html"
    change_form_template = "admin/foreign_offices/foreignorganisation/change_form.html"
    fields = ["name"]
    readonly_fields = ["name"]
    queue_title = _("Registry of foreign organisations in Henan")
    transitions = ORGANISATION_TRANSITIONS
    comment_session_key = "foreign-offices-organisation-comment-%s"
    not_found = _("There is no such organisation in the registry.")

    def get_queryset(self, request):
        today = timezone.localdate()
        year = current_report_year(today)
        reports = AnnualReport.objects.filter(organisation=OuterRef("pk"), year=year)
        return selectors.registry_for(request.user, today=today).annotate(
            report_state=Subquery(reports.values("state")[:1])
        )

    def detail_queryset(self, queryset):
        return queryset.select_related("chief_representative", "account")

    def get_ordering(self, request):
        # By the name the reader reads first (display_name).
        return ["name" if (get_language() or "").startswith("en") else "name_zh", "pk"]

    def has_add_permission(self, request):
        return self.may_act(request)

    def subject(self, organisation) -> str:
        return organisation.display_name

    # Columns

    @admin.display(description=_("organisation"), ordering="name_zh")
    def name_label(self, organisation):
        first, second = names_of(organisation)
        if not second:
            return first
        return format_html('{}<div class="app-muted">{}</div>', first, second)

    @admin.display(description=_("country"), ordering="country")
    def country_label(self, organisation):
        return country_name(organisation.country.code)

    @admin.display(description=_("area"), ordering="ftz_area")
    def area(self, organisation):
        return organisation.get_ftz_area_display()

    @admin.display(description=_("state"), ordering="state")
    def state_label(self, organisation):
        return organisation_tag(organisation.state)

    @admin.display(description=_("registration valid until"), ordering="registration_valid_until")
    def valid_until(self, organisation):
        if organisation.registration_valid_until is None:
            return self.empty_value_display
        mark = registration_badge(organisation)
        day = short_date(organisation.registration_valid_until)
        return format_html('<span class="queue-due">{}</span> {}', day, mark) if mark else day

    @admin.display(description=_("annual report"))
    def report_status(self, organisation):
        year = current_report_year()
        if organisation.report_state:
            return format_html("{} {}", year, report_tag(organisation.report_state))
        if organisation.report_overdue:
            return format_html(
                "{} {}", year, badge("queue-overdue", pgettext("annual report", "overdue"), report="overdue")
            )
        return self.empty_value_display

    def changelist_view(self, request, extra_context=None):
        context = {
            "add_url": self._url("add") if self.has_add_permission(request) else "",
            "report_year": current_report_year(),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    # An organisation that set up before the portal

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = OrganisationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = {field: form.cleaned_data[field] for field in services.OFFICE_FIELDS}
            organisation = self.run_form_service(
                request, form, lambda: services.organisation_create(actor=request.user, data=data)
            )
            if organisation:
                messages.success(
                    request,
                    gettext("%(name)s is entered in the registry.") % {"name": organisation.display_name},
                )
                return redirect(self._url("change", organisation.pk))
            if organisation is False:
                return redirect(self._url("changelist"))
        return self.render_form_page(
            request,
            form,
            title=_("Enter an organisation in the registry"),
            intro=_(
                "For an organisation that set up before the portal. An organisation that sets up now comes "
                "into the registry from its setting-up case, when its registration is recorded."
            ),
            submit=_("Enter in the registry"),
            cancel_url=self._url("changelist"),
        )

    # The page

    def page_context(self, request, organisation) -> dict:
        officer = self.may_act(request)
        names = services.available_transitions(organisation, request.user)
        history = list(selectors.history_of(organisation).order_by("-changed_at", "-pk"))
        for change in history:
            change.label = field_label(ForeignOrganisation, change.field)
            change.old_text = registry_value(change.field, change.old_value)
            change.new_text = registry_value(change.field, change.new_value)
        reports = list(organisation.annual_reports.order_by("-year"))
        for report in reports:
            report.tag = report_tag(report.state)
        requests = list(organisation.change_requests.select_related("submitted_by").order_by("-submitted_at"))
        for change_request in requests:
            change_request.tag = tag(ChangeState, CHANGE_STATE_TONES, change_request.state)
        case = SetupCase.objects.filter(organisation=organisation).only("pk", "reference", "state").first()
        representative = organisation.chief_representative
        closed = organisation.state == OrganisationState.CLOSED
        return {
            "organisation": organisation,
            "crumb": organisation.display_name,
            "names": names_of(organisation),
            "state_tag": organisation_tag(organisation.state),
            "registration_badge": registration_badge(organisation),
            "country": country_name(organisation.country.code),
            "history": history,
            "reports": reports,
            "report_year": current_report_year(),
            "report_overdue": organisation.report_overdue,
            "change_requests": requests,
            "case": case,
            "case_tag": tag(CaseState, CASE_STATE_TONES, case.state) if case else "",
            "representative_url": (
                reverse("admin:accounts_person_change", args=[representative.pk]) if representative else ""
            ),
            "account_url": (
                reverse("admin:accounts_organization_change", args=[organisation.account_id])
                if organisation.account_id
                else ""
            ),
            "public_url": organisation.get_absolute_url()
            if organisation.list_publicly and not closed
            else "",
            "edit_url": self._url("edit", organisation.pk, request=request) if officer and not closed else "",
            **self.transition_context(request, organisation, names, subject=organisation.display_name),
            "audit_url": audit_url(organisation.registration_number),
        }

    def admin_views(self) -> list[tuple]:
        return [*super().admin_views(), ("<path:object_id>/edit/", self.edit_view, "edit")]

    def run_transition(self, request, organisation, name, comment):
        return services.organisation_transition(
            organisation=organisation, actor=request.user, name=name, comment=comment
        )

    def edit_view(self, request, object_id):
        organisation = self._acting_object(request, object_id)
        back = self._url("change", organisation.pk, request=request)
        if organisation.state == OrganisationState.CLOSED:
            messages.warning(request, gettext("A closed organisation's entry is kept as it was."))
            return redirect(back)
        form = OrganisationForm(request.POST or None, instance=organisation)
        if request.method == "POST" and form.is_valid():
            data = form.service_data()
            changed = self.run_form_service(
                request,
                form,
                lambda: services.organisation_update(
                    organisation=organisation, actor=request.user, data=data
                ),
            )
            if changed is not None:
                if changed and data:
                    messages.success(
                        request,
                        gettext("The registry entry is saved; the history keeps the previous values."),
                    )
                elif changed:
                    messages.info(request, gettext("Nothing was changed."))
                return redirect(back)
        return self.render_form_page(
            request,
            form,
            obj=organisation,
            title=gettext("Correct the entry of %(name)s") % {"name": organisation.display_name},
            intro=_(
                "Corrections by the office. Changes the organisation asks for (a new chief representative, "
                "address, name or staff numbers) come as change requests and take effect when approved."
            ),
            submit=_("Save the entry"),
            cancel_url=back,
        )
