"""Enterprise pages of travel applications: the list, the one-page form with its live rule check, the
detail page with its timeline and actions, attachments, transitions, and the liaison's endorsements.

Every write goes through approvals.services; the pages only turn its errors into messages beside the
fields (ValidationError), in the error summary (RulesFailed) or as a plain explanation (PermissionDenied,
StateConflict), keeping whatever was typed.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.selectors import scope_for_user
from foreign_affairs.errors import RulesFailed, StateConflict

from . import rules, selectors, services
from .forms import (
    ApplicationEditor,
    ApplicationFilterForm,
    AttachmentForm,
    ReportForm,
    TransitionForm,
)
from .models import Attachment, TravelApplication
from .templatetags.approvals import FIELD_ANCHORS
from .workflow import EDITABLE_STATES, NEXT_STEP, TRANSITIONS, State, is_applicant, is_liaison

PAGE_SIZE = 20
SORTS = {
    "": (F("created_at").desc(), F("pk").desc()),
    "departure": (F("departure_date").asc(nulls_last=True), F("pk").asc()),
    "-departure": (F("departure_date").desc(nulls_last=True), F("pk").desc()),
    "reference": (F("reference").asc(),),
    "due": (F("due_on").asc(nulls_last=True), F("pk").asc()),
}


def _signed_in(view):
    """login_required, except that an htmx request of a signed-out user gets a bare 401: htmx swaps
    nothing, instead of putting the sign-in page into the rule panel or the documents section."""
    guarded = login_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "htmx", False) and not request.user.is_authenticated:
            return HttpResponse(status=401)
        return guarded(request, *args, **kwargs)

    return wrapper


def _can_create(user) -> bool:
    return (
        user.organization is not None
        and user.has_role(Role.APPLICANT)
        and user.has_perm("approvals.add_travelapplication")
    )


def _application(request, pk, *, details: bool = True) -> TravelApplication:
    """The application if the user may see it; 404 for other organisations' (never 403)."""
    applications = TravelApplication.objects.select_related("organization")
    if details:
        applications = selectors.with_details(TravelApplication.objects.all())
    return get_object_or_404(scope_for_user(applications, request.user), pk=pk)


def _explain(request, title: str, message: str, *, status: int, application=None):
    """A refusal in plain words (403, 409), with the way back."""
    return render(
        request,
        "approvals/problem.html",
        {"title": title, "message": message, "application": application},
        status=status,
    )


def _refused_creation(request):
    return _explain(
        request,
        _("You cannot start an application"),
        _(
            "Travel applications are started by the staff of an enterprise registered with the office. "
            "If your enterprise should have access, ask its foreign-affairs liaison or the office."
        ),
        status=403,
    )


# The list ------------------------------------------------------------------------------------------


@login_required
def application_list(request):
    user = request.user
    counts = selectors.state_counts(selectors.application_list_for(user))
    filters = ApplicationFilterForm(request.GET or None, state_counts=counts)
    filters.is_valid()
    chosen = getattr(filters, "cleaned_data", {})
    applications = selectors.application_list_for(
        user,
        search=(chosen.get("q") or "").strip(),
        state=chosen.get("state") or "",
        country=chosen.get("country") or "",
        departure_after=chosen.get("departure_after"),
        departure_before=chosen.get("departure_before"),
    ).order_by(*SORTS[chosen.get("sort") or ""])
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = any(
        chosen.get(name) for name in ("q", "state", "country", "departure_after", "departure_before")
    )
    awaiting = selectors.awaiting_endorsement_for(user).count() if user.has_role(Role.LIAISON) else 0
    return render(
        request,
        "approvals/application_list.html",
        {
            "filters": filters,
            "page": page,
            "filtered": filtered,
            "can_create": _can_create(user),
            "awaiting_endorsement": awaiting,
            "total": sum(counts.values()),
        },
    )


@login_required
def endorsements(request):
    if not request.user.has_role(Role.LIAISON) or request.user.organization is None:
        return _explain(
            request,
            _("Endorsements are for the liaison"),
            _(
                "Your organisation's foreign-affairs liaison endorses its applications before the office "
                "reviews them. Your account is not the liaison's."
            ),
            status=403,
        )
    applications = selectors.awaiting_endorsement_for(request.user)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "approvals/endorsements.html", {"page": page})


# The form ------------------------------------------------------------------------------------------


@login_required
def application_create(request):
    user = request.user
    if not _can_create(user):
        return _refused_creation(request)
    editor = ApplicationEditor(
        organization=user.organization, data=request.POST or None, add=request.GET.get("add", "")
    )
    if request.method == "POST":
        return _save(request, editor, None)
    return _form_page(request, editor, None)


@login_required
def application_update(request, pk):
    application = _application(request, pk)
    if not is_applicant(application, request.user):
        return _explain(
            request,
            _("You cannot change this application"),
            _("Only your organisation's applicants can change its applications."),
            status=403,
            application=application,
        )
    if application.state not in EDITABLE_STATES:
        return _explain(
            request,
            _("This application cannot be changed now"),
            _(
                "An application can be changed only while it is a draft or returned for changes; "
                "this one is “%(state)s”."
            )
            % {"state": application.get_state_display()},
            status=409,
            application=application,
        )
    editor = ApplicationEditor(
        organization=application.organization,
        application=application,
        data=request.POST or None,
        add=request.GET.get("add", ""),
    )
    if request.method == "POST":
        return _save(request, editor, application)
    return _form_page(request, editor, application)


def _save(request, editor: ApplicationEditor, application):
    """Save the draft, then do what the button asked: submit, add a row, attach, or show the result."""
    action = request.POST.get("action", "save")
    if not editor.is_valid():
        return _form_page(request, editor, application)
    data, legs, members = editor.service_arguments()
    try:
        if application is None:
            application = services.application_create(
                actor=request.user, organization=editor.organization, data=data, legs=legs, members=members
            )
        else:
            application = services.application_update(
                application=application, actor=request.user, data=data, legs=legs, members=members
            )
    except ValidationError as error:
        editor.add_service_error(error)
        return _form_page(request, editor, application)
    except PermissionDenied as error:
        editor.add_problem(str(error) or _("Your role does not allow this action."))
        return _form_page(request, editor, application, status=403)
    except StateConflict as error:
        editor.add_problem(error.message)
        return _form_page(request, editor, application, status=409)

    edit_url = reverse("approvals:update", args=[application.pk])
    if action in ("add_legs", "add_members"):
        section = "itinerary" if action == "add_legs" else "delegation"
        return redirect(f"{edit_url}?add={action.removeprefix('add_')}#{section}")
    if action == "attach":
        messages.success(request, _("The draft was saved. Attach the documents now."))
        return redirect(f"{edit_url}#documents")
    if action != "submit":
        messages.success(
            request, _("The draft %(reference)s was saved.") % {"reference": application.reference}
        )
        return redirect(application)

    name = "resubmit" if application.state == State.RETURNED else "submit"
    try:
        services.application_transition(application=application, actor=request.user, name=name)
    except RulesFailed as error:
        editor.application = application = selectors.with_details(TravelApplication.objects.all()).get(
            pk=application.pk
        )
        editor.add_problem(error.message)
        editor.add_rule_failures(error.findings)
        messages.warning(
            request,
            _(
                "Your changes were saved, but the application cannot be submitted yet. Fix what is listed, then submit."
            ),
        )
        return _form_page(request, editor, application)
    except (PermissionDenied, StateConflict) as error:
        messages.error(request, str(getattr(error, "message", "") or error))
        return redirect(application)
    messages.success(
        request,
        _("%(reference)s was submitted. Your liaison endorses it next.")
        % {"reference": application.reference},
    )
    return redirect(application)


def _attachment_kinds(application) -> set[str]:
    return {attachment.kind for attachment in application.attachments.all()} if application else set()


def _panel(editor: ApplicationEditor, application, *, live: bool = False) -> dict:
    """The rule check panel's content for what the form holds now."""
    kinds = _attachment_kinds(application)
    draft = editor.draft(attachment_kinds=kinds)
    findings = rules.check(draft)
    failing = {finding.code for finding in findings}
    checked = bool(draft.legs and draft.members)
    met = (
        [
            rules.RULES[code].label
            for code, config in rules.settings_by_code().items()
            if config["enabled"] and code not in failing
        ]
        if checked
        else []
    )
    return {
        "findings": [
            {
                "code": f.code,
                "severity": f.severity,
                "message": str(f.message),
                "href": FIELD_ANCHORS.get(f.field, ""),
            }
            for f in findings
        ],
        "error_count": sum(f.severity == "error" for f in findings),
        "warning_count": sum(f.severity == "warning" for f in findings),
        "met": met,
        "incomplete": editor.incomplete_rows(),
        "progress": editor.progress(findings, kinds, live=live),
    }


def _form_page(request, editor: ApplicationEditor, application, *, status: int = 200):
    if application is not None:
        form_action = reverse("approvals:update", args=[application.pk])
        precheck_url = reverse("approvals:precheck", args=[application.pk])
    else:
        form_action, precheck_url = reverse("approvals:create"), reverse("approvals:precheck_new")
    return render(
        request,
        "approvals/application_form.html",
        {
            "editor": editor,
            "form": editor.form,
            "application": application,
            "returned": application is not None and application.state == State.RETURNED,
            "error_items": editor.error_items() if editor.is_bound else [],
            "panel": _panel(editor, application),
            "attachment_form": AttachmentForm(),
            "form_action": form_action,
            "precheck_url": precheck_url,
        },
        status=status,
    )


@_signed_in
@require_POST
def precheck(request, pk=None):
    """The live rule check: the rule panel (and the progress indicator, out of band) for what was typed."""
    if pk is None:
        if not _can_create(request.user):
            raise PermissionDenied
        application, organization = None, request.user.organization
    else:
        application = _application(request, pk)
        if not is_applicant(application, request.user):
            raise PermissionDenied
        organization = application.organization
    editor = ApplicationEditor(organization=organization, application=application, data=request.POST)
    return render(
        request,
        "approvals/includes/rule_panel.html",
        {"panel": _panel(editor, application, live=True), "oob": True},
    )


# Attachments ---------------------------------------------------------------------------------------


def _back_to_documents(application):
    if application.state in EDITABLE_STATES:
        return redirect(reverse("approvals:update", args=[application.pk]) + "#documents")
    return redirect(application)


def _documents_fragment(request, application, form, note: str = ""):
    application = selectors.with_details(TravelApplication.objects.all()).get(pk=application.pk)
    return render(
        request,
        "approvals/includes/documents.html",
        {"application": application, "attachment_form": form, "note": note, "editable": True},
    )


@_signed_in
@require_POST
def attachment_add(request, pk):
    application = _application(request, pk, details=False)
    form = AttachmentForm(request.POST, request.FILES)
    attachment = None
    if form.is_valid():
        try:
            attachment = services.attachment_add(
                application=application,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else "file", errors)
            else:
                form.add_error("file", error)
        except (PermissionDenied, StateConflict) as error:
            form.add_error(None, str(getattr(error, "message", "") or error))
    note = ""
    if attachment is not None:
        note = _("“%(name)s” was attached as %(kind)s.") % {
            "name": attachment.document.original_name,
            "kind": attachment.get_kind_display(),
        }
    if request.htmx:
        response = _documents_fragment(request, application, AttachmentForm() if attachment else form, note)
        if attachment is not None:
            trigger_client_event(response, "attachments-changed")
        return response
    if attachment is not None:
        messages.success(request, note)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return _back_to_documents(application)


@_signed_in
@require_POST
def attachment_remove(request, pk, attachment_pk):
    application = _application(request, pk, details=False)
    attachment = get_object_or_404(
        Attachment.objects.select_related("document"), pk=attachment_pk, application=application
    )
    name, problem = attachment.document.original_name, ""
    try:
        services.attachment_remove(attachment=attachment, actor=request.user)
    except (PermissionDenied, StateConflict) as error:
        problem = str(getattr(error, "message", "") or error)
    note = problem or _("“%(name)s” was removed.") % {"name": name}
    if request.htmx:
        form = AttachmentForm()
        if problem:
            form.add_error(None, problem)
        response = _documents_fragment(request, application, form, "" if problem else note)
        if not problem:
            trigger_client_event(response, "attachments-changed")
        return response
    (messages.error if problem else messages.success)(request, note)
    return _back_to_documents(application)


# The detail page and transitions -------------------------------------------------------------------


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
    return _detail_page(request, _application(request, pk))


@login_required
@require_POST
def transition(request, pk, name):
    """Run one transition for the user; errors come back as messages, a missing reason beside its field."""
    application = _application(request, pk, details=False)
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
        return _detail_page(request, _application(request, pk), bound=(name, form), status=400)
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
        return _detail_page(request, _application(request, pk), bound=(name, form), status=400)
    else:
        messages.success(
            request,
            _("“%(action)s” is done. The application is now “%(state)s”.")
            % {"action": TRANSITIONS[name].label, "state": application.get_state_display()},
        )
    return redirect(reverse("approvals:detail", args=[pk]))
