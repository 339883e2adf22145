"""Development achievements (发展成果) in the back office: short illustrated stories the office writes,
linked to projects and published the same way (draft → in review → published → archived).

The list shows each story's date and publication; the page is read-only, with the story in both languages,
its projects, its images (added and removed on the page), the publication buttons and the timeline. The
story is written and changed on a page of its own. Every change calls projects.services.achievements.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs import typography
from foreign_affairs.admin_pages import labelled, possible_transitions, short_date, timeline
from foreign_affairs.admin_queue import REFUSALS, audit_url, report_refusal

from .. import selectors
from ..models import Achievement, AchievementImage, CooperationProject
from ..services import achievements as services
from ..workflow import PUBLICATION_TRANSITIONS, Publication
from .common import ProjectPageAdmin, publication_tag
from .filters import (
    ACHIEVEMENT_SEARCH_HELP,
    AreaFilter,
    ChannelFilter,
    PublicationFilter,
    achievement_search_q,
)
from .forms import AchievementForm, ImageForm


def missing_public_text(achievement) -> list[str]:
    opts = Achievement._meta
    fields = ("title_zh", "title_en", "description_zh", "description_en")
    return [str(opts.get_field(name).verbose_name) for name in fields if not getattr(achievement, name)]


@admin.register(Achievement)
class AchievementAdmin(ProjectPageAdmin):
    list_display = ["reference", "title_label", "channel_label", "area_label", "date", "publication_label"]
    list_display_links = ["reference"]
    list_filter = [PublicationFilter, ChannelFilter, AreaFilter]
    search_fields = ["reference"]  # turns the search box on; the search itself is search_filter
    search_q = staticmethod(achievement_search_q)
    search_help_text = ACHIEVEMENT_SEARCH_HELP
    ordering = ["-happened_on", "-pk"]
    change_list_template = "admin/projects/achievement/change_list.html"
    change_form_template = "admin/projects/achievement/change_form.html"
    fields = ["reference"]
    readonly_fields = ["reference"]
    queue_title = _("Development achievements")
    transitions = PUBLICATION_TRANSITIONS
    comment_session_key = "projects-achievement-comment-%s"
    not_found = _("There is no such development achievement.")

    def get_queryset(self, request):
        return selectors.achievement_list_for(request.user)

    def detail_queryset(self, queryset):
        return queryset.select_related("created_by")

    def has_add_permission(self, request):
        return self.may_act(request)

    def view_on_site(self, achievement):
        """The public page answers only once the story is published."""
        return achievement.get_absolute_url() if achievement.publication == Publication.PUBLISHED else None

    # Columns

    @admin.display(description=_("title"), ordering="title_zh")
    def title_label(self, achievement):
        return Truncator(achievement.title).chars(60)

    @admin.display(description=_("channel"), ordering="channel")
    def channel_label(self, achievement):
        return achievement.get_channel_display()

    @admin.display(description=_("area"), ordering="ftz_area")
    def area_label(self, achievement):
        return achievement.get_ftz_area_display()

    @admin.display(description=_("date"), ordering="happened_on")
    def date(self, achievement):
        return short_date(achievement.happened_on)

    @admin.display(description=_("publication"), ordering="publication")
    def publication_label(self, achievement):
        return publication_tag(achievement.publication)

    def changelist_view(self, request, extra_context=None):
        context = {
            "add_url": self._url("add") if self.has_add_permission(request) else "",
            "projects_url": reverse("admin:projects_cooperationproject_changelist"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    # Writing and changing the story

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        initial = {}
        project = CooperationProject.objects.filter(pk=request.GET.get("project") or None).first()
        if project is not None:
            # "Tell its story" from a project's page: the project's channel, area and link given.
            initial = {"projects": [project.pk], "channel": project.channel, "ftz_area": project.ftz_area}
        form = AchievementForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            achievement = self.run_form_service(
                request,
                form,
                lambda: services.achievement_create(
                    actor=request.user, data=form.service_data(changed_only=False)
                ),
            )
            if achievement:
                messages.success(
                    request,
                    gettext("%(reference)s is written: a draft until it is published.")
                    % {"reference": achievement.reference},
                )
                return redirect(self._url("change", achievement.pk))
            if achievement is False:
                return redirect(self._url("changelist"))
        return self.render_form_page(
            request,
            form,
            title=_("Write a development achievement"),
            intro=_(
                "A short story of what cooperation brought, told in Chinese and in English, with the projects it "
                "came from. Images are added on its page once it is written."
            ),
            submit=_("Write the achievement"),
            cancel_url=self._url("changelist"),
        )

    def edit_view(self, request, object_id):
        achievement = self._acting_object(request, object_id)
        back = self._url("change", achievement.pk, request=request)
        form = AchievementForm(request.POST or None, instance=achievement)
        if request.method == "POST" and form.is_valid():
            data = form.service_data(changed_only=True)
            changed = self.run_form_service(
                request,
                form,
                lambda: services.achievement_update(achievement=achievement, actor=request.user, data=data),
            )
            if changed is not None:
                if changed and data:
                    messages.success(request, gettext("The achievement is saved."))
                elif changed:
                    messages.info(request, gettext("Nothing was changed."))
                return redirect(back)
        intro = _("Change the story and the projects it tells of.")
        if achievement.publication == Publication.PUBLISHED:
            intro = _("This achievement is published: what you save here shows on its public page at once.")
        return self.render_form_page(
            request,
            form,
            obj=achievement,
            title=gettext("Change %(reference)s") % {"reference": achievement.reference},
            intro=intro,
            submit=_("Save the achievement"),
            cancel_url=back,
        )

    # The page

    def page_context(self, request, achievement) -> dict:
        officer = self.may_act(request)
        names = possible_transitions(achievement, request.user, PUBLICATION_TRANSITIONS, "publication")
        group = self.transition_group(
            request, achievement, names, info=PUBLICATION_TRANSITIONS, key="publication"
        )
        missing = missing_public_text(achievement)
        if missing and {"publish", "republish"} & set(names):
            group["note"] = gettext("To publish, give first: %(fields)s.") % {
                "fields": typography.enumerate_items(missing)
            }
        projects = list(achievement.projects.order_by("-created_at", "-pk"))
        for project in projects:
            project.admin_url = reverse("admin:projects_cooperationproject_change", args=[project.pk])
            project.publication_tag = publication_tag(project.publication)
        return {
            "achievement": achievement,
            "crumb": f"{achievement.reference} {Truncator(achievement.title).chars(40)}",
            "publication_tag": publication_tag(achievement.publication),
            "projects": projects,
            "images": list(achievement.attachments.select_related("document").order_by("created_at", "pk")),
            "image_form": ImageForm() if officer else None,
            "edit_url": self._url("edit", achievement.pk, request=request) if officer else "",
            "group": group,
            "public_url": achievement.get_absolute_url()
            if achievement.publication == Publication.PUBLISHED
            else "",
            "events": timeline(achievement, Publication),
            "urls": {name: self._url(name, achievement.pk, request=request) for name in ("image", "images")},
            "audit_url": audit_url(achievement.reference),
        }

    def admin_views(self) -> list[tuple]:
        return [
            *super().admin_views(),
            ("<path:object_id>/edit/", self.edit_view, "edit"),
            ("<path:object_id>/image/", self.image_view, "image"),
            ("<path:object_id>/images/", self.images_view, "images"),
        ]

    def transition_view(self, request, object_id):
        achievement = self._acting_object(request, object_id)
        if request.method != "POST":
            return self._back(request, achievement)
        name = request.POST.get("transition", "")
        comment = request.POST.get("comment", "")
        try:
            changed = services.achievement_publication_run(
                achievement=achievement, actor=request.user, name=name, comment=comment
            )
        except REFUSALS as error:
            report_refusal(
                request, labelled(error, Achievement) if isinstance(error, ValidationError) else error
            )
            self.keep_comment(request, achievement, comment, key="publication")
            return self._back(request, achievement, "actions-publication")
        messages.success(
            request,
            gettext("“%(action)s” is done: %(reference)s is now “%(state)s”.")
            % {
                "action": PUBLICATION_TRANSITIONS[name].label,
                "reference": changed.reference,
                "state": changed.get_publication_display(),
            },
        )
        return self._back(request, changed)

    def image_view(self, request, object_id):
        achievement = self._acting_object(request, object_id)
        if request.method == "POST":
            form = ImageForm(request.POST, request.FILES)
            self.run_small_form(
                request,
                form,
                lambda: services.image_add(
                    achievement=achievement, actor=request.user, uploaded_file=form.cleaned_data["file"]
                ),
                done=gettext("The image is added."),
                model=AchievementImage,
            )
        return self._back(request, achievement, "images")

    def images_view(self, request, object_id):
        """An image removed."""
        achievement = self._acting_object(request, object_id)
        if request.method == "POST":
            image = (
                AchievementImage.objects.filter(application=achievement, pk=request.POST.get("image") or None)
                .select_related("document", "application")
                .first()
            )
            if image is None:
                messages.warning(request, gettext("That image is no longer on the achievement."))
                return self._back(request, achievement, "images")
            name = image.document.original_name
            try:
                services.image_remove(image=image, actor=request.user)
            except REFUSALS as error:
                report_refusal(request, error)
            else:
                messages.success(request, gettext("“%(name)s” is removed.") % {"name": name})
        return self._back(request, achievement, "images")
