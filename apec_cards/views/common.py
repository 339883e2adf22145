"""Helpers shared by the APEC card pages: scoping, who may apply, refusals in plain words."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.selectors import scope_for_user
from foreign_affairs.page_actions import problem, refusal_message

from .. import selectors
from ..models import Card, CardApplication, Economy

PAGE_SIZE = 20
# The area's main page, where a refusal page leads besides the case (foreign_affairs.page_actions).
HOME = ("apec_cards:guide", gettext_lazy("APEC Business Travel Card"))


def can_apply(user) -> bool:
    """Enterprise staff of a registered organisation start card applications (the office does not)."""
    return (
        user.is_authenticated
        and user.organization is not None
        and user.has_role(Role.APPLICANT)
        and user.has_perm("apec_cards.add_cardapplication")
    )


def is_enterprise(user) -> bool:
    return user.is_authenticated and not user.is_office_staff and user.organization is not None


def get_application(request, pk, *, details: bool = True) -> CardApplication:
    """The application if the user may see it; 404 for other organisations' (never 403)."""
    applications = CardApplication.objects.select_related("organization", "person")
    if details:
        applications = selectors.application_with_details(CardApplication.objects.all())
    return get_object_or_404(scope_for_user(applications, request.user), pk=pk)


def get_card(request, pk, *, details: bool = True) -> Card:
    cards = Card.objects.select_related("organization", "holder")
    if details:
        cards = selectors.card_with_details(Card.objects.all())
    return get_object_or_404(scope_for_user(cards, request.user), pk=pk)


def explain(request, title: str, message: str, *, status: int, back=None, back_label: str = ""):
    """A refusal in plain words (403, 409), with the way back."""
    return problem(
        request,
        title,
        message,
        status=status,
        back=back,
        back_label=back_label,
        home=reverse(HOME[0]),
        home_label=HOME[1],
    )


def refused_action(request, error, *, back=None, back_label: str = ""):
    return explain(
        request,
        _("You are not allowed to do this"),
        refusal_message(error),
        status=403,
        back=back,
        back_label=back_label,
    )


def economy_names() -> dict[str, str]:
    """Economy names by code in the reader's language, for the timeline's events (one query)."""
    return {economy.code: economy.name for economy in Economy.objects.all()}
