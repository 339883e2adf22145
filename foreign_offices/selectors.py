"""Read queries of foreign organisations shared by pages, the back office, the API and the reports."""

from datetime import date, timedelta

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import get_language

from foreign_affairs.accounts.selectors import scope_for_user

from .models import AnnualReport, ChangeRequest, FieldChange, ForeignOrganisation, SetupCase
from .services.annual import current_report_year, window_for
from .workflow import OPEN_CASE_STATES, OrganisationState

# A registration expiring within this many days shows as "expiring" in the registry.
EXPIRING_DAYS = 90


def case_list_for(user) -> QuerySet:
    return scope_for_user(SetupCase.objects.select_related("assigned_officer"), user)


def case_search_q(term: str) -> Q:
    """The cases' one search (the back office and the API): reference, names, contact, registration number."""
    term = (term or "").strip()
    if not term:
        return Q()
    return (
        Q(reference__iexact=term)
        | Q(organisation_name__icontains=term)
        | Q(organisation_name_zh__icontains=term)
        | Q(contact_name__icontains=term)
        | Q(contact_email__iexact=term)
        | Q(registration_number__iexact=term)
    )


def open_cases() -> QuerySet:
    return SetupCase.objects.filter(state__in=OPEN_CASE_STATES)


def overdue_cases(today: date | None = None) -> QuerySet:
    return open_cases().filter(due_on__lt=today or timezone.localdate())


def with_report_status(queryset: QuerySet, year: int, today: date) -> QuerySet:
    """Annotate `report_filed` (a report on `year` exists) and `report_overdue` (owed, past due, not filed)."""
    window = window_for(year)
    filed = Exists(AnnualReport.objects.filter(organisation=OuterRef("pk"), year=year))
    queryset = queryset.annotate(report_filed=filed)
    if today > window.due_on:
        owing = Q(registered_on__lte=date(year, 12, 31)) & ~Q(state=OrganisationState.CLOSED) & ~Q(filed)
        return queryset.annotate(report_overdue=ExpressionWrapper(owing, output_field=BooleanField()))
    return queryset.annotate(report_overdue=Value(False, output_field=BooleanField()))


def registry_for(user, *, today: date | None = None) -> QuerySet:
    """The registry as `user` may see it, each entry with its report status for the current report year
    and whether its registration expires soon."""
    today = today or timezone.localdate()
    queryset = scope_for_user(
        ForeignOrganisation.objects.select_related("chief_representative", "account"), user
    )
    return with_report_status(queryset, current_report_year(today), today)


def registry_search_q(term: str) -> Q:
    term = (term or "").strip()
    if not term:
        return Q()
    return (
        Q(name__icontains=term)
        | Q(name_zh__icontains=term)
        | Q(parent_organisation__icontains=term)
        | Q(registration_number__iexact=term)
    )


def expiring_registrations(today: date | None = None, days: int = EXPIRING_DAYS) -> QuerySet:
    today = today or timezone.localdate()
    return ForeignOrganisation.objects.exclude(state=OrganisationState.CLOSED).filter(
        registration_valid_until__isnull=False, registration_valid_until__lte=today + timedelta(days=days)
    )


def public_directory(*, search: str = "", country: str = "", kind: str = "", area: str = "") -> QuerySet:
    """The organisations that consented to be listed and are not closed: public fields only."""
    queryset = ForeignOrganisation.objects.filter(list_publicly=True).exclude(state=OrganisationState.CLOSED)
    if search:
        queryset = queryset.filter(registry_search_q(search))
    if country:
        queryset = queryset.filter(country=country.upper())
    if kind:
        queryset = queryset.filter(kind=kind)
    if area:
        queryset = queryset.filter(ftz_area=area)
    return queryset.only(
        "pk",
        "name",
        "name_zh",
        "kind",
        "country",
        "ftz_area",
        "address",
        "opened_on",
        "registered_on",
        "website",
        "description",
        "description_zh",
        "state",
    ).order_by("name" if get_language() == "en" else "name_zh", "pk")


def public_countries() -> list[str]:
    """The countries of the listed organisations (the directory's filter choices)."""
    return list(
        ForeignOrganisation.objects.filter(list_publicly=True)
        .exclude(state=OrganisationState.CLOSED)
        .order_by("country")
        .values_list("country", flat=True)
        .distinct()
    )


def history_of(organisation: ForeignOrganisation) -> QuerySet:
    return FieldChange.objects.filter(organisation=organisation).select_related(
        "changed_by", "change_request"
    )


def reports_for(user) -> QuerySet:
    return scope_for_user(
        AnnualReport.objects.select_related("organisation", "submitted_by", "decided_by"), user
    )


def change_requests_for(user) -> QuerySet:
    return scope_for_user(
        ChangeRequest.objects.select_related("organisation", "submitted_by", "decided_by"), user
    )


def organisation_of(user) -> ForeignOrganisation | None:
    """The registry entry of the user's organisation (None for everyone else)."""
    organization = getattr(user, "organization", None) if user.is_authenticated else None
    if organization is None:
        return None
    return (
        ForeignOrganisation.objects.select_related("chief_representative")
        .filter(account=organization)
        .first()
    )
