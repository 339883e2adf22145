"""The registered organisation's change requests (变更申请) and closure (注销) under
/foreign-offices/my/changes/: the list, a new request (first what changes, then that kind's form), a
request's page (the registry's values beside the proposed ones, the office's decision) and withdrawing a
request still waiting.

The organisation's members only (anyone else: 404). The registry changes only when an officer approves
(services.changes); a closed organisation, or a second request of a kind still waiting, is refused with the
service's message and nothing is stored.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from foreign_affairs.errors import StateConflict
from foreign_affairs.forms import add_service_errors, transition_form
from foreign_affairs.page_actions import action_rows

from .. import selectors
from ..forms.changes import FORMS
from ..models import ChangeRequest
from ..services import changes as services
from ..workflow import (
    CHANGE_STATE_TONES,
    CHANGE_TRANSITIONS,
    ChangeKind,
    ChangeState,
    OrganisationState,
)
from .office import field_label, own_organisation, refused, value_text
from .passports import proposed_passport_number

PAGE_SIZE = 20

# What each kind is for, on the page where the organisation chooses.
KIND_HINTS = {
    ChangeKind.CHIEF_REPRESENTATIVE: gettext_lazy(
        "A new person heads the office. Give their name and passport; they become the chief representative "
        "once the office approves."
    ),
    ChangeKind.ADDRESS: gettext_lazy("The office moves to a new address, in or outside the free trade zone."),
    ChangeKind.NAME: gettext_lazy("The organisation or the office changes its original or Chinese name."),
    ChangeKind.STAFF: gettext_lazy("The number of foreign or local staff changed."),
    ChangeKind.CLOSURE: gettext_lazy(
        "The office stops working in Henan and is deregistered. This cannot be undone."
    ),
}
NEXT_STEP = {
    ChangeState.SUBMITTED: gettext_lazy(
        "The office examines the request. The registry keeps its current values until the office approves."
    ),
    ChangeState.APPROVED: gettext_lazy("The office approved the request; the registry shows the change."),
    ChangeState.REJECTED: gettext_lazy(
        "The office rejected the request; the registry is unchanged. Its comment says why."
    ),
    ChangeState.WITHDRAWN: gettext_lazy("You withdrew the request; the registry is unchanged."),
}
# The proposal's fields that are not fields of the registry, with their labels.
PROPOSAL_LABELS = {
    "full_name": gettext_lazy("Full name"),
    "passport_number": gettext_lazy("Passport number"),
    "passport_expiry": gettext_lazy("Passport expiry date"),
    "position": gettext_lazy("Position"),
    "closing_on": gettext_lazy("Last day of the office"),
}
PROPOSAL_DATES = ("passport_expiry", "closing_on")


def _get_request(request, organisation, pk) -> ChangeRequest:
    """The organisation's request; another organisation's is 404."""
    return get_object_or_404(
        selectors.change_requests_for(request.user).filter(organisation=organisation), pk=pk
    )


def _url(change) -> str:
    return reverse("foreign_offices:change_detail", args=[change.pk])


def _proposed_text(field: str, value) -> str:
    if value is None or value == "":
        return "—"
    if field in PROPOSAL_DATES:
        parsed = parse_date(str(value))
        return date_format(parsed, "DATE_FORMAT") if parsed else str(value)
    if field in PROPOSAL_LABELS:
        return str(value)
    return value_text(field, value)


def comparison(change: ChangeRequest, request) -> list[dict]:
    """The rows of a request's page: what the registry held when the request was filed, and what is
    proposed ("current" is None where the registry has no such value, e.g. the new person's passport). The
    passport number is shown as `request`'s user may see it (a look at it whole is recorded)."""
    current, proposed = change.current or {}, dict(change.proposed or {})
    if proposed.get("passport_number"):
        proposed["passport_number"] = proposed_passport_number(request, change)
    if change.kind == ChangeKind.CHIEF_REPRESENTATIVE:
        rows = [
            {
                "label": field_label("chief_representative"),
                "current": value_text("chief_representative", current.get("chief_representative")),
                "proposed": _proposed_text("full_name", proposed.get("full_name")),
            }
        ]
        rows += [
            {
                "label": PROPOSAL_LABELS[field],
                "current": None,
                "proposed": _proposed_text(field, proposed.get(field)),
            }
            for field in ("passport_number", "passport_expiry", "position")
        ]
        return rows
    if change.kind == ChangeKind.CLOSURE:
        return [
            {
                "label": field_label("state"),
                "current": value_text("state", current.get("state")),
                "proposed": value_text("state", OrganisationState.CLOSED),
            },
            {
                "label": PROPOSAL_LABELS["closing_on"],
                "current": None,
                "proposed": _proposed_text("closing_on", proposed.get("closing_on")),
            },
        ]
    return [
        {
            "label": field_label(field),
            "current": value_text(field, current.get(field)),
            "proposed": _proposed_text(field, proposed.get(field)),
        }
        for field in services.PROPOSAL_FIELDS[change.kind]
    ]


# The list ---------------------------------------------------------------------------------------------------


@login_required
@require_GET
def change_list(request):
    organisation = own_organisation(request)
    changes = selectors.change_requests_for(request.user).filter(organisation=organisation)
    page = Paginator(changes, PAGE_SIZE).get_page(request.GET.get("page"))
    for change in page.object_list:
        change.tone = CHANGE_STATE_TONES.get(change.state, "neutral")
    return render(
        request,
        "foreign_offices/office/change_list.html",
        {
            "organisation": organisation,
            "page": page,
            "closed": organisation.state == OrganisationState.CLOSED,
        },
    )


# A new request ------------------------------------------------------------------------------------------------


@login_required
@require_GET
def change_choose(request):
    """What changes: one choice per kind, those with a request still waiting pointing at it instead."""
    organisation = own_organisation(request)
    waiting = {
        change.kind: change
        for change in selectors.change_requests_for(request.user).filter(
            organisation=organisation, state=ChangeState.SUBMITTED
        )
    }
    kinds = [
        {
            "kind": kind,
            "label": label,
            "hint": KIND_HINTS[kind],
            "waiting": waiting.get(kind),
            "url": reverse("foreign_offices:change_create", args=[kind]),
        }
        for kind, label in ChangeKind.choices
    ]
    return render(
        request,
        "foreign_offices/office/change_choose.html",
        {
            "organisation": organisation,
            "kinds": kinds,
            "closed": organisation.state == OrganisationState.CLOSED,
        },
    )


def _form_page(request, organisation, form, *, status=200):
    return render(
        request,
        "foreign_offices/office/change_form.html",
        {
            "organisation": organisation,
            "form": form,
            "kind": form.kind,
            "kind_label": ChangeKind(form.kind).label,
            "hint": KIND_HINTS[form.kind],
            "proposal_fields": [form[name] for name in services.PROPOSAL_FIELDS[form.kind]],
            "closure": form.kind == ChangeKind.CLOSURE,
        },
        status=status,
    )


@login_required
def change_create(request, kind):
    organisation = own_organisation(request)
    form_class = FORMS.get(kind)
    if form_class is None:
        raise Http404
    if request.method != "POST":
        return _form_page(request, organisation, form_class(organisation=organisation))
    form = form_class(request.POST, organisation=organisation)
    if form.is_valid():
        try:
            change = services.change_submit(
                organisation=organisation,
                actor=request.user,
                kind=form.kind,
                proposed=form.proposal(),
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except StateConflict as error:
            # A closed organisation, or a request of this kind still waiting: nothing is stored, what was
            # typed stays on the page.
            messages.error(request, str(error.message))
            return _form_page(request, organisation, form, status=409)
        except PermissionDenied as error:
            return refused(request, error)
        else:
            messages.success(
                request,
                _(
                    "Your request “%(kind)s” was sent to the office. The registry changes when the office "
                    "approves it."
                )
                % {"kind": change.get_kind_display()},
            )
            return redirect(_url(change))
    return _form_page(request, organisation, form, status=400)


# A request's page -----------------------------------------------------------------------------------------


def _detail_page(request, change, *, bound=None, status=200):
    names = services.available_transitions(change, request.user)
    # The organisation only withdraws; approving and rejecting are the office's, in the back office.
    names = [name for name in names if name == "withdraw"]
    return render(
        request,
        "foreign_offices/office/change_detail.html",
        {
            "organisation": change.organisation,
            "change": change,
            "tone": CHANGE_STATE_TONES.get(change.state, "neutral"),
            "next_step": NEXT_STEP.get(change.state, ""),
            "rows": comparison(change, request),
            "actions": action_rows(
                names,
                CHANGE_TRANSITIONS,
                url=lambda name: reverse("foreign_offices:change_withdraw", args=[change.pk]),
                bound=bound,
            ),
        },
        status=status,
    )


@login_required
@require_GET
def change_detail(request, pk):
    organisation = own_organisation(request)
    return _detail_page(request, _get_request(request, organisation, pk))


@login_required
@require_POST
def change_withdraw(request, pk):
    """Withdraw a request still waiting (a reason is asked, as for every destructive step)."""
    organisation = own_organisation(request)
    change = _get_request(request, organisation, pk)
    form = transition_form("withdraw", CHANGE_TRANSITIONS["withdraw"], request.POST)
    if not form.is_valid():
        return _detail_page(request, change, bound=("withdraw", form), status=400)
    try:
        change = services.change_transition(
            request=change, actor=request.user, name="withdraw", comment=form.cleaned_data["comment"]
        )
    except ValidationError as error:
        add_service_errors(form, error, default_field="comment")
        return _detail_page(request, change, bound=("withdraw", form), status=400)
    except StateConflict as error:
        messages.error(request, str(error.message))
    except PermissionDenied as error:
        return refused(request, error, back=_url(change), back_label=change.get_kind_display())
    else:
        messages.success(request, _("The request was withdrawn; the registry is unchanged."))
    return redirect(_url(change))


urlpatterns = [
    path("my/changes/", change_list, name="change_list"),
    path("my/changes/new/", change_choose, name="change_choose"),
    path("my/changes/new/<slug:kind>/", change_create, name="change_create"),
    path("my/changes/<int:pk>/", change_detail, name="change_detail"),
    path("my/changes/<int:pk>/withdraw/", change_withdraw, name="change_withdraw"),
]
