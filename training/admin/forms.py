"""The back office's forms of training: a question with its answers, a course's material, a session's fields,
enrolling people, the register, an online session's record, revoking a certificate. They only parse what was
typed; training.services checks it again and saves it (its field errors come back beside the fields)."""

from functools import partial

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foreign_affairs.accounts.models import Person
from foreign_affairs.documents.validators import ACCEPT_ATTRIBUTE

from ..models import Choice, Course, Enrolment, MaterialKind, Question, Session
from ..services.courses import MIN_CHOICES
from ..services.sessions import SESSION_FIELDS
from .common import person_label


class DateTimeInput(forms.DateTimeInput):
    """The browser's own date and time picker (the value as YYYY-MM-DDTHH:MM, in the portal's time zone)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


# Courses ----------------------------------------------------------------------------------------------------


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = [
            "code",
            "title_zh",
            "title_en",
            "description_zh",
            "description_en",
            "topic",
            "audience",
            "duration_hours",
            "pass_mark",
            "max_attempts",
            "certificate_months",
            "is_active",
        ]
        widgets = {
            "description_zh": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "title_en": _("Shown to English readers; the Chinese title when left empty."),
            "pass_mark": _(
                "The share of questions to answer right. Leave empty for a course without an assessment: "
                "attending completes it."
            ),
        }


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["course", "position", "text_zh", "text_en"]
        widgets = {
            "text_zh": forms.Textarea(attrs={"rows": 3}),
            "text_en": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"position": pgettext_lazy("assessment question", "Order")}
        help_texts = {"position": _("Questions are asked in this order.")}


class ChoiceForm(forms.ModelForm):
    class Meta:
        model = Choice
        fields = ["text_zh", "text_en", "is_correct"]
        widgets = {
            "text_zh": forms.TextInput(attrs={"size": 40}),
            "text_en": forms.TextInput(attrs={"size": 40}),
        }


class ChoiceFormSet(forms.BaseInlineFormSet):
    """A question's answers: at least two, exactly one of them right (services.courses checks it again)."""

    def kept_forms(self) -> list:
        return [
            form
            for form in self.forms
            if form.is_valid()
            and not (self.can_delete and self._should_delete_form(form))
            and (form.cleaned_data.get("text_zh") or "").strip()
        ]

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        kept = self.kept_forms()
        if len(kept) < MIN_CHOICES:
            raise forms.ValidationError(_("Give at least two answers."), code="too_few")
        if sum(1 for form in kept if form.cleaned_data.get("is_correct")) != 1:
            raise forms.ValidationError(_("Mark exactly one answer as the right one."), code="one_right")

    def service_choices(self) -> list[dict]:
        return [
            {
                "id": form.instance.pk,
                "text_zh": form.cleaned_data["text_zh"],
                "text_en": form.cleaned_data.get("text_en", ""),
                "is_correct": bool(form.cleaned_data.get("is_correct")),
            }
            for form in self.kept_forms()
        ]


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=MaterialKind.choices, initial=MaterialKind.HANDBOOK)
    file = forms.FileField(
        label=_("file"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text=_("PDF, JPEG or PNG."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "material")
        super().__init__(*args, **kwargs)


# Sessions ---------------------------------------------------------------------------------------------------


class SessionForm(forms.ModelForm):
    """A session's fields (services.sessions.SESSION_FIELDS) in the groups an officer thinks in. The model's
    own checks run in the service (session_create, session_update), with its other rules."""

    sections = [
        (_("The session"), "", ["course", "language", "instructor"]),
        (
            _("When"),
            _("Enrolments and cancellations by enterprises close at the deadline."),
            ["starts_at", "ends_at", "enrolment_deadline"],
        ),
        (
            _("Where"),
            _("A venue for a session held in person; the meeting link for an online one."),
            ["mode", "venue", "online_url"],
        ),
        (
            _("Places"),
            _(
                "Once the places are taken, enrolments go to the waiting list; more places give them out in order."
            ),
            ["capacity"],
        ),
        (_("For the attendees"), "", ["notes"]),
    ]

    class Meta:
        model = Session
        fields = SESSION_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"online_url": partial(forms.URLField, assume_scheme="https")}
        help_texts = {"notes": _("What to bring, where to go in the building: in the reminder e-mail.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at", "enrolment_deadline"):
            self.fields[name].widget = DateTimeInput()
        courses = Course.objects.filter(is_active=True)
        if self.instance.pk:
            courses = Course.objects.filter(is_active=True) | Course.objects.filter(
                pk=self.instance.course_id
            )
        course = self.fields["course"]
        course.queryset = courses.order_by("code")
        course.label_from_instance = str

    def _post_clean(self):
        pass

    def section_rows(self):
        return [
            (title, hint, [self[name] for name in names if name in self.fields])
            for title, hint, names in self.sections
        ]

    def service_data(self, *, changed_only: bool = False) -> dict:
        names = self.changed_data if changed_only else self.fields
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


class PeopleAutocomplete(AutocompleteSelectMultiple):
    """The admin's autocomplete, asking the sessions' admin for travellers with their organisations
    (SessionAdmin.people_view) rather than the people's own admin."""

    def get_url(self):
        return reverse(f"{self.admin_site.name}:training_session_people")


class EnrolPeopleForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("People to enrol"),
        queryset=Person.objects.none(),
        widget=PeopleAutocomplete(Enrolment._meta.get_field("person"), admin.site),
        help_text=_(
            "Type a few characters of a name, a pinyin name or an organisation. Places go in the order "
            "chosen; the others join the waiting list."
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "enrol")
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        field.queryset = Person.objects.select_related("organization").order_by("full_name", "pk")
        field.label_from_instance = person_label

    def chosen(self) -> list:
        """The people in the order they were chosen (the field's queryset has its own order)."""
        found = {person.pk: person for person in self.cleaned_data["people"]}
        order = [int(pk) for pk in self.data.getlist(self.add_prefix("people")) if str(pk).isdigit()]
        return [found[pk] for pk in dict.fromkeys(order) if pk in found]


class OnlineRecordForm(forms.Form):
    record = forms.CharField(
        label=_("List of participants"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=200_000,
        help_text=_(
            "Paste the participants' list exported from the meeting platform: one participant a line, with "
            "their e-mail or name. Those enrolled are marked attended; the lines that match nobody are listed."
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "online")
        super().__init__(*args, **kwargs)


# Certificates -----------------------------------------------------------------------------------------------


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Kept in the timeline; the verify page then says the certificate is revoked."),
    )
