"""The pipeline of cooperation projects in the back office, and a project's page.

The list opens on the open projects, the earliest next step first, each row with its channel, area, stage,
publication, owner, next step (red with the days once late) and the interest expressed (new ones marked), in a
fixed number of queries; presets show the publication queue (in review, the longest waiting first) and the
overdue next steps, and a board shows the open stages side by side. The page is read-only: its buttons and
forms (the two state machines, the owner, notes, documents, the expressions of interest) call
projects.services, which check the role, lock the row, audit and notify; a refusal becomes a message. The
fields change on a page of their own; officers also enter a project from any channel ("add").
"""

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import CharField, Count, F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs import typography
from foreign_affairs.admin_pages import (
    days_late,
    enterprise_search,
    form_error_messages,
    labelled,
    overdue_badge,
    possible_transitions,
    short_date,
    timeline,
)
from foreign_affairs.admin_queue import REFUSALS, audit_url, report_refusal
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.security.countries import country_name

from .. import selectors
from ..models import CooperationProject, Interest, ProjectDocument
from ..services import interest as interest_services
from ..services import projects as services
from ..workflow import (
    INTEREST_TRANSITIONS,
    OPEN_STAGES,
    PUBLICATION_TRANSITIONS,
    STAGE_TRANSITIONS,
    InterestState,
    Publication,
    Stage,
    has_public_text,
)
from .common import ProjectPageAdmin, document_switch, interest_tag, publication_tag, stage_tag
from .filters import (
    PROJECT_SEARCH_HELP,
    AreaFilter,
    ChannelFilter,
    CountryFilter,
    IndustryFilter,
    ModeFilter,
    OverdueFilter,
    OwnerFilter,
    PublicationFilter,
    StageFilter,
)
from .forms import DocumentForm, NoteForm, ProjectForm, StageForm, office_officers

# What the board shows of each open stage, at most.
BOARD_CARDS = 12
# The export of published items (another module's views); the link shows once they exist.
EXPORTS = [("projects:export_csv", "CSV"), ("projects:export_xlsx", "XLSX")]


def names_of(project) -> tuple[str, str]:
    """The title the reader reads first (the Chinese one in Chinese), and the other one, if any."""
    first = project.title
    other = project.title_en if first == project.title_zh else project.title_zh
    return first, (other if other and other != first else "")


def missing_public_text(project) -> list[str]:
    """The fields publishing still needs (workflow.has_public_text), by their labels."""
    opts = CooperationProject._meta
    fields = ("title_zh", "title_en", "description_zh", "description_en")
    return [str(opts.get_field(name).verbose_name) for name in fields if not getattr(project, name)]


def export_links() -> list[tuple[str, str]]:
    links = []
    for name, label in EXPORTS:
        try:
            links.append((reverse(name), label))
        except NoReverseMatch:
            continue
    return links


def review_since():
    """When the project was last submitted for review (the audit log knows; the model keeps no date)."""
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(CooperationProject),
        object_id=Cast(OuterRef("pk"), CharField()),
        action="cooperation_project.submit_for_review",
    ).order_by("-pk")
    return Subquery(events.values("created_at")[:1])


@admin.register(CooperationProject)
class CooperationProjectAdmin(ProjectPageAdmin):
    list_display = [
        "reference",
        "title_label",
        "channel_label",
        "stage_label",
        "publication_label",
        "owner_label",
        "next_step_label",
        "interests_label",
        "updated",
    ]
    list_display_links = ["reference"]
    list_filter = [
        StageFilter,
        PublicationFilter,
        ChannelFilter,
        AreaFilter,
        IndustryFilter,
        ModeFilter,
        OwnerFilter,
        OverdueFilter,
        CountryFilter,
    ]
    search_fields = ["reference"]  # turns the search box on; the search itself is search_filter
    search_q = staticmethod(selectors.project_search_q)
    search_help_text = PROJECT_SEARCH_HELP
    ordering = [F("next_step_due").asc(nulls_last=True), "-created_at", "-pk"]
    change_list_template = "admin/projects/cooperationproject/change_list.html"
    change_form_template = "admin/projects/cooperationproject/change_form.html"
    board_template = "admin/projects/cooperationproject/board.html"
    fields = ["reference"]
    readonly_fields = ["reference"]
    actions = ["take_over"]
    queue_title = _("Cooperation projects: the office's pipeline")
    transitions = {**STAGE_TRANSITIONS, **PUBLICATION_TRANSITIONS}
    comment_session_key = "projects-project-comment-%s"
    stage_session_key = "projects-project-stage-%s"
    not_found = _("There is no such cooperation project.")

    def get_queryset(self, request):
        # Ordered explicitly: with its counts grouped, the model's default ordering no longer applies (the
        # autocomplete of the achievements' projects pages through it).
        queryset = selectors.with_interest_counts(selectors.project_list_for(request.user)).order_by(
            "-created_at", "-pk"
        )
        # The list shows neither industries nor enterprises: the page's own query fetches them.
        queryset = queryset.prefetch_related(None)
        if request.GET.get("publication") == Publication.IN_REVIEW:
            queryset = queryset.annotate(in_review_since=review_since())
        return queryset

    def detail_queryset(self, queryset):
        return queryset.select_related("created_by").prefetch_related("industries", "enterprises")

    def get_ordering(self, request):
        if request.GET.get("publication") == Publication.IN_REVIEW:
            # The publication queue: the longest waiting first.
            return [F("in_review_since").asc(nulls_first=True), "updated_at", "pk"]
        return super().get_ordering(request)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        # A subquery rather than the search's join on the enterprises: a project stays one row.
        matching = CooperationProject.objects.filter(self.search_filter(term)).values("pk")
        return queryset.filter(pk__in=matching), False

    def has_add_permission(self, request):
        return self.may_act(request)

    def has_assign_permission(self, request):
        return self.may_act(request)

    def view_on_site(self, project):
        """The public page answers only once the project is published (404 before)."""
        return project.get_absolute_url() if project.is_public else None

    # Columns

    @admin.display(description=_("title"), ordering="title_zh")
    def title_label(self, project):
        partner = typography.clause(
            project.partner_organisation,
            country_name(project.partner_country.code) if project.partner_country else "",
        )
        title = Truncator(project.title).chars(60)
        if not partner:
            return title
        return format_html('{}<div class="app-muted">{}</div>', title, partner)

    @admin.display(description=_("channel and area"), ordering="channel")
    def channel_label(self, project):
        return format_html(
            '{}<div class="app-muted">{}</div>', project.get_channel_display(), project.get_ftz_area_display()
        )

    @admin.display(description=_("stage"), ordering="stage")
    def stage_label(self, project):
        return stage_tag(project.stage)

    @admin.display(description=_("publication"), ordering="publication")
    def publication_label(self, project):
        since = getattr(project, "in_review_since", None)
        if project.publication != Publication.IN_REVIEW or since is None:
            return publication_tag(project.publication)
        waiting = gettext("since %(date)s") % {"date": date_format(timezone.localdate(since), "DATE_FORMAT")}
        return format_html(
            '{}<div class="app-muted queue-due">{}</div>', publication_tag(project.publication), waiting
        )

    @admin.display(description=_("owner"), ordering="owner__last_name")
    def owner_label(self, project):
        if project.owner is None:
            return self.empty_value_display
        return project.owner.get_full_name() or project.owner.get_username()

    @admin.display(description=_("next step"), ordering=F("next_step_due").asc(nulls_last=True))
    def next_step_label(self, project):
        if project.stage not in OPEN_STAGES or not (project.next_step or project.next_step_due):
            return self.empty_value_display
        step = Truncator(project.next_step).chars(50)
        if project.next_step_due is None:
            return step
        due = format_html('<span class="queue-due">{}</span>', short_date(project.next_step_due))
        late = days_late(project.next_step_due)
        when = format_html("{} {}", due, overdue_badge(late)) if late else due
        return format_html('{}<div class="queue-followup">{}</div>', step, when) if step else when

    @admin.display(description=_("interest"), ordering="interest_count")
    def interests_label(self, project):
        if not project.interest_count:
            return self.empty_value_display
        url = f"{reverse('admin:projects_interest_changelist')}?project__id__exact={project.pk}"
        count = format_html('<a href="{}">{}</a>', url, project.interest_count)
        if not project.new_interest:
            return count
        return format_html(
            "{} {}",
            count,
            format_html(
                '<a class="queue-badge queue-objections" href="{}&amp;state=received" data-new-interest>{}</a>',
                url,
                gettext("new"),
            ),
        )

    @admin.display(description=_("updated"), ordering="updated_at")
    def updated(self, project):
        return short_date(timezone.localdate(project.updated_at))

    # The list and the board

    def changelist_view(self, request, extra_context=None):
        if request.GET.get("view") == "board":
            return self.board_view(request)
        context = {
            "add_url": self._url("add") if self.has_add_permission(request) else "",
            "exports": export_links(),
            "presets": self.presets(request),
            "board_url": f"{self._url('changelist')}?view=board",
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def presets(self, request) -> list[dict]:
        """The list's usual views, one link each; the one shown is marked."""
        base = self._url("changelist")
        params = {key: value for key, value in request.GET.items() if key not in ("p", "o")}
        rows = [
            (_("Open projects"), {}),
            (_("Mine"), {"owner": "me"}),
            (_("Publication queue"), {"publication": Publication.IN_REVIEW}),
            (_("Overdue next steps"), {"overdue": "yes"}),
            (_("All projects"), {"stage": "all"}),
        ]
        return [
            {
                "label": label,
                "url": f"{base}?{'&'.join(f'{key}={value}' for key, value in query.items())}"
                if query
                else base,
                "current": params == query,
                "key": next(iter(query), "open") if query else "open",
            }
            for label, query in rows
        ]

    def board_view(self, request):
        """The open stages side by side, each with its count and its first cards (the earliest next step
        first), in a fixed number of queries whatever the number of projects."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        queryset = (
            selectors.project_list_for(request.user).prefetch_related(None).filter(stage__in=OPEN_STAGES)
        )
        if request.GET.get("owner") == "me":
            queryset = queryset.filter(owner=request.user)
        counts = dict(queryset.order_by().values_list("stage").annotate(total=Count("pk", distinct=True)))
        ordered = queryset.order_by(F("next_step_due").asc(nulls_last=True), "-created_at", "-pk")
        cards = {}
        # One query per stage, each cut to its first cards: the open pipeline may be long.
        for stage in OPEN_STAGES:
            cards[stage] = list(
                ordered.filter(stage=stage).only(
                    "pk",
                    "reference",
                    "title_zh",
                    "title_en",
                    "stage",
                    "publication",
                    "next_step",
                    "next_step_due",
                    "owner__first_name",
                    "owner__last_name",
                    "owner__username",
                )[:BOARD_CARDS]
            )
            for project in cards[stage]:
                project.late = days_late(project.next_step_due)
                project.publication_tag = publication_tag(project.publication)
        columns = [
            {
                "stage": stage,
                "label": Stage(stage).label,
                "tag": stage_tag(stage),
                "count": counts.get(stage, 0),
                "cards": cards[stage],
                "more_url": f"{self._url('changelist')}?stage={stage}",
            }
            for stage in OPEN_STAGES
        ]
        context = {
            **self.admin_site.each_context(request),
            **self.wide_pages,
            "title": _("Cooperation projects: the pipeline board"),
            "opts": self.opts,
            "columns": columns,
            "mine": request.GET.get("owner") == "me",
            "list_url": self._url("changelist"),
            "board_url": f"{self._url('changelist')}?view=board",
            "add_url": self._url("add") if self.has_add_permission(request) else "",
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.board_template, context)

    @admin.action(description=_("Take over (I become the owner)"), permissions=["assign"])
    def take_over(self, request, queryset):
        done = 0
        for project in queryset:
            try:
                services.project_assign(project=project, actor=request.user, owner=request.user)
            except REFUSALS as error:
                report_refusal(request, error)
                break
            done += 1
        if done:
            messages.success(
                request,
                ngettext("You now own %(count)d project.", "You now own %(count)d projects.", done)
                % {"count": done},
            )

    # A project from any channel

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ProjectForm(request.POST or None, initial={"owner": request.user.pk})
        if request.method == "POST" and form.is_valid():
            project = self.run_form_service(
                request,
                form,
                lambda: services.project_create(
                    actor=request.user, data=form.service_data(changed_only=False)
                ),
            )
            if project:
                messages.success(
                    request,
                    gettext("%(reference)s is entered: a lead and a draft.")
                    % {"reference": project.reference},
                )
                return redirect(self._url("change", project.pk))
            if project is False:
                return redirect(self._url("changelist"))
        return self.render_form_page(
            request,
            form,
            title=_("Enter a cooperation project"),
            intro=_(
                "A project from any channel: foreign affairs, overseas Chinese affairs, Hong Kong and Macao, or "
                "a friendship city. It starts as a lead in the pipeline and a draft that only the office sees."
            ),
            submit=_("Enter the project"),
            cancel_url=self._url("changelist"),
        )

    def edit_view(self, request, object_id):
        self._acting_object(request, object_id)
        project = self.get_object(request, object_id)  # with its industries and enterprises
        back = self._url("change", project.pk, request=request)
        form = ProjectForm(request.POST or None, instance=project)
        if request.method == "POST" and form.is_valid():
            data = form.service_data(changed_only=True)
            changed = self.run_form_service(
                request,
                form,
                lambda: services.project_update(project=project, actor=request.user, data=data),
            )
            if changed is not None:
                if changed and data:
                    messages.success(request, gettext("The project is saved."))
                elif changed:
                    messages.info(request, gettext("Nothing was changed."))
                return redirect(back)
        intro = _("Officers change a project at any time.")
        if project.is_public:
            intro = _("This project is published: what you save here shows on its public page at once.")
        return self.render_form_page(
            request,
            form,
            obj=project,
            title=gettext("Change %(reference)s") % {"reference": project.reference},
            intro=intro,
            submit=_("Save the project"),
            cancel_url=back,
        )

    # The page

    def page_context(self, request, project) -> dict:
        officer = self.may_act(request)
        stage_names = possible_transitions(project, request.user, STAGE_TRANSITIONS, "stage")
        publication_names = possible_transitions(
            project, request.user, PUBLICATION_TRANSITIONS, "publication"
        )
        kept = request.session.pop(self.stage_session_key % project.pk, None)
        is_open = project.stage in OPEN_STAGES
        interests = list(project.interests.order_by("-created_at", "-pk"))
        for interest in interests:
            interest.tag = interest_tag(interest.state)
            interest.country_name = country_name(interest.country.code)
            interest.open = interest.state == InterestState.RECEIVED
        documents = list(project.attachments.select_related("document").order_by("created_at", "pk"))
        missing = missing_public_text(project)
        publication = self.transition_group(
            request, project, publication_names, info=PUBLICATION_TRANSITIONS, key="publication"
        )
        if missing and {"publish", "republish"} & set(publication_names):
            publication["note"] = gettext("To publish, give first: %(fields)s.") % {
                "fields": typography.enumerate_items(missing)
            }
        return {
            "project": project,
            "crumb": f"{project.reference} {Truncator(project.title).chars(40)}",
            "names": names_of(project),
            "stage_tag": stage_tag(project.stage),
            "publication_tag": publication_tag(project.publication),
            "is_open": is_open,
            "overdue_days": days_late(project.next_step_due) if is_open else 0,
            "size": f"{project.amount:,.2f} {project.currency}" if project.amount is not None else "",
            "partner_country": country_name(project.partner_country.code) if project.partner_country else "",
            "industries": typography.enumerate_items(industry.name for industry in project.industries.all()),
            "enterprise_links": [
                format_html(
                    '<a href="{}">{}</a>',
                    reverse("admin:accounts_organization_change", args=[enterprise.pk]),
                    enterprise.name_zh,
                )
                for enterprise in project.enterprises.all()
            ],
            "public_url": project.get_absolute_url() if project.is_public else "",
            "public_ready": has_public_text(project),
            "missing_public_text": missing,
            "edit_url": self._url("edit", project.pk, request=request) if officer else "",
            "stage_group": {
                **self.transition_group(request, project, stage_names, info=STAGE_TRANSITIONS, key="stage"),
                "form": StageForm(kept) if kept is not None else StageForm() if officer else None,
            },
            "publication_group": publication,
            "notes": list(project.notes.select_related("author").order_by("at", "pk")),
            "note_form": NoteForm() if officer else None,
            "documents": documents,
            "document_form": DocumentForm() if officer else None,
            "interests": interests,
            "interest_buttons": officer,
            "achievements": list(project.achievements.order_by("-happened_on", "-pk")),
            "events": timeline(project, Stage, Publication, detail=document_switch),
            "officers": office_officers() if officer else None,
            "urls": {
                name: self._url(name, project.pk, request=request)
                for name in ("note", "document", "assign", "interest", "documents")
            },
            "audit_url": audit_url(project.reference),
        }

    def admin_views(self) -> list[tuple]:
        return [
            ("enterprises/", self.enterprise_search_view, "enterprises"),
            *super().admin_views(),
            ("<path:object_id>/edit/", self.edit_view, "edit"),
            ("<path:object_id>/assign/", self.assign_view, "assign"),
            ("<path:object_id>/note/", self.note_view, "note"),
            ("<path:object_id>/document/", self.document_view, "document"),
            ("<path:object_id>/documents/", self.documents_view, "documents"),
            ("<path:object_id>/interest/", self.interest_view, "interest"),
        ]

    # The buttons' and the forms' views: each calls one service and comes back to the page

    def transition_view(self, request, object_id):
        project = self._acting_object(request, object_id)
        if request.method != "POST":
            return self._back(request, project)
        name = request.POST.get("transition", "")
        comment = request.POST.get("comment", "")
        key = "stage" if name in STAGE_TRANSITIONS else "publication"
        data = None
        if key == "stage":
            form = StageForm(request.POST)
            if not form.is_valid():
                request.session[self.stage_session_key % project.pk] = {
                    k: v for k, v in request.POST.items() if k.startswith("stage-")
                }
                messages.error(request, " ".join(form_error_messages(form)))
                self.keep_comment(request, project, comment, key=key)
                return self._back(request, project, "actions-stage")
            data = form.service_data()
        try:
            if key == "stage":
                changed = services.stage_run(
                    project=project, actor=request.user, name=name, comment=comment, data=data
                )
            else:
                changed = services.publication_run(
                    project=project, actor=request.user, name=name, comment=comment
                )
        except REFUSALS as error:
            report_refusal(
                request, labelled(error, CooperationProject) if isinstance(error, ValidationError) else error
            )
            self.keep_comment(request, project, comment, key=key)
            return self._back(request, project, f"actions-{key}")
        state = changed.get_stage_display() if key == "stage" else changed.get_publication_display()
        messages.success(
            request,
            gettext("“%(action)s” is done: %(reference)s is now “%(state)s”.")
            % {"action": self.transitions[name].label, "reference": changed.reference, "state": state},
        )
        return self._back(request, changed)

    def assign_view(self, request, object_id):
        project = self._acting_object(request, object_id)
        if request.method == "POST":
            if request.POST.get("owner") == "me":
                owner = request.user
            else:
                owner = office_officers().filter(pk=request.POST.get("owner") or None).first()
            try:
                if owner is None:
                    raise ValidationError(gettext("Choose the officer to give the project to."))
                services.project_assign(project=project, actor=request.user, owner=owner)
            except REFUSALS as error:
                report_refusal(request, error)
            else:
                messages.success(
                    request,
                    gettext("%(reference)s is now owned by %(owner)s.")
                    % {"reference": project.reference, "owner": owner.get_full_name() or owner.username},
                )
        return self._back(request, project, "owner")

    def note_view(self, request, object_id):
        project = self._acting_object(request, object_id)
        if request.method == "POST":
            form = NoteForm(request.POST)
            self.run_small_form(
                request,
                form,
                lambda: services.note_add(
                    project=project, actor=request.user, text=form.cleaned_data["text"]
                ),
                done=gettext("The note is added."),
            )
        return self._back(request, project, "notes")

    def document_view(self, request, object_id):
        project = self._acting_object(request, object_id)
        if request.method == "POST":
            form = DocumentForm(request.POST, request.FILES)
            self.run_small_form(
                request,
                form,
                lambda: services.document_add(
                    project=project,
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    uploaded_file=form.cleaned_data["file"],
                    public=form.cleaned_data["public"],
                ),
                done=gettext("The document is attached."),
            )
        return self._back(request, project, "documents")

    def documents_view(self, request, object_id):
        """A document shown on the public page or not, or removed."""
        project = self._acting_object(request, object_id)
        if request.method == "POST":
            attachment = (
                ProjectDocument.objects.filter(application=project, pk=request.POST.get("attachment") or None)
                .select_related("document", "application")
                .first()
            )
            action = request.POST.get("action", "")
            if attachment is None or action not in ("show", "hide", "remove"):
                messages.warning(request, gettext("That document is no longer attached to the project."))
                return self._back(request, project, "documents")
            name = attachment.document.original_name
            try:
                if action == "remove":
                    services.document_remove(attachment=attachment, actor=request.user)
                    done = gettext("“%(name)s” is removed from the project.")
                else:
                    services.document_set_public(
                        attachment=attachment, actor=request.user, public=action == "show"
                    )
                    done = (
                        gettext("“%(name)s” is shown on the public page once the project is published.")
                        if action == "show"
                        else gettext("“%(name)s” is no longer shown on the public page.")
                    )
            except REFUSALS as error:
                report_refusal(request, error)
            else:
                messages.success(request, done % {"name": name})
        return self._back(request, project, "documents")

    def interest_view(self, request, object_id):
        """Forward or close an expression of interest from the project's page."""
        project = self._acting_object(request, object_id)
        if request.method == "POST":
            interest = Interest.objects.filter(
                project=project, pk=request.POST.get("interest") or None
            ).first()
            name = request.POST.get("transition", "")
            if interest is None:
                messages.warning(request, gettext("There is no such expression of interest on this project."))
                return self._back(request, project, "interests")
            try:
                interest_services.interest_run(
                    interest=interest, actor=request.user, name=name, comment=request.POST.get("comment", "")
                )
            except REFUSALS as error:
                report_refusal(request, error)
            else:
                messages.success(
                    request,
                    gettext("“%(action)s” is done: %(name)s's interest.")
                    % {"action": INTEREST_TRANSITIONS[name].label, "name": interest.name},
                )
        return self._back(request, project, "interests")

    def enterprise_search_view(self, request):
        """The enterprises of the free trade zone whose names hold the term, for the autocomplete of the
        project's form (select2's JSON)."""
        return enterprise_search(request)
