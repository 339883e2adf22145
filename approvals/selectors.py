"""Read queries of travel applications, shared by the pages, the back office, the API and reports."""

from django.db.models import F, Prefetch, QuerySet

from foreign_affairs.accounts.selectors import scope_for_user
from foreign_affairs.audit.models import AuditEvent

from .models import Attachment, DelegationMember, ItineraryLeg, TravelApplication
from .workflow import State


def with_details(applications: QuerySet) -> QuerySet:
    """Everything a detail page or the rules need, in a fixed number of queries."""
    return applications.select_related("organization", "created_by", "assigned_officer").prefetch_related(
        "legs",
        Prefetch("members", queryset=DelegationMember.objects.select_related("person")),
        Prefetch("attachments", queryset=Attachment.objects.select_related("document")),
    )


def application_list_for(user) -> QuerySet:
    """The applications `user` may see, newest first (approvals.filters narrows them). Lists read only the
    application's own columns."""
    return scope_for_user(TravelApplication.objects.select_related("organization"), user).order_by(
        "-created_at", "-pk"
    )


def awaiting_endorsement_for(user) -> QuerySet:
    return application_list_for(user).filter(state=State.SUBMITTED).order_by("due_on", "pk")


def timeline(application) -> QuerySet:
    """The audit events of the application, oldest first: its status history with comments."""
    return AuditEvent.objects.timeline_for(application)


# Trips under way: the named door through which overseas_safety asks who is abroad (see DESIGN.md).
ABROAD_STATES = (State.APPROVED, State.PERMIT_ISSUED)


def travellers_abroad_on(day, *, country: str | None = None, city: str = "", organization=None) -> QuerySet:
    """Who is abroad on `day` on an approved trip: one row (a dict) per traveller and itinerary leg whose
    dates cover the day (both ends included), from trips approved or with their permit issued and not
    back early (`actual_return_date` before the day). A traveller changing countries that day has a row
    for each. Keys: person_id, person_name, organization_id, organization_name, application_id,
    reference, country, city, arrive_on, leave_on. Narrowed by country code, city (case-insensitive)
    and organisation (an Organization or its id) when given."""
    legs = ItineraryLeg.objects.filter(
        arrive_on__lte=day, leave_on__gte=day, application__state__in=ABROAD_STATES
    ).exclude(application__actual_return_date__lt=day)
    if country:
        legs = legs.filter(country=country)
    if city:
        legs = legs.filter(city__iexact=city.strip())
    if organization is not None:
        legs = legs.filter(application__organization=organization)
    return (
        legs.filter(application__members__isnull=False)
        .values(
            "country",
            "city",
            "arrive_on",
            "leave_on",
            "application_id",
            reference=F("application__reference"),
            organization_id=F("application__organization"),
            organization_name=F("application__organization__name_zh"),
            person_id=F("application__members__person"),
            person_name=F("application__members__person__full_name"),
        )
        .order_by("country", "application__organization__name_zh", "application__members__person__full_name")
    )
