"""Courses (培训课程) in the back office: the list, the course's own fields (saved by services.course_save),
and below them on its page the assessment (each question with its answers on a page of its own), the
materials (uploaded and removed through services.courses) and the timeline. Officers change courses;
leaders and managers read."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs.admin_pages import form_error_messages, labelled, timeline
from foreign_affairs.admin_queue import REFUSALS, TermSearchMixin, audit_url, is_officer, report_refusal

from ..models import Choice, Course, CourseMaterial, Question
from ..services import course_save
from ..services import courses as services
from ..workflow import SessionState
from .common import event_detail
from .filters import COURSE_SEARCH_HELP, AudienceFilter, OfferedFilter, TopicFilter, course_search_q
from .forms import ChoiceForm, ChoiceFormSet, CourseForm, MaterialForm, QuestionForm

# The pages need the width the admin's navigation takes (as QueueAdmin's pages).
WIDE = {"is_nav_sidebar_enabled": False}


def course_url(course_id: int, anchor: str = "") -> str:
    url = reverse("admin:training_course_change", args=[course_id])
    return f"{url}#{anchor}" if anchor else url


def posted_pk(request, name: str) -> int | None:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else None


@admin.register(Course)
class CourseAdmin(TermSearchMixin, admin.ModelAdmin):
    form = CourseForm
    list_display = [
        "code",
        "title_label",
        "topic_label",
        "audience_label",
        "assessment_label",
        "certificate_label",
        "is_active",
        "upcoming_label",
    ]
    list_display_links = ["code", "title_label"]
    list_filter = [TopicFilter, AudienceFilter, OfferedFilter]
    search_fields = ["code"]  # turns the search box on; the search itself is search_filter
    search_help_text = COURSE_SEARCH_HELP
    ordering = ["code"]
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    empty_value_display = "—"
    change_form_template = "admin/training/course/change_form.html"
    change_list_template = "admin/training/course/change_list.html"
    fieldsets = [
        (
            None,
            {"fields": ["code", "title_zh", "title_en", "topic", "audience", "duration_hours", "is_active"]},
        ),
        (_("Description"), {"fields": ["description_zh", "description_en"]}),
        (
            _("Assessment and certificate"),
            {"fields": ["pass_mark", "max_attempts", "certificate_months"]},
        ),
    ]

    def search_filter(self, term: str):
        return course_search_q(term)

    def get_queryset(self, request):
        now = timezone.now()
        return (
            super()
            .get_queryset(request)
            .annotate(
                upcoming=Count(
                    "sessions",
                    filter=Q(sessions__state=SessionState.SCHEDULED, sessions__starts_at__gt=now),
                    distinct=True,
                ),
                question_count=Count("questions", distinct=True),
            )
        )

    def has_delete_permission(self, request, obj=None):
        return False  # a course no longer offered keeps its sessions and certificates: "offered" off

    # Columns

    @admin.display(description=_("title"), ordering="title_zh")
    def title_label(self, course):
        other = course.title_en if course.title == course.title_zh else course.title_zh
        if not other or other == course.title:
            return Truncator(course.title).chars(60)
        return format_html(
            '{}<div class="app-muted">{}</div>', Truncator(course.title).chars(60), Truncator(other).chars(60)
        )

    @admin.display(description=_("topic"), ordering="topic")
    def topic_label(self, course):
        return course.get_topic_display()

    @admin.display(description=_("audience"), ordering="audience")
    def audience_label(self, course):
        return course.get_audience_display()

    @admin.display(description=_("assessment"), ordering="pass_mark")
    def assessment_label(self, course):
        if not course.has_assessment:
            return format_html('<span class="app-muted" data-assessment="no">{}</span>', gettext("No"))
        questions = ngettext("%(count)d question", "%(count)d questions", course.question_count) % {
            "count": course.question_count
        }
        text = gettext("Yes: %(questions)s, pass mark %(mark)d%%") % {
            "questions": questions,
            "mark": course.pass_mark,
        }
        if not course.question_count:
            return format_html(
                '<span class="queue-badge queue-rule-warning" data-assessment="empty">{}</span>',
                gettext("Yes, but no questions yet"),
            )
        return format_html('<span data-assessment="yes">{}</span>', text)

    @admin.display(description=_("certificate valid for"), ordering="certificate_months")
    def certificate_label(self, course):
        return ngettext("%(months)d month", "%(months)d months", course.certificate_months) % {
            "months": course.certificate_months
        }

    @admin.display(description=_("upcoming sessions"), ordering="upcoming")
    def upcoming_label(self, course):
        url = reverse("admin:training_session_changelist")
        return format_html(
            '<a href="{}?course={}" data-upcoming="{}">{}</a>',
            url,
            course.pk,
            course.upcoming,
            course.upcoming,
        )

    # Saving through the service

    def save_model(self, request, obj, form, change):
        """Checked again, saved and audited by services.course_save."""
        course_save(course=obj, actor=request.user)

    # The page: the assessment, the materials, the timeline

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**WIDE, **(extra_context or {})})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, {**WIDE, **(extra_context or {})})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self.page_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def page_context(self, request, course) -> dict:
        officer = is_officer(request.user) and self.has_change_permission(request, course)
        questions = list(course.questions.prefetch_related("choices"))
        query = urlencode({"course": course.pk, "position": len(questions) + 1})
        return {
            "questions": questions,
            "question_add_url": f"{reverse('admin:training_question_add')}?{query}" if officer else "",
            "materials": list(course.attachments.select_related("document").order_by("created_at", "pk")),
            "material_form": MaterialForm() if officer else None,
            "material_url": reverse("admin:training_course_material", args=[course.pk]),
            "materials_url": reverse("admin:training_course_materials", args=[course.pk]),
            "sessions_url": f"{reverse('admin:training_session_changelist')}?course={course.pk}",
            "session_add_url": f"{reverse('admin:training_session_add')}?course={course.pk}"
            if officer
            else "",
            "events": timeline(course, detail=event_detail),
            "audit_url": audit_url(course.code),
            "officer": officer,
        }

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/material/", view(self.material_view), name="training_course_material"),
            path("<path:object_id>/materials/", view(self.materials_view), name="training_course_materials"),
            *super().get_urls(),
        ]

    def _acting_course(self, request, object_id) -> Course:
        course = self.get_object(request, object_id)
        if course is None:
            raise Http404(gettext("There is no such course."))
        if not (is_officer(request.user) and self.has_change_permission(request, course)):
            raise PermissionDenied
        return course

    def material_view(self, request, object_id):
        """A material uploaded."""
        course = self._acting_course(request, object_id)
        if request.method == "POST":
            form = MaterialForm(request.POST, request.FILES)
            if not form.is_valid():
                messages.error(request, " ".join(form_error_messages(form)))
            else:
                try:
                    services.material_add(
                        course=course,
                        actor=request.user,
                        kind=form.cleaned_data["kind"],
                        uploaded_file=form.cleaned_data["file"],
                    )
                except REFUSALS as error:
                    report_refusal(
                        request,
                        labelled(error, CourseMaterial) if isinstance(error, ValidationError) else error,
                    )
                else:
                    messages.success(request, gettext("The material is added to the course."))
        return redirect(course_url(course.pk, "materials"))

    def materials_view(self, request, object_id):
        """A material removed."""
        course = self._acting_course(request, object_id)
        if request.method == "POST":
            material = (
                CourseMaterial.objects.filter(application=course, pk=posted_pk(request, "material"))
                .select_related("document")
                .first()
            )
            if material is None:
                messages.warning(request, gettext("That material is no longer attached to the course."))
            else:
                name = material.document.original_name
                try:
                    services.material_remove(material=material, actor=request.user)
                except REFUSALS as error:
                    report_refusal(request, error)
                else:
                    messages.success(
                        request, gettext("“%(name)s” is removed from the course.") % {"name": name}
                    )
        return redirect(course_url(course.pk, "materials"))


class ChoiceInline(admin.TabularInline):
    model = Choice
    form = ChoiceForm
    formset = ChoiceFormSet
    fields = ["text_zh", "text_en", "is_correct"]
    ordering = ["position", "pk"]
    min_num = 0
    max_num = 10
    verbose_name = _("answer")
    verbose_name_plural = _("answers (at least two, exactly one right)")

    # The answers are part of their question: whoever may change questions changes their answers (the
    # roles hold the questions' permissions only).
    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("training.change_question") or request.user.has_perm(
            "training.add_question"
        )

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("training.view_question")

    def get_extra(self, request, obj=None, **kwargs):
        if obj is None:
            return 4
        return max(1, 4 - obj.choices.count())


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """A question of a course's assessment with its answers, on a page of its own (reached from the
    course's page, and back to it once saved); saved as a whole by services.courses.question_save."""

    form = QuestionForm
    inlines = [ChoiceInline]
    fields = ["course", "position", "text_zh", "text_en"]
    change_form_template = "admin/training/question/change_form.html"
    actions = None

    def get_model_perms(self, request):
        return {}  # not in the back office's index: a course's questions are on the course's page

    def get_readonly_fields(self, request, obj=None):
        return ["course"] if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            # The course comes from its page's "Add a question" (?course=); the breadcrumbs name it.
            form.base_fields["course"].widget = forms.HiddenInput()
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, {**WIDE, **(extra_context or {})})

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if not str(initial.get("position", "")).isdigit():
            initial.pop("position", None)
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "course":
            kwargs["queryset"] = Course.objects.order_by("code")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changelist_view(self, request, extra_context=None):
        return redirect("admin:training_course_changelist")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        course = obj.course if obj is not None else None
        if course is None:
            course_id = request.GET.get("course", "")
            course = Course.objects.filter(pk=int(course_id)).first() if course_id.isdigit() else None
        context["course"] = course
        context["course_url"] = course_url(course.pk, "assessment") if course else ""
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Saving through the service

    def save_model(self, request, obj, form, change):
        """Nothing here: the question is saved with its answers in save_related, through the service."""

    def save_related(self, request, form, formsets, change):
        choices = []
        for formset in formsets:
            if isinstance(formset, ChoiceFormSet):
                # commit=False writes nothing; it only tells the admin's history what was added or changed.
                formset.save(commit=False)
                choices = formset.service_choices()
        services.question_save(question=form.instance, actor=request.user, choices=choices)

    def delete_model(self, request, obj):
        request._training_course_id = obj.course_id
        services.question_delete(question=obj, actor=request.user)

    def response_post_save_add(self, request, obj):
        return redirect(course_url(obj.course_id, "assessment"))

    def response_post_save_change(self, request, obj):
        return redirect(course_url(obj.course_id, "assessment"))

    def response_delete(self, request, obj_display, obj_id):
        super().response_delete(request, obj_display, obj_id)  # its message
        course_id = getattr(request, "_training_course_id", None)
        if course_id is None:
            return redirect("admin:training_course_changelist")
        return redirect(course_url(course_id, "assessment"))
