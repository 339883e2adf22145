"""The forms of the training pages: the calendar's filters, enrolling colleagues, cancelling an enrolment, and
the search of the organisation's learning records. The filters' values stay in the URL; a value that names
nothing is shown with its error beside the field and left out, so the other filters still apply."""

from datetime import date

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foreign_affairs import typography
from foreign_affairs.forms import PortalForm

from .models import Topic
from .workflow import Mode

# How far ahead the calendar's month filter goes (sessions are scheduled months ahead, rarely more).
MONTHS_AHEAD = 12
# A search is cut rather than refused (a name, not an essay).
TERM_MAX = 100


def coming_months(today: date, count: int = MONTHS_AHEAD) -> list[date]:
    """The first day of this month and of the `count - 1` months after it."""
    months = []
    year, month = today.year, today.month
    for _index in range(count):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


class ChoosingForm(PortalForm):
    """A GET form whose valid values filter and whose invalid ones are left out (their error shown)."""

    FILTERS: tuple[str, ...] = ()

    def chosen(self) -> dict:
        if not self.is_bound:
            return dict.fromkeys(self.FILTERS, "")
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or "" for name in self.FILTERS}

    @property
    def filtered(self) -> bool:
        return any(self.chosen().values())


class CalendarFilterForm(ChoosingForm):
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("All topics")), *Topic.choices]
    )
    month = forms.ChoiceField(label=_("Month"), required=False)
    mode = forms.ChoiceField(
        label=pgettext_lazy("training session", "Format"),
        required=False,
        choices=[("", _("In person and online")), *Mode.choices],
    )

    FILTERS = ("topic", "month", "mode")

    def __init__(self, *args, today: date | None = None, **kwargs):
        kwargs.setdefault("auto_id", "id_calendar_%s")
        super().__init__(*args, **kwargs)
        months = coming_months(today or timezone.localdate())
        self.fields["month"].choices = [
            ("", _("Any month")),
            *[(f"{first:%Y-%m}", formats.date_format(first, "YEAR_MONTH_FORMAT")) for first in months],
        ]

    def clean_month(self) -> date | None:
        value = self.cleaned_data.get("month")
        if not value:
            return None
        year, month = value.split("-")
        return date(int(year), int(month), 1)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person) -> str:
        return typography.annotate(person.full_name, person.position or person.pinyin_name)


class EnrolPeopleForm(PortalForm):
    """A liaison's choice of colleagues (the organisation's travellers not yet in the session)."""

    people = PeopleChoiceField(
        label=_("Colleagues to enrol"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={
            "required": _("Choose at least one colleague to enrol."),
            "invalid_choice": _("Choose colleagues from the list; one you chose is no longer on it."),
            "invalid_pk_value": _("Choose colleagues from the list; one you chose is no longer on it."),
        },
    )

    def __init__(self, *args, people, **kwargs):
        kwargs.setdefault("auto_id", "id_enrol_%s")
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people


class CancelForm(PortalForm):
    """The optional reason for cancelling an enrolment (the form is written out in rec_cancel.html, one per
    enrolment listed)."""

    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Whoever enrolled the trainee is told, with this reason."),
    )


class CertificateState:
    """A pre-departure certificate's standing for the people list."""

    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    NONE = "none"

    choices = [
        (VALID, _("Valid")),
        (EXPIRING, _("Expiring within 30 days")),
        (EXPIRED, _("Expired")),
        (NONE, _("None")),
    ]


class PeopleFilterForm(ChoosingForm):
    q = forms.CharField(label=_("Name or pinyin"), required=False, strip=True)
    certificate = forms.ChoiceField(
        label=_("Pre-departure training"),
        required=False,
        choices=[("", _("Any")), *CertificateState.choices],
    )

    FILTERS = ("q", "certificate")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_people_%s")
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs["maxlength"] = str(TERM_MAX)

    def clean_q(self) -> str:
        return " ".join((self.cleaned_data.get("q") or "").split())[:TERM_MAX]
