"""Read queries of travel applications, shared by the pages, the back office, the API and reports."""

from django.db.models import Count, Prefetch, QuerySet

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


def application_list_for(user) -> QuerySet:
    """The applications `user` may see, newest first (approvals.filters narrows them). Lists read only the
    application's own columns."""
    return scope_for_user(TravelApplication.objects.select_related("organization"), user).order_by(
        "-created_at", "-pk"
    )


def awaiting_endorsement_for(user) -> QuerySet:
    return application_list_for(user).filter(state=State.SUBMITTED).order_by("due_on", "pk")


def state_counts(applications: QuerySet) -> dict[str, int]:
    """{state: count} in one query."""
    return dict(applications.order_by().values_list("state").annotate(n=Count("pk")))


def timeline(application) -> QuerySet:
    """The audit events of the application, oldest first: its status history with comments."""
    return AuditEvent.objects.timeline_for(application)
