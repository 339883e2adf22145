"""The card registry: every card issued, its economies, its decision letter, and the two things the office
does to a card — report it lost, cancel it — through apec_cards.services like every other door."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs.admin_queue import QueueAdmin, audit_url, is_officer

from .. import selectors, services
from ..filters import CARD_SEARCH_HELP, card_search_q
from ..letters import letter_response
from ..models import Card, Decision, PreClearance
from ..terms import add_months
from ..views.passports import passport_number_shown
from ..workflow import CARD_TRANSITIONS, CardState
from .common import card_state_tag, name_with_pinyin, state_tag, timeline
from .filters import CardEconomyFilter, ExpiryFilter


def days_left_badge(card):
    """Days to expiry of a valid card: red within a month, amber within six months."""
    if card.state != CardState.ACTIVE:
        return "—"
    today = timezone.localdate()
    days = card.days_to_expiry
    if days < 0:
        label = ngettext("expired %(days)d day ago", "expired %(days)d days ago", -days) % {"days": -days}
        return format_html(
            '<span class="queue-badge queue-overdue" data-days-left="{}">{}</span>', days, label
        )
    label = ngettext("%(days)d day", "%(days)d days", days) % {"days": days}
    if card.expires_on <= add_months(today, 1):
        return format_html(
            '<span class="queue-badge queue-overdue" data-days-left="{}">{}</span>', days, label
        )
    if card.expires_on <= add_months(today, 6):
        return format_html(
            '<span class="queue-badge queue-rule-warning" data-days-left="{}">{}</span>', days, label
        )
    return format_html('<span data-days-left="{}">{}</span>', days, label)


@admin.register(Card)
class CardAdmin(QueueAdmin):
    list_display = [
        "number",
        "holder_name",
        "organization_name",
        "issued_on",
        "expires_on",
        "days_left",
        "state_label",
        "economy_count",
    ]
    list_display_links = ["number"]
    list_filter = ["state", ExpiryFilter, CardEconomyFilter, "organization__ftz_area"]
    search_fields = ["number"]  # turns the box on; search_filter searches
    search_q = staticmethod(card_search_q)
    search_help_text = CARD_SEARCH_HELP
    list_select_related = ["organization", "holder"]
    date_hierarchy = "expires_on"
    ordering = ["-issued_on", "-pk"]
    actions = []
    # The page shows the card itself (its change_form.html); no field is editable.
    fields = ["number"]
    readonly_fields = ["number"]
    queue_title = _("APEC card registry")
    transitions = CARD_TRANSITIONS
    comment_session_key = "apec-admin-card-comment-%s"
    not_found = _("There is no such card.")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.annotate(economy_total=Count("card_economies"))

    def detail_queryset(self, queryset):
        return selectors.card_with_details(queryset).select_related("replaced_by")

    # Columns

    @admin.display(description=_("holder"), ordering="holder__full_name")
    def holder_name(self, card):
        return name_with_pinyin(card.holder)

    @admin.display(description=_("organisation"), ordering="organization__name_zh")
    def organization_name(self, card):
        return card.organization.name

    @admin.display(description=_("days left"), ordering="expires_on")
    def days_left(self, card):
        return days_left_badge(card)

    @admin.display(description=_("state"), ordering="state")
    def state_label(self, card):
        return card_state_tag(card.state)

    @admin.display(description=_("economies"), ordering="economy_total")
    def economy_count(self, card):
        return card.economy_total

    def admin_views(self) -> list[tuple]:
        return [
            *super().admin_views(),
            ("<path:object_id>/letter/", self.letter_view, "letter"),
            ("<path:object_id>/letter/render/", self.letter_render_view, "letter_render"),
        ]

    # The change page

    def page_context(self, request, card) -> dict:
        officer = is_officer(request.user)
        names = services.available_card_transitions(card, request.user)
        application = card.application
        replaced_by = getattr(card, "replaced_by", None)
        awaited = (
            PreClearance.objects.filter(application=application, decision=Decision.PENDING)
            .select_related("economy")
            .order_by("economy__position")
        )
        return {
            "card": card,
            "passport_number": passport_number_shown(request, card),
            "state_tag": card_state_tag(card.state),
            "days_left": days_left_badge(card),
            "application": application,
            "application_tag": state_tag(application.state),
            "application_url": reverse("admin:apec_cards_cardapplication_change", args=[application.pk]),
            "holder_url": reverse("admin:accounts_person_change", args=[card.holder_id]),
            "organization_url": reverse("admin:accounts_organization_change", args=[card.organization_id]),
            "card_economies": list(card.card_economies.all()),
            "awaited": [row.economy for row in awaited],
            "replaces_url": reverse("admin:apec_cards_card_change", args=[card.replaces_id])
            if card.replaces_id
            else "",
            "replaced_by": replaced_by,
            "replaced_by_url": reverse("admin:apec_cards_card_change", args=[replaced_by.pk])
            if replaced_by
            else "",
            "letter_url": self._url("letter", card.pk) if card.letter else "",
            "letter_outdated": bool(card.letter) and card.letter_rendered_version < card.letter_version,
            "can_render_letter": officer and bool(card.letter_error),
            "letter_render_url": self._url("letter_render", card.pk, request=request),
            "events": timeline(card, CardState),
            **self.transition_context(request, card, names, subject=card.number),
            "audit_url": audit_url(card.number),
        }

    def run_transition(self, request, card, name, comment):
        return services.card_transition(card=card, actor=request.user, name=name, comment=comment)

    def transition_done(self, changed, name):
        return gettext("“%(action)s” is done: card %(number)s is now “%(state)s”.") % {
            "action": CARD_TRANSITIONS[name].label,
            "number": changed.number,
            "state": changed.get_state_display(),
        }

    def letter_view(self, request, object_id):
        """The decision letter PDF; 404 until the task has rendered it."""
        return letter_response(self._object_or_404(request, object_id))

    def letter_render_view(self, request, object_id):
        """Queue the decision letter again after the task gave up (officers)."""
        card = self._object_or_404(request, object_id)
        if request.method != "POST":
            return self._back(request, card, "letter")
        if not is_officer(request.user):
            messages.error(request, _("Only approval officers render a decision letter again."))
            return self._back(request, card, "letter")
        with transaction.atomic():
            services.enqueue_letter(card)
        card.refresh_from_db()
        if card.letter and not card.letter_error and card.letter_rendered_version >= card.letter_version:
            text = gettext("The decision letter of card %(number)s is rendered.")
        else:
            text = gettext(
                "The decision letter of card %(number)s is being rendered again; this page shows it when it is ready."
            )
        messages.success(request, text % {"number": card.number})
        return self._back(request, card, "letter")
