"""The organisation's cards: the list with its expiry filter, and a card's page with its economies, the
decision letter, reporting it lost or cancelling it, and the applications that follow a card (renewal,
replacement, new passport)."""

import logging
from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from foreign_affairs.page_actions import action_rows, transition_view

from .. import selectors, services
from ..filters import CardFilter
from ..letters import letter_response
from ..models import Card
from ..workflow import CARD_TRANSITIONS, LIVE_CARD_STATES, CardState, Kind, is_applicant
from .common import HOME, PAGE_SIZE, can_apply, economy_names, get_card
from .passports import passport_number_shown

logger = logging.getLogger(__name__)


@login_required
def card_list(request):
    user = request.user
    filters = CardFilter(request.GET or None, queryset=selectors.card_list_for(user), request=request)
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [
        {
            "card": card,
            "renewal_opens_on": selectors.renewable_on(card),
            "renewal_open": card.state == CardState.ACTIVE and selectors.renewable_on(card) <= today,
        }
        for card in page.object_list
    ]
    return render(
        request,
        "apec_cards/card_list.html",
        {
            "filters": filters.form,
            "page": page,
            "rows": rows,
            "filtered": filters.filtered,
            "can_apply": can_apply(user),
        },
    )


def _follow_ups(card: Card, user) -> dict:
    """The applications that may follow this card now, as links to the form (or why not yet)."""
    if card.state not in LIVE_CARD_STATES or not (can_apply(user) and is_applicant(card, user)):
        return {"links": [], "open_application": None, "renewal_opens_on": None}
    open_application = selectors.open_application_of(card.holder_id)
    if open_application is not None:
        return {"links": [], "open_application": open_application, "renewal_opens_on": None}
    create = reverse("apec_cards:application_create")

    def link(kind, label, primary=False):
        url = f"{create}?{urlencode({'kind': kind, 'person': card.holder_id})}"
        return {"kind": kind, "url": url, "label": label, "primary": primary}

    links, opens_on = [], None
    if card.state == CardState.ACTIVE:
        opens_on = selectors.renewable_on(card)
        if timezone.localdate() >= opens_on:
            links.append(link(Kind.RENEWAL, _("Apply for the renewal"), primary=True))
            opens_on = None
        links.append(link(Kind.REPLACEMENT, _("Apply for a replacement (damaged card)")))
    else:
        links.append(link(Kind.REPLACEMENT, _("Apply for a replacement"), primary=True))
    links.append(link(Kind.PASSPORT_CHANGE, _("Apply for a card with a new passport")))
    return {"links": links, "open_application": None, "renewal_opens_on": opens_on}


def _detail_page(request, card, *, bound: tuple | None = None, rules_failed=None, status: int = 200):
    user = request.user
    # Late answers join a live card only (services.card_add_economy).
    pending = selectors.economies_awaited(card)
    return render(
        request,
        "apec_cards/card_detail.html",
        {
            "card": card,
            "passport_number": passport_number_shown(request, card),
            "card_economies": list(card.card_economies.all()),
            "pending_economies": pending,
            "letter_ready": bool(card.letter),
            "letter_outdated": bool(card.letter) and card.letter_rendered_version < card.letter_version,
            "actions": action_rows(
                services.available_card_transitions(card, user),
                CARD_TRANSITIONS,
                url=lambda name: reverse("apec_cards:card_transition", args=[card.pk]),
                bound=bound,
            ),
            "rules_failed": rules_failed,
            "replaced_by": Card.objects.filter(replaces=card).first(),
            "timeline": list(selectors.timeline(card)),
            "economy_names": economy_names(),
            **_follow_ups(card, user),
        },
        status=status,
    )


@login_required
def card_detail(request, pk):
    return _detail_page(request, get_card(request, pk))


def _transition(card, user, name: str, cleaned: dict):
    return services.card_transition(card=card, actor=user, name=name, comment=cleaned.get("comment", ""))


def _page_again(request, pk, **kwargs):
    return _detail_page(request, get_card(request, pk), **kwargs)


# Reporting the card lost or cancelling it (the other card transitions are the system's).
USER_TRANSITIONS = {name: CARD_TRANSITIONS[name] for name in services.USER_CARD_TRANSITIONS}
card_transition = transition_view(
    get_object=partial(get_card, details=False), transitions=USER_TRANSITIONS,
    available=services.available_card_transitions, perform=_transition, page=_page_again, home=HOME,
)  # fmt: skip


@login_required
@require_GET
def card_letter(request, pk):
    """The decision letter's PDF for whoever may see the card; 404 while it is being prepared."""
    card = get_card(request, pk, details=False)
    response = letter_response(card)
    logger.info("decision letter downloaded", extra={"card": card.number, "user_id": request.user.pk})
    return response
