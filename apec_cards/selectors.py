"""Read queries of card applications and cards, shared by the pages, the back office, the API and reports."""

from datetime import timedelta

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from foreign_affairs.accounts.selectors import scope_for_user
from foreign_affairs.audit.models import AuditEvent

from .models import Card, CardApplication, CardAttachment, CardEconomy, Decision, PreClearance
from .terms import add_months, renewal_opens_on
from .workflow import LIVE_CARD_STATES, OPEN_STATES, CardState, State

# Card registry filters by time to expiry.
EXPIRY_WINDOWS = ("expired", "1m", "6m", "later")


def application_with_details(applications: QuerySet) -> QuerySet:
    """Everything a detail page needs, in a fixed number of queries."""
    return applications.select_related(
        "organization", "person", "created_by", "assigned_officer", "endorsed_by", "replaces_card"
    ).prefetch_related(
        "economies",
        Prefetch("attachments", queryset=CardAttachment.objects.select_related("document")),
        Prefetch("preclearances", queryset=PreClearance.objects.select_related("economy", "recorded_by")),
    )


def pending_economy(applications: QuerySet, economy: str) -> QuerySet:
    """Applications still waiting for `economy`'s pre-clearance answer."""
    return applications.filter(
        Exists(
            PreClearance.objects.filter(
                application=OuterRef("pk"), economy_id=economy.upper(), decision=Decision.PENDING
            )
        )
    )


def with_preclearance_counts(applications: QuerySet) -> QuerySet:
    return applications.annotate(
        economies_pending=Count("preclearances", filter=Q(preclearances__decision=Decision.PENDING)),
        economies_approved=Count("preclearances", filter=Q(preclearances__decision=Decision.APPROVED)),
        economies_refused=Count("preclearances", filter=Q(preclearances__decision=Decision.REFUSED)),
    )


def application_list_for(user) -> QuerySet:
    """The card applications `user` may see, newest first, with their pre-clearance counts
    (apec_cards.filters narrows them)."""
    applications = scope_for_user(CardApplication.objects.select_related("organization", "person"), user)
    return with_preclearance_counts(applications).order_by("-created_at", "-pk")


def expiry_window(cards: QuerySet, window: str, *, today=None) -> QuerySet:
    """Valid cards by time left: "expired" (past the date), "1m", "6m" (within), "later"."""
    today = today or timezone.localdate()
    if window == "expired":
        return cards.filter(Q(state=CardState.EXPIRED) | Q(state=CardState.ACTIVE, expires_on__lt=today))
    one, six = add_months(today, 1), add_months(today, 6)
    live = cards.filter(state=CardState.ACTIVE, expires_on__gte=today)
    if window == "1m":
        return live.filter(expires_on__lte=one)
    if window == "6m":
        return live.filter(expires_on__lte=six)
    if window == "later":
        return live.filter(expires_on__gt=six)
    return cards


def card_list_for(user) -> QuerySet:
    """The cards `user` may see, newest first, with their number of economies (apec_cards.filters
    narrows them)."""
    cards = scope_for_user(Card.objects.select_related("organization", "holder"), user)
    return cards.annotate(economy_count=Count("card_economies")).order_by("-issued_on", "-pk")


def card_with_details(cards: QuerySet) -> QuerySet:
    return cards.select_related(
        "organization", "holder", "application", "replaces", "issued_by"
    ).prefetch_related(Prefetch("card_economies", queryset=CardEconomy.objects.select_related("economy")))


def renewable_on(card: Card):
    """The first day a renewal may be applied for."""
    return renewal_opens_on(card.expires_on)


def state_counts(queryset: QuerySet) -> dict[str, int]:
    return dict(queryset.order_by().values_list("state").annotate(n=Count("pk")))


def timeline(obj) -> QuerySet:
    return AuditEvent.objects.timeline_for(obj)


def pending_by_economy() -> list[dict]:
    """Pre-clearances awaiting an answer, per economy, with the oldest request: one query."""
    return list(
        PreClearance.objects.filter(
            decision=Decision.PENDING, application__state__in=[State.PRE_CLEARANCE, State.ISSUED]
        )
        .values("economy_id", "economy__name_zh", "economy__name_en")
        .annotate(count=Count("pk"), oldest=Min("requested_on"))
        .order_by("-count", "economy_id")
    )


def expiring_soon(cards: QuerySet, *, days: int = 183) -> QuerySet:
    today = timezone.localdate()
    return cards.filter(
        state=CardState.ACTIVE, expires_on__gte=today, expires_on__lte=today + timedelta(days=days)
    )


def open_application_of(person_id: int) -> CardApplication | None:
    """The person's application in progress, if any (there is at most one)."""
    return (
        CardApplication.objects.filter(person_id=person_id, state__in=OPEN_STATES)
        .order_by("-created_at")
        .first()
    )


def economies_awaited(card: Card) -> list:
    """The economies whose answer the card still waits for (late answers join a live card only)."""
    if card.state not in LIVE_CARD_STATES:
        return []
    return [
        row.economy
        for row in PreClearance.objects.filter(
            application_id=card.application_id, decision=Decision.PENDING
        ).select_related("economy")
    ]
