"""State changes from the enterprise pages of every area: the actions a user may take now on a case
page, each with the form it needs, and one view helper that runs a transition and answers the same way
everywhere (the API's counterpart is foreign_affairs.api.actions):

- the form is invalid (a reason is missing): the page again, the form open with its error (400);
- the role does not allow it (PermissionDenied): a refusal page that says why (403);
- the state does not allow it (StateConflict): back to the page with the reason as a message;
- the rules refuse it (RulesFailed): the page again with what is missing (400);
- the service refuses the input (ValidationError): the page again, the errors beside the fields (400);
- done: back to the page with what happened as a message.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .errors import RulesFailed, StateConflict
from .forms import add_service_errors, transition_form


def problem(
    request,
    title: str,
    message: str,
    *,
    status: int,
    back=None,
    back_label: str = "",
    home=None,
    home_label="",
):
    """A refusal in plain words (403, 409), with the way back to the case and to the area's main page."""
    return render(
        request,
        "problem.html",
        {
            "title": title,
            "message": message,
            "back": back,
            "back_label": back_label,
            "home": home,
            "home_label": home_label,
        },
        status=status,
    )


def action_rows(
    names,
    transitions: dict,
    *,
    url: Callable[[str], str],
    bound: tuple | None = None,
    forms: dict | None = None,
) -> list[dict]:
    """The transitions the user may run now (`names`), each with its form and where it posts; the bound one
    (name, form) keeps its input and stays open. `forms` gives transitions a form of the area's own:
    {name: (kind, make_form)}, shown by the area's template. The step forward first, the destructive ones
    last (one primary button per page)."""
    rows = []
    for name in names:
        info = transitions[name]
        is_bound = bound is not None and bound[0] == name
        if forms and name in forms:
            kind, make = forms[name]
            form = bound[1] if is_bound else make()
        elif info.comment == "none" or (info.comment == "optional" and not info.destructive):
            kind, form = "button", None
        else:
            kind, form = "confirm", bound[1] if is_bound else transition_form(name, info)
        rows.append(
            {"name": name, "info": info, "kind": kind, "form": form, "open": is_bound, "url": url(name)}
        )
    return sorted(rows, key=lambda row: (row["info"].destructive, row["kind"] != "button"))


def run_transition(
    request,
    *,
    obj,
    name: str,
    form,
    available: bool,
    run: Callable[[dict], object],
    page: Callable[..., object],
    refused: Callable[[PermissionDenied], object],
    done: Callable[[object], str],
):
    """Run transition `name` on `obj` from a page (see the module docstring for the answers).

    `form` is the transition's bound form, validated only when the user may run the transition now
    (`available`; otherwise the service says why not). `run(cleaned_data)` calls the area's service and
    returns the changed object; `page(bound=..., rules_failed=..., status=...)` renders the case page
    again; `refused(error)` renders the refusal; `done(obj)` is the message after success.
    """
    if available and not form.is_valid():
        return page(bound=(name, form), status=400)
    try:
        obj = run(form.cleaned_data if available else {})
    except PermissionDenied as error:
        return refused(error)
    except StateConflict as error:
        messages.error(request, str(error.message))
    except RulesFailed as error:
        return page(rules_failed=error, status=400)
    except ValidationError as error:
        add_service_errors(form, error)
        return page(bound=(name, form), status=400)
    else:
        messages.success(request, done(obj))
    return redirect(obj)


def transition_view(
    *,
    get_object: Callable,
    transitions: dict,
    available: Callable,
    perform: Callable,
    page: Callable,
    home: tuple[str, str],
    forms: dict | None = None,
):
    """The POST view of an area's case transitions (`<pk>/transition/<name>/`, or the name in the form).

    `get_object(request, pk)` finds the case the user may see (404 otherwise); `available(obj, user)` names
    the transitions the user may run now; `perform(obj, user, name, cleaned_data)` calls the area's service
    with what the form holds (nothing when the user may not run the transition now: the service refuses);
    `page(request, pk, **kwargs)` renders the case page again. `home` is the area's main page (URL name,
    label) for the refusal page; `forms` gives transitions a form of the area's own:
    {name: make_form(request, obj)}. A name not in `transitions` answers 404.
    """

    @login_required
    @require_POST
    def view(request, pk, name=""):
        obj = get_object(request, pk)
        name = name or request.POST.get("name", "")
        if name not in transitions:
            raise Http404
        info = transitions[name]
        make = (forms or {}).get(name)
        form = make(request, obj) if make else transition_form(name, info, request.POST)
        label = case_label(obj)
        return run_transition(
            request,
            obj=obj,
            name=name,
            form=form,
            available=name in available(obj, request.user),
            run=lambda cleaned: perform(obj, request.user, name, cleaned),
            page=lambda **kwargs: page(request, pk, **kwargs),
            refused=lambda error: problem(
                request,
                _("You are not allowed to do this"),
                refusal_message(error),
                status=403,
                back=obj.get_absolute_url(),
                back_label=label,
                home=reverse(home[0]),
                home_label=home[1],
            ),
            done=lambda changed: (
                _("“%(action)s” is done: %(reference)s is now “%(state)s”.")
                % {"action": info.label, "reference": label, "state": changed.get_state_display()}
            ),
        )

    return view


def case_label(obj) -> str:
    """How a case is named in messages: its reference or number."""
    return getattr(obj, "reference", None) or getattr(obj, "number", None) or str(obj)


def refusal_message(error: PermissionDenied) -> str:
    return str(error) or _("Your role does not allow this action.")
