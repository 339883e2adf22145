"""The back office's list filters and searches of foreign organisations: the setting-up cases' queue, the
registry, the annual reports and the change requests. The cases' and the registry's searches are the
selectors' (the same as the API's); those of reports and change requests look for the organisation."""

from datetime import timedelta

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.admin_queue import QueueStateFilter
from foreign_affairs.security.countries import country_name

from .selectors import EXPIRING_DAYS
from .workflow import OPEN_CASE_STATES, CaseState, ChangeState, OrganisationState, ReportState

CASE_SEARCH_HELP = _(
    "A whole reference (HNFO-2026-00012) or registration number, words of the organisation's names or "
    "the contact's name, or the contact's whole e-mail address."
)
REGISTRY_SEARCH_HELP = _(
    "Words of the organisation's names or of its parent organisation, or a whole registration number."
)
ORGANISATION_SEARCH_HELP = _("Words of the organisation's names, or its whole registration number.")


def organisation_search_q(term: str, prefix: str = "organisation__") -> Q:
    """A report's or a change request's search: its organisation's names or registration number."""
    term = (term or "").strip()
    if not term:
        return Q()
    return (
        Q(**{f"{prefix}name__icontains": term})
        | Q(**{f"{prefix}name_zh__icontains": term})
        | Q(**{f"{prefix}registration_number__iexact": term})
    )


class YesNoFilter(admin.SimpleListFilter):
    """ "Yes" keeps the rows that meet `condition()`, "no" the others."""

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def condition(self) -> Q:
        raise NotImplementedError

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(self.condition())
        if self.value() == "no":
            return queryset.exclude(self.condition())
        return queryset


class CountryFilter(admin.SimpleListFilter):
    """The countries that occur in the list (one query over the column), by name in the reader's language."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = model_admin.model.objects.order_by().values_list("country", flat=True).distinct()
        return sorted(((str(code), country_name(code)) for code in codes if code), key=lambda row: row[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(country=self.value().upper())
        return queryset


class AreaFilter(admin.SimpleListFilter):
    """The free trade zone's area (or outside it): the preferred one of a case, the registry's own."""

    title = _("area")
    parameter_name = "area"
    field = "ftz_area"

    def lookups(self, request, model_admin):
        return FTZArea.choices

    def queryset(self, request, queryset):
        if self.value() in FTZArea.values:
            return queryset.filter(**{self.field: self.value()})
        return queryset


# Setting-up cases ---------------------------------------------------------------------------------------


class CaseStateFilter(QueueStateFilter):
    """The state; by default the open ones (from the enquiry to the registration). A search (a reference
    from a phone call, a name) looks through every state."""

    states = CaseState
    default = "open"

    def lookups(self, request, model_admin):
        return [
            (self.default, _("Open (enquiry to registered)")),
            (self.everything, _("All")),
            *CaseState.choices,
        ]

    def queryset(self, request, queryset):
        if self.value() == self.default:
            return queryset.filter(state__in=OPEN_CASE_STATES)
        return super().queryset(request, queryset)


class CaseAreaFilter(AreaFilter):
    title = _("preferred area")
    field = "preferred_area"


class CaseOverdueFilter(YesNoFilter):
    """Open and past its service-level deadline."""

    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def condition(self) -> Q:
        return Q(state__in=OPEN_CASE_STATES, due_on__lt=timezone.localdate())


# The registry -------------------------------------------------------------------------------------------


class ReportOverdueFilter(YesNoFilter):
    """The annual report on the current report year is past due and not filed (selectors.registry_for)."""

    title = _("annual report overdue")
    parameter_name = "report_overdue"

    def condition(self) -> Q:
        return Q(report_overdue=True)


class RegistrationFilter(admin.SimpleListFilter):
    """Registrations that expire within EXPIRING_DAYS, or have expired, of organisations not closed."""

    title = _("registration")
    parameter_name = "registration"

    def lookups(self, request, model_admin):
        return [
            ("expiring", _("Expiring within %(days)d days") % {"days": EXPIRING_DAYS}),
            ("expired", pgettext_lazy("registration", "Expired")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        current = queryset.exclude(state=OrganisationState.CLOSED)
        if self.value() == "expiring":
            return current.filter(
                registration_valid_until__gte=today,
                registration_valid_until__lte=today + timedelta(days=EXPIRING_DAYS),
            )
        if self.value() == "expired":
            return current.filter(registration_valid_until__lt=today)
        return queryset


class ListedFilter(YesNoFilter):
    title = _("listed in the public directory")
    parameter_name = "listed"

    def condition(self) -> Q:
        return Q(list_publicly=True)


# Annual reports and change requests: queues of what awaits the office's decision -------------------------


class ReportStateFilter(QueueStateFilter):
    """The state; by default the reports waiting for the office. Choosing a year looks through every state."""

    states = ReportState
    default = ReportState.SUBMITTED

    def lookups(self, request, model_admin):
        return [(self.everything, _("All")), *ReportState.choices]

    def widened(self) -> bool:
        return bool(self.request.GET.get(ReportYearFilter.parameter_name))


class ReportYearFilter(admin.SimpleListFilter):
    title = _("year reported on")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.model.objects.order_by("-year").values_list("year", flat=True).distinct()
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(year=int(self.value()))
        return queryset


class OnTimeFilter(admin.SimpleListFilter):
    title = _("filed on time")
    parameter_name = "on_time"

    def lookups(self, request, model_admin):
        return [("yes", _("On time")), ("no", _("Late"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(on_time=self.value() == "yes")
        return queryset


class ChangeStateFilter(QueueStateFilter):
    """The state; by default the requests waiting for the office."""

    states = ChangeState
    default = ChangeState.SUBMITTED

    def lookups(self, request, model_admin):
        return [(self.everything, _("All")), *ChangeState.choices]
