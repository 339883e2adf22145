"""The duty roster (值班表) in the back office: a month at a time, day by day (with the weekday, today
highlighted, the working days nobody is on duty named above the list), a day's shift on its own page, and
"Fill a period…" with a rotation of officers. Officers write, through services.duty (audited as
"duty.update"); leaders and managers read. A past day is read-only: it is the record of who was on duty."""

from datetime import date, timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs import typography
from foreign_affairs.accounts.models import User

from ..models import DutyShift
from ..services import duty

# How far the month filter reaches from the current month.
MONTHS_BACK, MONTHS_AHEAD = 3, 6


def _month_start(day: date, months: int = 0) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month_end(first: date) -> date:
    return _month_start(first, 1) - timedelta(days=1)


def _officer_label(user) -> str:
    return typography.annotate(user, user.username)


class MonthFilter(admin.SimpleListFilter):
    """The month shown, the current one unless chosen otherwise ("all" lists every shift)."""

    title = _("month")
    parameter_name = "month"
    everything = "all"

    def default(self) -> str:
        return _month_start(timezone.localdate()).strftime("%Y-%m")

    def value(self):
        return self.used_parameters.get(self.parameter_name, self.default())

    def lookups(self, request, model_admin):
        this_month = _month_start(timezone.localdate())
        months = [_month_start(this_month, n) for n in range(-MONTHS_BACK, MONTHS_AHEAD + 1)]
        return [
            (self.everything, _("All")),
            *((month.strftime("%Y-%m"), date_format(month, "YEAR_MONTH_FORMAT")) for month in months),
        ]

    def choices(self, changelist):
        # Replaces SimpleListFilter's own "All" (no parameter), which here means the current month.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def month(self) -> date | None:
        """The first day of the month shown, or None for every month (or a month that makes no sense)."""
        try:
            year, month = (int(part) for part in self.value().split("-"))
            return date(year, month, 1)
        except ValueError:
            return None

    def queryset(self, request, queryset):
        first = self.month()
        if first is None:
            return queryset
        return queryset.filter(day__range=(first, _month_end(first)))


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _officer_label(obj)


class OfficersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _officer_label(obj)


class DutyShiftForm(forms.ModelForm):
    """A day's shift; checked by the service's own rules, so that a refusal is a message beside the field."""

    class Meta:
        model = DutyShift
        fields = ["day", "officer", "deputy", "note"]
        field_classes = {"officer": OfficerChoiceField, "deputy": OfficerChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("officer", "deputy"):
            if name in self.fields:
                self.fields[name].queryset = duty.duty_officers()
        if "deputy" in self.fields:
            self.fields["deputy"].help_text = _(
                "Stands in when the duty officer cannot be reached; takes the new incidents when the duty "
                "officer's account is inactive."
            )

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("day", self.instance.day if self.instance.pk else None)
        officer = cleaned.get("officer")
        if day is None or officer is None or self.errors:
            return cleaned
        try:
            duty.shift_check(day=day, officer=officer, deputy=cleaned.get("deputy"))
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                self.add_error(field if field in self.fields else None, problems)
        return cleaned


class RosterFillForm(forms.Form):
    start = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.ChoiceField(
        label=_("Days on duty"),
        choices=duty.RosterDays.choices,
        initial=duty.RosterDays.WORKING,
        widget=forms.RadioSelect,
        help_text=_(
            "Working days follow the office's calendar: holidays are skipped, worked weekend days count."
        ),
    )
    officers = OfficersField(
        label=_("Officers in the rotation"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each day goes to the next officer in the order listed, with the one after as deputy; the "
            "rotation goes on from whoever was on duty last before the first day."
        ),
    )
    replace = forms.BooleanField(
        label=_("Replace the days already on the roster"),
        label_suffix="",
        required=False,
        help_text=_("Not ticked: the days already on the roster are kept as they are."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = duty.duty_officers()


@admin.register(DutyShift)
class DutyShiftAdmin(admin.ModelAdmin):
    form = DutyShiftForm
    change_list_template = "admin/overseas_safety/dutyshift/change_list.html"
    list_display = ["day_label", "officer_label", "deputy_label", "note"]
    list_display_links = ["day_label"]
    list_filter = [MonthFilter]
    list_select_related = ["officer", "deputy"]
    search_fields = [
        "officer__username",
        "officer__last_name",
        "deputy__username",
        "deputy__last_name",
        "note",
    ]
    ordering = ["day"]
    list_per_page = 62
    actions = None  # no bulk delete: a day leaves the roster on its own page, through the service

    # Who may do what: officers write (the role's permissions), a past day stays as it was.

    def _past(self, obj) -> bool:
        return obj is not None and obj.day < timezone.localdate()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._past(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._past(obj)

    def get_readonly_fields(self, request, obj=None):
        # The day of a shift is what it is; another day is another shift.
        return ["day"] if obj is not None else []

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("day", timezone.localdate())
        return initial

    # Columns

    @admin.display(description=_("day"), ordering="day")
    def day_label(self, shift):
        today = timezone.localdate()
        text = format_html(
            '{} <span class="duty-weekday">{}</span>',
            date_format(shift.day, "DATE_FORMAT"),
            date_format(shift.day, "l"),
        )
        if shift.day == today:
            return format_html('{} <span class="queue-badge duty-today">{}</span>', text, gettext("today"))
        return text

    @admin.display(description=_("duty officer"), ordering="officer__last_name")
    def officer_label(self, shift):
        if not shift.officer.is_active:
            return format_html(
                '{} <span class="queue-badge queue-rule-warning">{}</span>',
                shift.officer,
                gettext("account inactive: the deputy takes over"),
            )
        return str(shift.officer)

    @admin.display(description=_("deputy"), ordering="deputy__last_name")
    def deputy_label(self, shift):
        return str(shift.deputy) if shift.deputy else "—"

    # Writes through the service

    def save_model(self, request, obj, form, change):
        shift = duty.shift_set(
            day=obj.day, officer=obj.officer, deputy=obj.deputy, note=obj.note, actor=request.user
        )
        obj.pk = shift.pk

    def delete_model(self, request, obj):
        duty.shift_delete(shift=obj, actor=request.user)

    # The list: a month, who is on duty today, the working days without anybody

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context=extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is None:
            return response
        month = next((f.month() for f in changelist.filter_specs if isinstance(f, MonthFilter)), None)
        response.context_data.update(self.roster_context(request, month))
        return response

    def roster_context(self, request, month: date | None) -> dict:
        today = timezone.localdate()
        context = {
            "on_duty": duty.on_duty_now(),
            "can_fill": self.has_add_permission(request),
            "fill_url": reverse("admin:overseas_safety_dutyshift_fill"),
            "uncovered": [],
        }
        if month is not None:
            start = max(month, today)
            end = _month_end(month)
            if start <= end:
                context["uncovered"] = [
                    line.day for line in duty.roster_for(start, end) if line.is_working_day and not line.shift
                ]
            context["month_label"] = date_format(month, "YEAR_MONTH_FORMAT")
        return context

    # "Fill a period…"

    def get_urls(self):
        return [
            path("fill/", self.admin_site.admin_view(self.fill_view), name="overseas_safety_dutyshift_fill"),
            *super().get_urls(),
        ]

    def fill_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        next_month = _month_start(today, 1)
        initial = {"start": next_month, "end": _month_end(next_month)}
        form = RosterFillForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            # The rotation's order is the order the officers are listed in.
            officers = [user for user in form.fields["officers"].queryset if user in data["officers"]]
            try:
                written = duty.roster_fill(
                    start=data["start"],
                    end=data["end"],
                    officers=officers,
                    actor=request.user,
                    days=data["days"],
                    replace=data["replace"],
                )
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d day was put on the duty roster.",
                        "%(count)d days were put on the duty roster.",
                        len(written),
                    )
                    % {"count": len(written)},
                    messages.SUCCESS,
                )
                month = data["start"].strftime("%Y-%m")
                return HttpResponseRedirect(
                    f"{reverse('admin:overseas_safety_dutyshift_changelist')}?{urlencode({'month': month})}"
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Fill a period of the duty roster"),
            "form": form,
            "max_days": duty.ROSTER_FILL_MAX_DAYS,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/overseas_safety/dutyshift/fill.html", context)
