"""Helpers shared by the APEC card pages: scoping, who may apply, refusals in plain words, and the
comment forms of the transitions."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.selectors import scope_for_user

from .. import selectors
from ..forms import TransitionForm
from ..models import Card, CardApplication, Economy

PAGE_SIZE = 20


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
    return render(
        request,
        "apec_cards/problem.html",
        {"title": title, "message": message, "back": back, "back_label": back_label},
        status=status,
    )


def refused_action(request, error, *, back=None, back_label: str = ""):
    return explain(
        request,
        _("You are not allowed to do this"),
        str(error) or _("Your role does not allow this action."),
        status=403,
        back=back,
        back_label=back_label,
    )


def transition_form(name: str, info, data=None) -> TransitionForm:
    """The comment of a transition: a reason where the workflow requires one or the step is destructive."""
    required = info.comment == "required" or info.destructive
    return TransitionForm(
        data,
        required=required,
        label=_("Reason") if required else _("Comment (optional)"),
        auto_id=f"id_{name}_%s",
    )


def action_rows(names, transitions: dict, *, bound: tuple | None = None) -> list[dict]:
    """The transitions the user may run now, each with the form it needs; the bound one keeps its input.
    The step forward first, destructive ones last (one primary button per page)."""
    rows = []
    for name in names:
        info = transitions[name]
        is_bound = bound is not None and bound[0] == name
        if info.comment == "none" or (info.comment == "optional" and not info.destructive):
            kind, form = "button", None
        else:
            kind = "confirm"
            form = bound[1] if is_bound else transition_form(name, info)
        rows.append({"name": name, "info": info, "kind": kind, "form": form, "open": is_bound})
    return sorted(rows, key=lambda row: (row["info"].destructive, row["kind"] != "button"))


def economy_names() -> dict[str, str]:
    """Economy names by code in the reader's language, for the timeline's events (one query)."""
    return {economy.code: economy.name for economy in Economy.objects.all()}


def validation_messages(error) -> dict:
    """A ValidationError as {field or None: [messages]}."""
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {None: error.messages}
