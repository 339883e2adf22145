"""The detail page: timeline, what is missing, and the actions the user may take now."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from foreign_affairs.errors import RulesFailed, StateConflict

from .. import rules, selectors, services
from ..forms import (
    ReportForm,
    TransitionForm,
)
from ..templatetags.approvals import FIELD_ANCHORS
from ..workflow import EDITABLE_STATES, NEXT_STEP, TRANSITIONS, is_applicant, is_liaison
from .common import get_application


def _transition_form(name: str, data=None) -> TransitionForm:
    info = TRANSITIONS[name]
    return TransitionForm(
        data,
        required=info.comment == "required" or info.destructive,
        label=_("Reason") if info.destructive or info.comment == "required" else _("Comment (optional)"),
        auto_id=f"id_{name}_%s",
    )


def _actions(application, user, bound: tuple | None) -> list[dict]:
    """The transitions the user may run now, each with the form it needs; the bound one keeps its input."""
    actions = []
    for name in services.available_transitions(application, user):
        info = TRANSITIONS[name]
        is_bound = bound is not None and bound[0] == name
        if name == "submit_report":
            form, kind = (
                bound[1] if is_bound else ReportForm(application=application, auto_id="id_report_%s"),
                "report",
            )
        elif info.comment == "required" or info.destructive:
            form, kind = bound[1] if is_bound else _transition_form(name), "confirm"
        else:
            form, kind = None, "button"
        actions.append({"name": name, "info": info, "form": form, "kind": kind, "open": is_bound})
    # The step forward first, the destructive ones last (one primary button per page).
    return sorted(actions, key=lambda action: (action["info"].destructive, action["kind"] != "button"))


def _detail_page(request, application, *, bound: tuple | None = None, status: int = 200):
    user = request.user
    language = get_language()
    results = [
        {
            "code": result.get("code", ""),
            "severity": result["severity"],
            "message": rules.stored_message(result, language),
            "href": FIELD_ANCHORS.get(result.get("field", ""), ""),
        }
        for result in application.rule_results
    ]
    members = [
        {"member": member, "passport_number": member.person.passport_number_for(user)}
        for member in application.members.all()
    ]
    return render(
        request,
        "approvals/application_detail.html",
        {
            "application": application,
            "next_step": NEXT_STEP.get(application.state, ""),
            "members": members,
            "results": results,
            "timeline": list(selectors.timeline(application)),
            "actions": _actions(application, user, bound),
            "can_edit": application.state in EDITABLE_STATES and is_applicant(application, user),
            "is_liaison": is_liaison(application, user),
        },
        status=status,
    )


@login_required
def application_detail(request, pk):
    return _detail_page(request, get_application(request, pk))


@login_required
@require_POST
def transition(request, pk, name):
    """Run one transition for the user; errors come back as messages, a missing reason beside its field."""
    application = get_application(request, pk, details=False)
    if name not in TRANSITIONS or name == "issue_permit":
        raise Http404
    comment, report = "", None
    # Only validate the form of a transition the user may run now; otherwise the service says why not.
    available = name in services.available_transitions(application, request.user)
    form = (
        ReportForm(request.POST, auto_id="id_report_%s")
        if name == "submit_report"
        else (_transition_form(name, request.POST))
    )
    if available and not form.is_valid():
        return _detail_page(request, get_application(request, pk), bound=(name, form), status=400)
    if available:
        report = form.cleaned_data if name == "submit_report" else None
        comment = form.cleaned_data.get("comment", "") if name != "submit_report" else ""
    try:
        application = services.application_transition(
            application=application, actor=request.user, name=name, comment=comment, report=report
        )
    except PermissionDenied as error:
        messages.error(request, str(error) or _("Your role does not allow this action."))
    except StateConflict as error:
        messages.error(request, str(error.message))
    except RulesFailed as error:
        messages.error(request, " ".join([str(error.message), *(str(f["message"]) for f in error.findings)]))
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, messages_ in errors.items():
            form.add_error(field if field in form.fields else None, messages_)
        return _detail_page(request, get_application(request, pk), bound=(name, form), status=400)
    else:
        messages.success(
            request,
            _("“%(action)s” is done. The application is now “%(state)s”.")
            % {"action": TRANSITIONS[name].label, "state": application.get_state_display()},
        )
    return redirect(reverse("approvals:detail", args=[pk]))
