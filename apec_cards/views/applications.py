"""The organisation's card applications: the list (with the liaison's "awaiting endorsement"), the form,
the detail page with its documents, what is missing, the pre-clearance answers, the actions and the
timeline.

Every write goes through apec_cards.services; the pages turn its errors into messages beside the fields
(ValidationError), a list of what is missing (RulesFailed), a plain refusal (PermissionDenied, 403) or a
message about the state (StateConflict), keeping whatever was typed.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from foreign_affairs.accounts.models import Person
from foreign_affairs.accounts.roles import Role
from foreign_affairs.errors import StateConflict
from foreign_affairs.forms import add_service_errors
from foreign_affairs.page_actions import action_rows, transition_view

from .. import selectors, services
from ..filters import ApplicationFilter
from ..forms import ApplicationForm, AttachmentForm
from ..models import Card, CardAttachment
from ..workflow import EDITABLE_STATES, NEXT_STEP, TRANSITIONS, Kind, State, is_applicant, is_liaison
from .common import HOME, PAGE_SIZE, can_apply, economy_names, explain, get_application, refused_action
from .passports import passport_number_shown

# States in which the checks before submission still matter to the reader.
PRECHECK_STATES = (*EDITABLE_STATES, State.SUBMITTED)


# The list -----------------------------------------------------------------------------------------------


@login_required
def application_list(request):
    user = request.user
    applications = selectors.application_list_for(user)
    filters = ApplicationFilter(request.GET or None, queryset=applications, request=request)
    counts = selectors.state_counts(applications)
    filters.count_states(counts)
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    liaison = user.organization is not None and user.has_role(Role.LIAISON)
    return render(
        request,
        "apec_cards/application_list.html",
        {
            "filters": filters.form,
            "page": page,
            "filtered": filters.filtered,
            "endorsement_view": request.GET.get("state") == State.SUBMITTED and liaison,
            "awaiting_endorsement": counts.get(State.SUBMITTED, 0) if liaison else 0,
            "can_apply": can_apply(user),
            "total": sum(counts.values()),
        },
    )


# The form -----------------------------------------------------------------------------------------------


def _prefill(request, organization) -> dict:
    """?kind=renewal&person=<id> from a card's page: the kind and the holder chosen already."""
    initial = {}
    kind = request.GET.get("kind", "")
    if kind in Kind.values:
        initial["kind"] = kind
    person = request.GET.get("person", "")
    if person.isdigit() and Person.objects.filter(pk=person, organization=organization).exists():
        initial["person"] = int(person)
    return initial


def _form_page(request, form, application, *, status: int = 200):
    if form.shows_stored_passport_number():
        passport_number_shown(request, application)  # the input holds it whole: recorded
    return render(
        request,
        "apec_cards/application_form.html",
        {
            "form": form,
            "application": application,
            "carry_over_kinds": [Kind.REPLACEMENT, Kind.PASSPORT_CHANGE],
        },
        status=status,
    )


def _save(request, form, application):
    """Create or change the draft through the services; their refusals go onto the form."""
    if not form.is_valid():
        return _form_page(request, form, application, status=400)
    try:
        if application is None:
            application = services.application_create(
                actor=request.user, organization=form.organization, data=form.service_data()
            )
            messages.success(
                request,
                _(
                    "The draft %(reference)s was saved. Attach the passport's photo page and the photograph, "
                    "then submit it."
                )
                % {"reference": application.reference},
            )
            return redirect(f"{application.get_absolute_url()}#documents")
        application = services.application_update(
            application=application, actor=request.user, data=form.service_data()
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _form_page(request, form, application, status=400)
    except PermissionDenied as error:
        return refused_action(request, error)
    except StateConflict as error:
        form.add_error(None, str(error.message))
        return _form_page(request, form, application, status=409)
    messages.success(
        request, _("The changes to %(reference)s were saved.") % {"reference": application.reference}
    )
    return redirect(application)


@login_required
def application_create(request):
    user = request.user
    if not can_apply(user):
        return explain(
            request,
            _("You cannot start an application"),
            _(
                "APEC card applications are made by the staff of an enterprise registered with the office. If "
                "your enterprise should have access, ask its foreign-affairs liaison or the office."
            ),
            status=403,
        )
    organization = user.organization
    if request.method == "POST":
        return _save(request, ApplicationForm(request.POST, organization=organization), None)
    form = ApplicationForm(organization=organization, initial=_prefill(request, organization))
    return _form_page(request, form, None)


@login_required
def application_edit(request, pk):
    application = get_application(request, pk)
    back = {"back": application.get_absolute_url(), "back_label": application.reference}
    if not is_applicant(application, request.user):
        return explain(
            request,
            _("You cannot change this application"),
            _("Only the staff of the applying organisation change its applications."),
            status=403,
            **back,
        )
    if application.state not in EDITABLE_STATES:
        return explain(
            request,
            _("This application cannot be changed now"),
            _(
                "An application can be changed only while it is a draft or returned for changes; this one is "
                "“%(state)s”."
            )
            % {"state": application.get_state_display()},
            status=409,
            **back,
        )
    data = request.POST if request.method == "POST" else None
    form = ApplicationForm(data, organization=application.organization, application=application)
    if data is not None:
        return _save(request, form, application)
    return _form_page(request, form, application)


# The detail page ----------------------------------------------------------------------------------------


def _detail_page(
    request,
    application,
    *,
    bound: tuple | None = None,
    attachment_form=None,
    rules_failed=None,
    status: int = 200,
):
    user = request.user
    editable = application.state in EDITABLE_STATES and is_applicant(application, user)
    findings = services.precheck(application) if application.state in PRECHECK_STATES else []
    return render(
        request,
        "apec_cards/application_detail.html",
        {
            "application": application,
            "passport_number": passport_number_shown(request, application),
            "next_step": NEXT_STEP.get(application.state, ""),
            "actions": action_rows(
                services.available_transitions(application, user),
                TRANSITIONS,
                url=lambda name: reverse("apec_cards:application_transition", args=[application.pk]),
                bound=bound,
            ),
            "can_edit": editable,
            "is_liaison": is_liaison(application, user),
            "findings": findings,
            "error_count": sum(finding["severity"] == "error" for finding in findings),
            "rules_failed": rules_failed,
            "attachments": list(application.attachments.all()),
            "attachment_form": (attachment_form or AttachmentForm()) if editable else None,
            "preclearances": list(application.preclearances.all()),
            "economies": list(application.economies.all()),
            "card": Card.objects.filter(application=application).first(),
            "timeline": list(selectors.timeline(application)),
            "economy_names": economy_names(),
        },
        status=status,
    )


@login_required
def application_detail(request, pk):
    return _detail_page(request, get_application(request, pk))


def _transition(application, user, name: str, cleaned: dict):
    comment = cleaned.get("comment", "")
    return services.application_transition(application=application, actor=user, name=name, comment=comment)


def _page_again(request, pk, **kwargs):
    return _detail_page(request, get_application(request, pk), **kwargs)


application_transition = transition_view(
    get_object=partial(get_application, details=False), transitions=TRANSITIONS,
    available=services.available_transitions, perform=_transition, page=_page_again, home=HOME,
)  # fmt: skip


# Attachments --------------------------------------------------------------------------------------------


@login_required
@require_POST
def attachment_add(request, pk):
    application = get_application(request, pk, details=False)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.attachment_add(
                application=application,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            add_service_errors(form, error, default_field="file")
        except PermissionDenied as error:
            return refused_action(
                request, error, back=application.get_absolute_url(), back_label=application.reference
            )
        except StateConflict as error:
            messages.error(request, str(error.message))
            return redirect(application)
        else:
            messages.success(
                request,
                _("“%(name)s” was attached as %(kind)s.")
                % {"name": attachment.document.original_name, "kind": attachment.get_kind_display()},
            )
            return redirect(f"{application.get_absolute_url()}#documents")
    return _detail_page(request, get_application(request, pk), attachment_form=form, status=400)


@login_required
@require_POST
def attachment_remove(request, pk, attachment_pk):
    application = get_application(request, pk, details=False)
    attachment = get_object_or_404(
        CardAttachment.objects.select_related("document"), pk=attachment_pk, application=application
    )
    name = attachment.document.original_name
    try:
        services.attachment_remove(attachment=attachment, actor=request.user)
    except PermissionDenied as error:
        return refused_action(
            request, error, back=application.get_absolute_url(), back_label=application.reference
        )
    except StateConflict as error:
        messages.error(request, str(error.message))
        return redirect(application)
    messages.success(request, _("“%(name)s” was removed.") % {"name": name})
    return redirect(f"{application.get_absolute_url()}#documents")
