"""The enterprise's own cooperation projects under /projects/our/ ("Our projects" in the enterprise menu) and
the leads the office forwards to it under /projects/our/leads/ (so the menu's "Our projects" stands for both).

Only the users of an enterprise of the free trade zone use these pages; they see the projects their
enterprise is involved in and the expressions of interest forwarded to it, and another organisation's
answer 404, never 403. Office staff work on projects and leads in the back office: these addresses send
them to the same record there. Members of a foreign organisation's office, and accounts without an
organisation, get 404.

Every write goes through projects.services.projects; a refusal comes back beside the fields
(ValidationError), as a message on the project's page (StateConflict) or as a refusal page
(PermissionDenied, 403), keeping whatever was typed.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from foreign_affairs import fsm, typography
from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.errors import RulesFailed, StateConflict
from foreign_affairs.forms import add_service_errors
from foreign_affairs.page_actions import problem, refusal_message
from foreign_affairs.security.countries import country_name

from .. import selectors
from ..forms.enterprise import DocumentForm, LeadFilter, OurProjectFilter, ProjectForm
from ..models import CURRENCIES, CooperationProject, Interest, ProjectDocument
from ..services import projects as services
from ..workflow import (
    PUBLICATION_TONES,
    PUBLICATION_TRANSITIONS,
    STAGE_TONES,
    STAGE_TRANSITIONS,
    InterestState,
    Publication,
    Stage,
)

PAGE_SIZE = 20
HOME = ("projects:our_list", gettext_lazy("Our projects"))

# What happens next, for each publication state (the enterprise does not run the office's pipeline).
NEXT_STEP = {
    Publication.DRAFT: gettext_lazy(
        "Submit it for review when ready; the office checks it and publishes it in the catalogue."
    ),
    Publication.IN_REVIEW: gettext_lazy(
        "The office is checking the project. It publishes it in the catalogue, or returns it to you as a "
        "draft with what to change; you are told either way."
    ),
    Publication.PUBLISHED: gettext_lazy(
        "The project is in the public catalogue, where partners abroad find it and can express interest. "
        "The office forwards their messages to you as leads."
    ),
    Publication.ARCHIVED: gettext_lazy(
        "The project is no longer shown in the public catalogue. Write to your officer if it should be "
        "published again."
    ),
}
# The office's notes on a project stay in the back office; so do the events recording them.
HIDDEN_ACTIONS = ("cooperation_project.note",)


# Who may use these pages -------------------------------------------------------------------------------------


def _project_admin(pk=None, **kwargs) -> str:
    if pk is None:
        return reverse("admin:projects_cooperationproject_changelist")
    if not CooperationProject.objects.filter(pk=pk).exists():
        raise Http404
    return reverse("admin:projects_cooperationproject_change", args=[pk])


def _lead_admin(pk=None, **kwargs) -> str:
    if pk is None:
        return reverse("admin:projects_interest_changelist")
    if not Interest.objects.filter(pk=pk).exists():
        raise Http404
    return reverse("admin:projects_interest_change", args=[pk])


def enterprise_page(back_office):
    """The view for signed-in users of an enterprise; office staff are sent to the same record in the back
    office (`back_office(**kwargs)` gives its address), anyone else gets 404."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if user.is_office_staff:
                return redirect(back_office(**kwargs))
            if user.enterprise is None:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def may_enter(user) -> bool:
    """The enterprise's applicants and liaisons enter and change its projects (services.projects)."""
    return user.has_role(Role.APPLICANT) or user.has_role(Role.LIAISON)


def get_project(request, pk) -> CooperationProject:
    """The project if the user's enterprise is involved in it; 404 otherwise."""
    return get_object_or_404(selectors.project_list_for(request.user).select_related("created_by"), pk=pk)


def _explain(request, title, message, *, status: int, project=None):
    return problem(
        request,
        title,
        message,
        status=status,
        back=reverse("projects:our_detail", args=[project.pk]) if project else None,
        back_label=project.reference if project else "",
        home=reverse(HOME[0]),
        home_label=HOME[1],
    )


def _refused(request, error, project=None):
    return _explain(
        request, _("You are not allowed to do this"), refusal_message(error), status=403, project=project
    )


def _detail_url(project, anchor: str = "") -> str:
    url = reverse("projects:our_detail", args=[project.pk])
    return f"{url}#{anchor}" if anchor else url


def _lead_count(user) -> int:
    return selectors.interest_list_for(user).count()


# The list --------------------------------------------------------------------------------------------------


def _forwarded_leads() -> Subquery:
    """How many leads were forwarded to the enterprises of each project (one subquery, no join)."""
    counts = (
        Interest.objects.filter(project=OuterRef("pk"), state=InterestState.FORWARDED)
        .order_by()
        .values("project")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


@enterprise_page(_project_admin)
@require_GET
def our_list(request):
    user = request.user
    mine = selectors.project_list_for(user).prefetch_related(None).select_related(None)
    counts = dict(
        mine.order_by().values("publication").annotate(count=Count("pk")).values_list("publication", "count")
    )
    total = sum(counts.values())
    projects = mine.annotate(lead_count=_forwarded_leads()).order_by("-updated_at", "-pk")
    filters = OurProjectFilter(request.GET or None, queryset=projects, request=request)
    filters.count_states(counts, field="publication")
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for project in page.object_list:
        project.publication_tone = PUBLICATION_TONES.get(project.publication, "neutral")
        project.stage_tone = STAGE_TONES.get(project.stage, "neutral")
    return render(
        request,
        "projects/enterprise/our_list.html",
        {
            "filters": filters.form if total else None,
            "filtered": filters.filtered,
            "page": page,
            "total": total,
            "lead_count": _lead_count(user),
            "can_enter": may_enter(user),
        },
    )


# The form --------------------------------------------------------------------------------------------------


def _form_page(request, form, project, *, status: int = 200):
    return render(
        request,
        "projects/enterprise/our_form.html",
        {"form": form, "project": project},
        status=status,
    )


def _not_entering(request):
    return _explain(
        request,
        _("You cannot enter projects"),
        _(
            "The applicants and the foreign-affairs liaison of an enterprise of the free trade zone enter its "
            "cooperation projects. Ask your liaison or the office if you should have access."
        ),
        status=403,
    )


@enterprise_page(lambda **kwargs: reverse("admin:projects_cooperationproject_add"))
def our_create(request):
    user = request.user
    if not may_enter(user):
        return _not_entering(request)
    if request.method != "POST":
        return _form_page(request, ProjectForm(user=user), None)
    form = ProjectForm(request.POST, user=user)
    if form.is_valid():
        try:
            project = services.project_create(actor=user, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            return _refused(request, error)
        else:
            messages.success(
                request,
                _(
                    "The project %(reference)s was saved as a draft. Attach images or a brochure if you have "
                    "them, then submit it for review."
                )
                % {"reference": project.reference},
            )
            return redirect(_detail_url(project))
    return _form_page(request, form, None, status=400)


def _locked(request, project):
    """The edit page of a project that is no longer a draft: why, and the way back."""
    return _explain(
        request,
        _("This project cannot be changed here now"),
        _(
            "Only a draft is changed here; this project is “%(state)s” and the office keeps it current. Write "
            "to your officer if something should change."
        )
        % {"state": project.get_publication_display()},
        status=409,
        project=project,
    )


@enterprise_page(_project_admin)
def our_edit(request, pk):
    user = request.user
    project = get_project(request, pk)
    if not may_enter(user):
        return _refused(
            request,
            PermissionDenied(_("Only the enterprise's applicants and liaison change its projects.")),
            project,
        )
    if project.publication != Publication.DRAFT:
        return _locked(request, project)
    if request.method != "POST":
        return _form_page(request, ProjectForm(project=project, user=user), project)
    form = ProjectForm(request.POST, project=project, user=user)
    if form.is_valid():
        try:
            project = services.project_update(project=project, actor=user, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            return _refused(request, error, project)
        except StateConflict as error:
            messages.error(request, str(error.message))
            return redirect(_detail_url(project))
        else:
            messages.success(
                request, _("The changes to %(reference)s were saved.") % {"reference": project.reference}
            )
            return redirect(_detail_url(project))
    return _form_page(request, form, project, status=400)


# The project's page ----------------------------------------------------------------------------------------


def _money(project) -> str:
    """The size with its currency, grouped by thousands: "12,000,000.00 EUR"."""
    if project.amount is None:
        return ""
    return f"{project.amount:,.2f} {project.currency}".strip()


def _field_label(name: str) -> str:
    try:
        return capfirst(CooperationProject._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _state_tag(action: str, to_state: str):
    name = action.rpartition(".")[2]
    if name in PUBLICATION_TRANSITIONS and to_state in Publication.values:
        return {"label": Publication(to_state).label, "tone": PUBLICATION_TONES[to_state], "state": to_state}
    if name in STAGE_TRANSITIONS and to_state in Stage.values:
        return {"label": Stage(to_state).label, "tone": STAGE_TONES[to_state], "state": to_state}
    return None


def timeline(project) -> list[dict]:
    """What happened to the project, oldest first: who did what, the state it led to, the comment, and for a
    change the fields changed, for a document its name."""
    rows = []
    for event in AuditEvent.objects.timeline_for(project).exclude(action__in=HIDDEN_ACTIONS):
        data = event.data if isinstance(event.data, dict) else {}
        detail = ""
        if event.action == "cooperation_project.update" and data.get("fields"):
            detail = typography.enumerate_items(_field_label(name) for name in data["fields"])
        elif event.action in ("cooperation_project.attach", "cooperation_project.detach"):
            detail = str(data.get("name", ""))
        rows.append({"event": event, "tag": _state_tag(event.action, event.to_state), "detail": detail})
    return rows


def _missing_text(project) -> list[str]:
    """The public texts still missing in a language: the office publishes only with both."""
    names = ("title_zh", "title_en", "description_zh", "description_en")
    return [_field_label(name) for name in names if not getattr(project, name)]


def _detail_page(request, project, *, document_form=None, status: int = 200):
    user = request.user
    editable = project.publication == Publication.DRAFT and may_enter(user)
    leads = list(selectors.interest_list_for(user).filter(project=project))
    for lead in leads:
        lead.country_name = country_name(lead.country)
    return render(
        request,
        "projects/enterprise/our_detail.html",
        {
            "project": project,
            "publication_tone": PUBLICATION_TONES.get(project.publication, "neutral"),
            "stage_tone": STAGE_TONES.get(project.stage, "neutral"),
            "next_step": NEXT_STEP.get(project.publication, ""),
            "can_edit": editable,
            "can_submit": "submit_for_review" in fsm.available_transitions(project, user, "publication"),
            "submit_label": PUBLICATION_TRANSITIONS["submit_for_review"].label,
            "missing_text": _missing_text(project) if project.publication == Publication.DRAFT else [],
            "industries": [industry.name for industry in project.industries.all()],
            "money": _money(project),
            "currency_name": dict(CURRENCIES).get(project.currency, ""),
            "partner_country": country_name(project.partner_country) if project.partner_country else "",
            "documents": list(project.attachments.select_related("document").order_by("created_at", "pk")),
            "document_form": (document_form or DocumentForm()) if editable else None,
            "leads": leads,
            "timeline": timeline(project),
        },
        status=status,
    )


@enterprise_page(_project_admin)
@require_GET
def our_detail(request, pk):
    return _detail_page(request, get_project(request, pk))


@enterprise_page(_project_admin)
@require_POST
def our_submit(request, pk):
    project = get_project(request, pk)
    try:
        project = services.publication_run(project=project, actor=request.user, name="submit_for_review")
    except PermissionDenied as error:
        return _refused(request, error, project)
    except (StateConflict, RulesFailed) as error:
        messages.error(request, str(error.message))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "The project %(reference)s was submitted for review. The office checks it and publishes it in "
                "the catalogue; you are told when it does."
            )
            % {"reference": project.reference},
        )
    return redirect(_detail_url(project))


# Documents -------------------------------------------------------------------------------------------------


@enterprise_page(_project_admin)
@require_POST
def our_document_add(request, pk):
    project = get_project(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.document_add(
                project=project,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            add_service_errors(form, error, default_field="file")
        except PermissionDenied as error:
            return _refused(request, error, project)
        except StateConflict as error:
            messages.error(request, str(error.message))
            return redirect(_detail_url(project, "documents"))
        else:
            messages.success(
                request,
                _("“%(name)s” was attached as %(kind)s.")
                % {"name": attachment.document.original_name, "kind": attachment.get_kind_display()},
            )
            return redirect(_detail_url(project, "documents"))
    return _detail_page(request, project, document_form=form, status=400)


@enterprise_page(_project_admin)
@require_POST
def our_document_remove(request, pk, document_pk):
    project = get_project(request, pk)
    attachment = get_object_or_404(
        ProjectDocument.objects.select_related("document", "application"), pk=document_pk, application=project
    )
    name = attachment.document.original_name
    try:
        services.document_remove(attachment=attachment, actor=request.user)
    except PermissionDenied as error:
        return _refused(request, error, project)
    except StateConflict as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("“%(name)s” was removed from the project.") % {"name": name})
    return redirect(_detail_url(project, "documents"))


# Leads -----------------------------------------------------------------------------------------------------


@enterprise_page(_lead_admin)
@require_GET
def lead_list(request):
    user = request.user
    leads = selectors.interest_list_for(user)
    filters = LeadFilter(request.GET or None, queryset=leads, request=request)
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for lead in page.object_list:
        lead.country_name = country_name(lead.country)
    project = None
    if filters.filtered:
        project = selectors.project_list_for(user).filter(pk=filters.form.cleaned_data["project"]).first()
    return render(
        request,
        "projects/enterprise/lead_list.html",
        {
            "page": page,
            "filtered": filters.filtered,
            "project": project,
            "lead_count": leads.count() if filters.filtered else page.paginator.count,
        },
    )


@enterprise_page(_lead_admin)
@require_GET
def lead_detail(request, pk):
    lead = get_object_or_404(selectors.interest_list_for(request.user), pk=pk)
    return render(
        request,
        "projects/enterprise/lead_detail.html",
        {
            "lead": lead,
            "project": lead.project,
            "country": country_name(lead.country),
        },
    )


urlpatterns = [
    path("our/", our_list, name="our_list"),
    path("our/new/", our_create, name="our_create"),
    path("our/<int:pk>/", our_detail, name="our_detail"),
    path("our/<int:pk>/edit/", our_edit, name="our_edit"),
    path("our/<int:pk>/submit/", our_submit, name="our_submit"),
    path("our/<int:pk>/documents/", our_document_add, name="our_document_add"),
    path("our/<int:pk>/documents/<int:document_pk>/remove/", our_document_remove, name="our_document_remove"),
    path("our/leads/", lead_list, name="lead_list"),
    path("our/leads/<int:pk>/", lead_detail, name="lead_detail"),
]
