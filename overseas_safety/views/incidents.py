"""Incidents abroad in the browser: the organisation's list (office staff: every organisation's), the
phone-friendly report form and its confirmation, the incident's page (state and next step, the timeline
with its documents, the people affected, the plan's checklist, the actions) and the small views its forms
post to.

Every write goes through overseas_safety.services; the pages turn their refusals into messages beside
the fields (ValidationError), a plain refusal (PermissionDenied, 403) or a message about the state
(StateConflict, DuplicateIncident naming the first report), keeping whatever was typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from foreign_affairs.accounts.selectors import scope_for_user
from foreign_affairs.documents.responses import document_download
from foreign_affairs.errors import StateConflict
from foreign_affairs.forms import add_service_errors
from foreign_affairs.page_actions import action_rows, problem, refusal_message, transition_view
from foreign_affairs.security.countries import country_name

from ..filters import IncidentFilter
from ..forms.incidents import IncidentReportForm, MergeForm, PersonStatusForm, TimelineEntryForm
from ..models import AttachmentKind, Incident, IncidentAttachment, TimelineEntry
from ..selectors import incident_list_for
from ..services import incidents as services
from ..services.plans import checklist_progress
from ..tags import level_tag, state_tag
from ..workflow import (
    ACTIVE_STATES,
    NEXT_STEP,
    OPEN_STATES,
    TRANSITIONS,
    Source,
    State,
)

PAGE_SIZE = 20
HOME = ("overseas_safety:incident_list", gettext_lazy("Incidents abroad"))


# Helpers ----------------------------------------------------------------------------------------------


def can_report(user) -> bool:
    """Enterprise staff of a registered organisation report incidents here (the office enters them from a
    call in the back office)."""
    return (
        user.is_authenticated
        and not user.is_office_staff
        and user.organization is not None
        and user.has_perm("overseas_safety.add_incident")
    )


def get_incident(request, pk) -> Incident:
    """The incident if the user may see it; 404 for another organisation's (never 403)."""
    incidents = Incident.objects.select_related(
        "organization", "site", "trip", "duty_officer", "reported_by", "acknowledged_by", "merged_into"
    )
    return get_object_or_404(scope_for_user(incidents, request.user), pk=pk)


def _explain(request, title, message, *, status, incident=None):
    return problem(
        request,
        title,
        message,
        status=status,
        back=incident.get_absolute_url() if incident else None,
        back_label=incident.reference if incident else "",
        home=reverse(HOME[0]),
        home_label=HOME[1],
    )


def transition_names(incident, user) -> list[str]:
    """The transitions the user may run now. Merging needs the other report, chosen in its own form, so
    it is offered to officers on every open incident (the service checks the rest)."""
    names = services.available_transitions(incident, user)
    if incident.state in OPEN_STATES and user.has_role("Officer") and "merge" not in names:
        names.append("merge")
    return names


# The list ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def incident_list(request):
    user = request.user
    filters = IncidentFilter(request.GET, queryset=incident_list_for(user), request=request)
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for incident in page.object_list:
        incident.state_tag = state_tag(incident.state)
        incident.level_tag = level_tag(incident.level)
        incident.country_name = country_name(incident.country)
    return render(
        request,
        "overseas_safety/incidents/incident_list.html",
        {
            "filters": filters.form,
            "page": page,
            "filtered": filters.filtered,
            "office_default": filters.office_default,
            "can_report": can_report(user),
        },
    )


# The report -------------------------------------------------------------------------------------------


def _report_page(request, form, *, duplicate=None, status=200):
    return render(
        request,
        "overseas_safety/incidents/report_form.html",
        {"form": form, "duplicate": duplicate, "level_options": form.level_options()},
        status=status,
    )


def _attachment_kind(uploaded) -> str:
    return (
        AttachmentKind.PHOTO if (uploaded.content_type or "").startswith("image/") else AttachmentKind.OTHER
    )


@login_required
def incident_report(request):
    user = request.user
    if user.is_office_staff:
        # The office takes incidents by telephone in the back office: officers its call form, the others the
        # queue (they read it).
        if user.has_role("Officer"):
            return redirect("admin:overseas_safety_incident_add")
        return redirect("admin:overseas_safety_incident_changelist")
    if not can_report(user):
        if user.is_office_staff:
            message = _(
                "The office enters an incident reported by telephone in the back office (Incidents, "
                "“Enter an incident from a call”), choosing the organisation concerned."
            )
        else:
            message = _(
                "Incidents are reported by the staff of an enterprise registered with the office. If your "
                "enterprise should have access, ask its foreign-affairs liaison or the office; in an "
                "emergency, call the consular hotline 12308."
            )
        return _explain(request, _("You cannot report an incident here"), message, status=403)
    organization = user.organization
    if request.method != "POST":
        return _report_page(request, IncidentReportForm(organization=organization, user=user))
    form = IncidentReportForm(request.POST, request.FILES, organization=organization, user=user)
    if not form.is_valid():
        return _report_page(request, form, status=400)
    try:
        # The report and its files together: a file the store refuses leaves no report behind.
        with transaction.atomic():
            incident = services.incident_report(
                actor=user, organization=organization, data=form.service_data(), source=Source.ENTERPRISE
            )
            for uploaded in form.cleaned_data.get("files") or []:
                services.attachment_add(
                    incident=incident, actor=user, kind=_attachment_kind(uploaded), uploaded_file=uploaded
                )
    except services.DuplicateIncident as error:
        form.add_error(None, str(error.message))
        return _report_page(request, form, duplicate=error.existing, status=409)
    except ValidationError as error:
        add_service_errors(form, error, default_field="files" if "files" in form.fields else None)
        return _report_page(request, form, status=400)
    except PermissionDenied as error:
        return _explain(request, _("You are not allowed to do this"), refusal_message(error), status=403)
    return redirect("overseas_safety:incident_reported", pk=incident.pk)


@login_required
@require_GET
def incident_reported(request, pk):
    """The confirmation after a report: its reference and what happens next."""
    incident = get_incident(request, pk)
    return render(
        request,
        "overseas_safety/incidents/reported.html",
        {
            "incident": incident,
            "ack_limit": services.ack_limit_text(incident.level),
            "level_tag": level_tag(incident.level),
        },
    )


# The incident's page ----------------------------------------------------------------------------------


def _detail_page(request, incident, *, bound=None, entry_form=None, person_form=None, status=200, **extra):
    user = request.user
    follows = services.may_follow(incident, user)
    active = incident.state in ACTIVE_STATES
    officer = user.has_role("Officer")
    timeline = list(
        TimelineEntry.objects.filter(incident=incident)
        .select_related("author")
        .prefetch_related("attachments__document")
        .order_by("at", "pk")
    )
    steps = list(incident.checklist.select_related("plan", "done_by").order_by("plan_id", "position"))
    done, total = checklist_progress(incident) if steps else (0, 0)
    names = transition_names(incident, user)
    resolve_blocked = (
        officer
        and incident.state in (State.ACKNOWLEDGED, State.RESPONDING)
        and any(step.done_at is None for step in steps)
    )
    return render(
        request,
        "overseas_safety/incidents/incident_detail.html",
        {
            "incident": incident,
            "state_tag": state_tag(incident.state),
            "level_tag": level_tag(incident.level),
            "country": country_name(incident.country),
            "next_step": NEXT_STEP.get(incident.state, ""),
            "ack_limit": services.ack_limit_text(incident.level),
            "timeline": timeline,
            "documents": list(
                incident.attachments.filter(entry__isnull=True)
                .select_related("document")
                .order_by("created_at")
            ),
            "people": list(incident.people.select_related("person").order_by("person__full_name", "pk")),
            "steps": steps,
            "steps_done": done,
            "steps_total": total,
            "resolve_blocked": resolve_blocked,
            "actions": action_rows(
                names,
                TRANSITIONS,
                url=lambda name: reverse("overseas_safety:incident_transition", args=[incident.pk]),
                bound=bound,
                forms={"merge": ("merge", MergeForm)},
            ),
            "entry_form": (entry_form or TimelineEntryForm()) if follows and active else None,
            "person_form": (person_form or PersonStatusForm(incident=incident))
            if follows and active
            else None,
            "back_office_url": reverse("admin:overseas_safety_incident_change", args=[incident.pk])
            if user.is_office_staff
            else "",
            **extra,
        },
        status=status,
    )


@login_required
@require_GET
def incident_detail(request, pk):
    return _detail_page(request, get_incident(request, pk))


def _perform(incident, user, name, cleaned):
    return services.incident_transition(
        incident=incident,
        actor=user,
        name=name,
        comment=cleaned.get("comment", ""),
        merged_into=cleaned.get("merged_into") if name == "merge" else None,
    )


def _page_again(request, pk, **kwargs):
    return _detail_page(request, get_incident(request, pk), **kwargs)


incident_transition = transition_view(
    get_object=get_incident, transitions=TRANSITIONS, available=transition_names, perform=_perform,
    page=_page_again, home=HOME, forms={"merge": lambda request, incident: MergeForm(request.POST)},
)  # fmt: skip


@login_required
@require_POST
def timeline_add(request, pk):
    incident = get_incident(request, pk)
    form = TimelineEntryForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.timeline_add(
                incident=incident,
                actor=request.user,
                text=form.cleaned_data["text"],
                at=form.cleaned_data.get("at"),
                files=form.cleaned_data.get("files") or (),
            )
        except ValidationError as error:
            add_service_errors(form, error, default_field="files")
        except StateConflict as error:
            messages.error(request, str(error.message))
            return redirect(incident)
        else:
            messages.success(
                request, _("Added to the timeline of %(reference)s.") % {"reference": incident.reference}
            )
            return redirect(f"{incident.get_absolute_url()}#timeline")
    return _detail_page(request, incident, entry_form=form, status=400)


@login_required
@require_POST
def person_set(request, pk):
    incident = get_incident(request, pk)
    form = PersonStatusForm(request.POST, incident=incident)
    if form.is_valid():
        try:
            row = services.person_set(
                incident=incident,
                actor=request.user,
                person=form.cleaned_data["person"],
                status=form.cleaned_data["status"],
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except StateConflict as error:
            messages.error(request, str(error.message))
            return redirect(incident)
        else:
            messages.success(
                request,
                _("%(person)s: “%(status)s” is recorded.")
                % {"person": row.person.full_name, "status": row.get_status_display()},
            )
            return redirect(f"{incident.get_absolute_url()}#people")
    return _detail_page(request, incident, person_form=form, status=400)


@login_required
@require_GET
def attachment_download(request, pk, attachment_pk):
    """A document of the incident, to those who may see the incident (404 for anyone else)."""
    incident = get_incident(request, pk)
    attachment = get_object_or_404(
        IncidentAttachment.objects.select_related("document"), pk=attachment_pk, application=incident
    )
    return document_download(attachment.document)


urlpatterns = [
    path("incidents/", incident_list, name="incident_list"),
    path("incidents/report/", incident_report, name="incident_report"),
    path("incidents/<int:pk>/", incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/reported/", incident_reported, name="incident_reported"),
    path("incidents/<int:pk>/transition/", incident_transition, name="incident_transition"),
    path("incidents/<int:pk>/timeline/", timeline_add, name="incident_timeline_add"),
    path("incidents/<int:pk>/people/", person_set, name="incident_person_set"),
    path(
        "incidents/<int:pk>/attachments/<int:attachment_pk>/",
        attachment_download,
        name="incident_attachment",
    ),
]
