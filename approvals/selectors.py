"""Read queries of travel applications, shared by the pages, the back office, the API and reports."""

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from foreign_affairs.accounts.selectors import scope_for_user
from foreign_affairs.audit.models import AuditEvent

from .models import Attachment, DelegationMember, TravelApplication
from .workflow import State


def with_details(applications: QuerySet) -> QuerySet:
    """Everything a detail page or the rules need, in a fixed number of queries."""
    return applications.select_related("organization", "created_by", "assigned_officer").prefetch_related(
        "legs",
        Prefetch("members", queryset=DelegationMember.objects.select_related("person")),
        Prefetch("attachments", queryset=Attachment.objects.select_related("document")),
    )


def application_list_for(
    user,
    *,
    search: str = "",
    state: str = "",
    country: str = "",
    organization=None,
    departure_after: date | None = None,
    departure_before: date | None = None,
) -> QuerySet:
    """The applications `user` may see, filtered. Lists read only the application's own columns."""
    applications = scope_for_user(TravelApplication.objects.select_related("organization"), user)
    if state:
        applications = applications.filter(state=state)
    if country:
        applications = applications.filter(countries__contains=country.upper()[:2])
    if organization:
        applications = applications.filter(organization=organization)
    if departure_after:
        applications = applications.filter(departure_date__gte=departure_after)
    if departure_before:
        applications = applications.filter(departure_date__lte=departure_before)
    if search:
        search = search.strip()
        applications = applications.filter(
            Q(reference__iexact=search)
            | Q(title__icontains=search)
            | Q(leader_name__icontains=search)
            | Q(
                pk__in=DelegationMember.objects.filter(
                    Q(person__full_name__icontains=search)
                    | Q(person__passport_number__iexact=search.replace(" ", ""))
                ).values("application")
            )
        )
    return applications.order_by("-created_at", "-pk")


def awaiting_endorsement_for(user) -> QuerySet:
    return application_list_for(user, state=State.SUBMITTED).order_by("due_on", "pk")


def state_counts(applications: QuerySet) -> dict[str, int]:
    """{state: count} in one query."""
    return dict(applications.order_by().values_list("state").annotate(n=Count("pk")))


def timeline(application) -> QuerySet:
    """The audit events of the application, oldest first: its status history with comments."""
    return AuditEvent.objects.timeline_for(application)
