"""Template helpers of the travel application pages ({% load approvals %})."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.html import format_html

from approvals.models import DisclosureOutcome, ObjectionStatus, PermitStatus
from approvals.workflow import STATE_TONES, State
from foreign_affairs.security.countries import join_names

register = template.Library()

# Tones of the other tags (portal.css .state-*): a permit's status, a notice's outcome, an objection's.
STATUS_TONES = {
    PermitStatus.VALID: "success",
    PermitStatus.EXPIRED: "neutral",
    PermitStatus.REVOKED: "danger",
    DisclosureOutcome.OPEN: "progress",
    DisclosureOutcome.COMPLETED: "success",
    DisclosureOutcome.WITHDRAWN: "neutral",
    ObjectionStatus.PENDING: "attention",
    ObjectionStatus.UPHELD: "danger",
    ObjectionStatus.DISMISSED: "neutral",
}

# Where the form shows the part a rule finding is about (rules.Finding.field).
FIELD_ANCHORS = {
    "legs": "#itinerary",
    "members": "#delegation",
    "attachments": "#documents",
    "justification": "#id_justification",
}


@register.simple_tag
def state_tag(state) -> str:
    """The coloured tag of a state (the same colours everywhere, portal.css .state-*)."""
    state = getattr(state, "state", state) or ""
    try:
        label = State(state).label
    except ValueError:
        label = state
    return format_html(
        '<span class="state-tag state-{}" data-state="{}">{}</span>',
        STATE_TONES.get(state, "neutral"),
        state,
        label,
    )


@register.filter
def country_names(codes) -> str:
    """ "DE,FR" (TravelApplication.countries) as names in the reader's language: "德国、法国" or
    "Germany, France" (the portal's one source of country names, foreign_affairs.security.countries)."""
    return join_names(str(codes or ""))


@register.filter
def money(amount, currency="") -> str:
    """An amount with its currency, grouped by thousands in both languages: 120,000.00 CNY."""
    if amount in (None, ""):
        return ""
    try:
        amount = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"{amount:,.2f} {currency}".strip()


@register.filter
def anchor_for(field: str) -> str:
    """The section of the application form a rule finding points to."""
    return FIELD_ANCHORS.get(field or "", "")


@register.filter
def days_late(day) -> int:
    """Whole days since a due date (0 when not yet due)."""
    if not day:
        return 0
    return max((timezone.localdate() - day).days, 0)


@register.simple_tag
def status_tag(value, label="", testid="") -> str:
    """The tag of a permit's status, a public notice's outcome or an objection's status."""
    value = str(value or "")
    return format_html(
        '<span class="state-tag state-{}" data-status="{}"{}>{}</span>',
        STATUS_TONES.get(value, "neutral"),
        value,
        format_html(' data-testid="{}"', testid) if testid else "",
        label or value,
    )


@register.filter
def iso_date(value):
    """An ISO date string of a notice's published content ("2026-12-06") as a date, for |date."""
    if isinstance(value, date) or not value:
        return value or None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


@register.filter
def country_list(codes) -> str:
    """A list of country codes (a notice's content) as names in the reader's language."""
    if isinstance(codes, str):
        return country_names(codes)
    return country_names(",".join(str(code) for code in codes or ()))


@register.filter
def days_left(day) -> int:
    """Whole days until a date (0 when it has passed)."""
    if not day:
        return 0
    return max((day - timezone.localdate()).days, 0)
