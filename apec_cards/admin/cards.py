"""The card registry: every card issued, its economies, its decision letter, and the two things the office
does to a card — report it lost, cancel it — through apec_cards.services like every other door."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition

from approvals.admin.filters import report_refusal
from foreign_affairs.accounts.selectors import scope_for_user
from foreign_affairs.accounts.validators import normalize_passport_number
from foreign_affairs.errors import RulesFailed, StateConflict

from .. import selectors, services
from ..letters import letter_response
from ..models import Card, Decision, PreClearance
from ..terms import add_months
from ..workflow import CARD_TRANSITIONS, CardState
from .common import card_state_tag, is_officer, state_tag, timeline_events, transition_buttons
from .filters import CardEconomyFilter, ExpiryFilter

COMMENT_SESSION_KEY = "apec-admin-card-comment-%s"


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
class CardAdmin(admin.ModelAdmin):
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
    search_fields = ["number"]  # turns the box on; get_search_results searches
    search_help_text = _("Card number, holder's name or pinyin, or whole passport number.")
    list_select_related = ["organization", "holder"]
    date_hierarchy = "expires_on"
    ordering = ["-issued_on", "-pk"]
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    empty_value_display = "—"
    actions = []
    change_list_template = "admin/apec_cards/card/change_list.html"
    change_form_template = "admin/apec_cards/card/change_form.html"
    fields = ["number"]
    readonly_fields = ["number"]
    wide_pages = {"is_nav_sidebar_enabled": False}

    # Cards are issued by the applications' "issue" and never deleted; changes go through services.

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = scope_for_user(super().get_queryset(request), request.user)
        return queryset.annotate(economy_total=Count("card_economies"))

    def get_object(self, request, object_id, from_field=None):
        queryset = selectors.card_with_details(scope_for_user(Card.objects.all(), request.user))
        try:
            return queryset.select_related("replaced_by").get(pk=self.opts.pk.to_python(object_id))
        except (Card.DoesNotExist, ValidationError, ValueError):
            return None

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        return (
            queryset.filter(
                Q(number__iexact=term)
                | Q(holder__full_name__icontains=term)
                | Q(holder__pinyin_name__icontains=term)
                | Q(passport_number=normalize_passport_number(term))
            ),
            False,
        )

    # Columns

    @admin.display(description=_("holder"), ordering="holder__full_name")
    def holder_name(self, card):
        holder = card.holder
        if not holder.pinyin_name:
            return holder.full_name
        return format_html('{} <span class="app-muted">{}</span>', holder.full_name, holder.pinyin_name)

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

    def changelist_view(self, request, extra_context=None):
        context = {**self.wide_pages, "title": _("APEC card registry"), **(extra_context or {})}
        return super().changelist_view(request, context)

    # URLs

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        views = [
            ("<path:object_id>/transition/", self.transition_view, "transition"),
            ("<path:object_id>/letter/", self.letter_view, "letter"),
            ("<path:object_id>/letter/render/", self.letter_render_view, "letter_render"),
        ]
        return [
            *(
                path(route, self.admin_site.admin_view(view), name="{}_{}_{}".format(*info, name))
                for route, view, name in views
            ),
            *super().get_urls(),
        ]

    def _url(self, name: str, *args, request=None) -> str:
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}",
            args=args,
            current_app=self.admin_site.name,
        )
        filters = request.GET.get("_changelist_filters", "") if request is not None else ""
        return f"{url}?{urlencode({'_changelist_filters': filters})}" if filters else url

    # The change page

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            return redirect(request.path)  # nothing to save: the buttons call the services
        return super().change_view(request, object_id, form_url, {**self.wide_pages, **(extra_context or {})})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self.card_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def card_context(self, request, card) -> dict:
        officer = is_officer(request.user)
        buttons = transition_buttons(
            services.available_card_transitions(card, request.user), CARD_TRANSITIONS
        )
        application = card.application
        replaced_by = getattr(card, "replaced_by", None)
        awaited = (
            PreClearance.objects.filter(application=application, decision=Decision.PENDING)
            .select_related("economy")
            .order_by("economy__position")
        )
        return {
            "card": card,
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
            "events": timeline_events(card, CardState),
            "transitions": buttons,
            "comment_required_for": [b["label"] for b in buttons if b["comment"] == "required"],
            "comment": request.session.pop(COMMENT_SESSION_KEY % card.pk, ""),
            "transition_url": self._url("transition", card.pk, request=request),
            "audit_url": f"{reverse('admin:audit_auditevent_changelist')}?{urlencode({'q': card.number})}",
        }

    def _card_or_404(self, request, object_id):
        card = admin.ModelAdmin.get_object(self, request, unquote(object_id))
        if card is None:
            raise Http404(gettext("There is no such card."))
        if not self.has_view_permission(request, card):
            raise PermissionDenied
        return card

    def _back(self, request, card, anchor: str = ""):
        url = self._url("change", card.pk, request=request)
        return redirect(f"{url}#{anchor}" if anchor else url)

    def transition_view(self, request, object_id):
        card = self._card_or_404(request, object_id)
        if request.method != "POST":
            return self._back(request, card)
        name = request.POST.get("transition", "")
        comment = request.POST.get("comment", "")
        try:
            changed = services.card_transition(card=card, actor=request.user, name=name, comment=comment)
        except (PermissionDenied, StateConflict, ConcurrentTransition, RulesFailed, ValidationError) as error:
            report_refusal(request, error)
            if comment.strip():
                request.session[COMMENT_SESSION_KEY % card.pk] = comment
            return self._back(request, card)
        messages.success(
            request,
            gettext("“%(action)s” is done: card %(number)s is now “%(state)s”.")
            % {
                "action": CARD_TRANSITIONS[name].label,
                "number": changed.number,
                "state": changed.get_state_display(),
            },
        )
        return self._back(request, changed)

    def letter_view(self, request, object_id):
        """The decision letter PDF; 404 until the task has rendered it."""
        return letter_response(self._card_or_404(request, object_id))

    def letter_render_view(self, request, object_id):
        """Queue the decision letter again after the task gave up (officers)."""
        card = self._card_or_404(request, object_id)
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
