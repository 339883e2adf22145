"""The one-page application form, its live rule check and the documents section."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from foreign_affairs.accounts.services import suggested_pinyin_name
from foreign_affairs.errors import RulesFailed, StateConflict

from .. import hooks, rules, selectors, services
from ..forms import ApplicationEditor
from ..forms.editor import DocumentForm
from ..models import Attachment, TravelApplication
from ..templatetags.approvals import FIELD_ANCHORS
from ..workflow import EDITABLE_STATES, State, is_applicant
from .common import can_create, explain, get_application, refused_creation, signed_in


@login_required
def application_create(request):
    user = request.user
    if not can_create(user):
        return refused_creation(request)
    editor = ApplicationEditor(
        organization=user.organization,
        data=request.POST or None,
        files=request.FILES or None,
        add=request.GET.get("add", ""),
    )
    if request.method == "POST":
        return _save(request, editor, None)
    return _form_page(request, editor, None)


@login_required
def application_update(request, pk):
    application = get_application(request, pk)
    if not is_applicant(application, request.user):
        return explain(
            request,
            _("You cannot change this application"),
            _("Only your organisation's applicants can change its applications."),
            status=403,
            application=application,
        )
    if application.state not in EDITABLE_STATES:
        return explain(
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
        files=request.FILES or None,
        add=request.GET.get("add", ""),
    )
    if request.method == "POST":
        return _save(request, editor, application)
    return _form_page(request, editor, application)


def _save(request, editor: ApplicationEditor, application):
    """Save the draft and attach the file chosen in the documents section, then do what the button asked:
    submit, add a row, or show the result. A draft that cannot be saved stores no file; a refused file
    leaves the saved draft saved."""
    action = request.POST.get("action", "save")
    if action == "attach":
        editor.require_upload(request.POST, request.FILES)
    if not editor.is_valid():
        editor.upload_not_saved()
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
        editor.upload_not_saved()
        return _form_page(request, editor, application)
    except PermissionDenied as error:
        editor.add_problem(str(error) or _("Your role does not allow this action."))
        editor.upload_not_saved()
        return _form_page(request, editor, application, status=403)
    except StateConflict as error:
        editor.add_problem(error.message)
        editor.upload_not_saved()
        return _form_page(request, editor, application, status=409)

    attachment = None
    if editor.upload.is_bound:
        attachment = _attach(request, application, editor.upload)
        if attachment is None:
            messages.warning(
                request,
                _(
                    "The draft %(reference)s was saved, but the file was not attached. See why under "
                    "Documents, then choose a file again."
                )
                % {"reference": application.reference},
            )
            saved, application = _saved_editor(application)
            saved.upload = editor.upload
            return _form_page(request, saved, application)

    edit_url = reverse("approvals:update", args=[application.pk])
    if action in ("add_legs", "add_members"):
        if attachment is not None:
            messages.success(request, _attached(attachment))
        section = "itinerary" if action == "add_legs" else "delegation"
        return redirect(f"{edit_url}?add={action.removeprefix('add_')}#{section}")
    if action != "submit":
        if attachment is not None:
            messages.success(
                request,
                _("The draft %(reference)s was saved and “%(name)s” was attached as %(kind)s.")
                % {
                    "reference": application.reference,
                    "name": attachment.document.original_name,
                    "kind": attachment.get_kind_display(),
                },
            )
            return redirect(f"{edit_url}#documents")
        messages.success(
            request, _("The draft %(reference)s was saved.") % {"reference": application.reference}
        )
        return redirect(application)

    if attachment is not None:
        messages.success(request, _attached(attachment))
    name = "resubmit" if application.state == State.RETURNED else "submit"
    try:
        services.application_transition(application=application, actor=request.user, name=name)
    except RulesFailed as error:
        editor, application = _saved_editor(application)
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


def _saved_editor(application) -> tuple[ApplicationEditor, TravelApplication]:
    """The form as just saved, to show again after saving. Not the bound form: it counts the rows the page
    had before saving (none on a new application), and saving it once more would drop the saved rows."""
    application = selectors.with_details(TravelApplication.objects.all()).get(pk=application.pk)
    return ApplicationEditor(organization=application.organization, application=application), application


def _attach(request, application, form: DocumentForm) -> Attachment | None:
    """Attach the form's file through the service, which checks the actor, the state, and the file's
    content and size; its refusals go onto the form (None)."""
    if not form.is_valid():
        return None
    try:
        return services.attachment_add(
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
    return None


def _attached(attachment) -> str:
    return _("“%(name)s” was attached as %(kind)s.") % {
        "name": attachment.document.original_name,
        "kind": attachment.get_kind_display(),
    }


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
        # Where the saved application's travellers lacking pre-departure training are enrolled.
        "training_url": hooks.training_enrolment_url(application)
        if "predeparture_training" in failing
        else "",
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
            "error_items": editor.error_items(),
            "panel": _panel(editor, application),
            "attachment_form": editor.upload,
            "form_action": form_action,
            "precheck_url": precheck_url,
        },
        status=status,
    )


@signed_in
@require_POST
def precheck(request, pk=None):
    """The live rule check: the rule panel (and the progress indicator, out of band) for what was typed."""
    if pk is None:
        if not can_create(request.user):
            raise PermissionDenied
        application, organization = None, request.user.organization
    else:
        application = get_application(request, pk)
        if not is_applicant(application, request.user):
            raise PermissionDenied
        organization = application.organization
    editor = ApplicationEditor(organization=organization, application=application, data=request.POST)
    return render(
        request,
        "approvals/includes/rule_panel.html",
        {"panel": _panel(editor, application, live=True), "oob": True},
    )


@signed_in
@require_GET
def pinyin_suggestion(request):
    """{"pinyin_name": "WANG XIN"} for ?name=王新: what the form suggests for a new traveller while the
    Chinese name is typed (application-form.js fills the pinyin field unless the user has changed it)."""
    return JsonResponse({"pinyin_name": suggested_pinyin_name(request.GET.get("name", "")[:100])})


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


@signed_in
@require_POST
def attachment_add(request, pk):
    """Attach a file to a saved draft: the documents section's "Attach the file" with JavaScript (htmx,
    answered with the section). Without JavaScript that button saves the draft and attaches the file
    (_save); a plain POST here is answered with a redirect to the documents section."""
    application = get_application(request, pk, details=False)
    form = DocumentForm(request.POST, request.FILES)
    attachment = _attach(request, application, form)
    note = _attached(attachment) if attachment is not None else ""
    if request.htmx:
        response = _documents_fragment(request, application, DocumentForm() if attachment else form, note)
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


@signed_in
@require_POST
def attachment_remove(request, pk, attachment_pk):
    application = get_application(request, pk, details=False)
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
        form = DocumentForm()
        if problem:
            form.add_error(None, problem)
        response = _documents_fragment(request, application, form, "" if problem else note)
        if not problem:
            trigger_client_event(response, "attachments-changed")
        return response
    (messages.error if problem else messages.success)(request, note)
    return _back_to_documents(application)


# The detail page and transitions -------------------------------------------------------------------
