"""Smaller forms: list filters, attachments, transitions with a reason, the post-trip report."""

from django import forms
from django.utils.translation import gettext_lazy as _

from foreign_affairs.forms import PortalForm

from ..models import AttachmentKind
from ..workflow import State
from .sections import _with_empty, country_choices


class ApplicationFilterForm(PortalForm):
    """The filters of the list; their values stay in the URL."""

    SORTS = [
        ("", _("Newest first")),
        ("departure", _("Departure, soonest first")),
        ("-departure", _("Departure, latest first")),
        ("reference", _("Reference")),
        ("due", _("Due date")),
    ]
    q = forms.CharField(
        label=_("Search"),
        required=False,
        help_text=_("Reference, title, a member's name or a whole passport number."),
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    departure_after = forms.DateField(label=_("Departure from"), required=False, widget=forms.DateInput)
    departure_before = forms.DateField(label=_("Departure until"), required=False, widget=forms.DateInput)
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=SORTS)

    def __init__(self, *args, state_counts=None, **kwargs):
        super().__init__(*args, **kwargs)
        state_counts = state_counts or {}
        self.fields["state"].choices = _with_empty(
            _("All states"),
            [
                (value, f"{label} ({state_counts[value]})" if state_counts.get(value) else label)
                for value, label in State.choices
            ],
        )
        self.fields["country"].choices = _with_empty(_("All countries"), country_choices())


class AttachmentForm(PortalForm):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["aria-describedby"] = f"{self._id_for('file')}_hint"


class TransitionForm(PortalForm):
    """The comment (or reason) of a transition; required where the workflow or a destructive step asks."""

    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, required: bool = False, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["comment"]
        field.required = required
        if label:
            field.label = label
        if required:
            field.error_messages["required"] = _("Say why, so that everyone involved knows.")


class ReportForm(PortalForm):
    """The post-trip report (transition submit_report)."""

    summary = forms.CharField(
        label=_("Summary of the trip"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the delegation did, whom it met, where."),
    )
    outcomes = forms.CharField(
        label=_("Outcomes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Agreements signed, contracts, follow-up planned."),
    )
    actual_return_date = forms.DateField(label=_("Actual return date"), widget=forms.DateInput)

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        if application is not None and not self.is_bound:
            self.initial.setdefault("actual_return_date", application.return_date)
