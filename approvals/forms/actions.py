"""Smaller forms: attachments and the post-trip report."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foreign_affairs import typography
from foreign_affairs.documents.validators import ACCEPT_ATTRIBUTE, validate_upload
from foreign_affairs.forms import PortalForm

from ..models import AttachmentKind


class AttachmentForm(PortalForm):
    # Report attachments come with the post-trip report (ReportForm), not with the application's papers.
    kind = forms.ChoiceField(
        label=_("Kind of document"),
        choices=[(value, label) for value, label in AttachmentKind.choices if value != AttachmentKind.REPORT],
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["aria-describedby"] = f"{self._id_for('file')}_hint"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); cleans to a list, empty when none."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [item for item in files if item]
        if not files:
            return super().clean(None, initial) or []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class ReportForm(PortalForm):
    """The post-trip report (transition submit_report), with its attachments."""

    MAX_FILES = 5

    summary = forms.CharField(
        label=_("Summary of the trip"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("What the delegation did, whom it met, where."),
    )
    outcomes = forms.CharField(
        label=_("Outcomes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Results of the trip and the follow-up planned."),
    )
    agreements = forms.CharField(
        label=_("Agreements signed"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Each agreement, memorandum or contract signed: with whom and what about. Leave empty if none."
        ),
    )
    actual_return_date = forms.DateField(
        label=_("Actual return date"),
        widget=forms.DateInput,
        help_text=_("The day the delegation arrived back in China."),
    )
    actual_spending = forms.DecimalField(
        label=_("Actual spending"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"min": "0", "step": "0.01", "inputmode": "decimal"}),
        help_text=_(
            "The whole delegation's cost, in the currency of the budget. Leave empty if not known yet."
        ),
    )
    files = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_(
            "Minutes, signed agreements, photos: PDF, JPEG or PNG, at most 10 MB each, up to 5 files."
        ),
    )

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.fields["files"].widget.attrs["accept"] = ACCEPT_ATTRIBUTE
        if application is not None:
            currency = application.budget_currency
            self.fields["actual_spending"].label = _("Actual spending (%(currency)s)") % {
                "currency": currency
            }
            self.fields["actual_spending"].help_text = _(
                "The whole delegation's cost, in %(currency)s like the budget. Leave empty if not known yet."
            ) % {"currency": currency}
            # PortalFormMixin already made the bound field (and copied its label); make it again.
            self._bound_fields_cache.pop("actual_spending", None)
            if not self.is_bound:
                self.initial.setdefault("actual_return_date", application.return_date)

    def clean_actual_return_date(self):
        day = self.cleaned_data["actual_return_date"]
        if day > timezone.localdate():
            raise ValidationError(_("The return date cannot be in the future."), code="future")
        departure = getattr(self.application, "departure_date", None)
        if departure and day < departure:
            raise ValidationError(_("The return date cannot be before the departure."), code="before")
        return day

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > self.MAX_FILES:
            raise ValidationError(
                _("Attach at most %(count)d files.") % {"count": self.MAX_FILES}, code="too_many"
            )
        errors = []
        for uploaded in files:
            try:
                validate_upload(uploaded)
            except ValidationError as error:
                errors += [f"{typography.label(uploaded.name)}{message}" for message in error.messages]
        if errors:
            raise ValidationError(errors)
        return files

    def report(self) -> dict:
        """The `report` argument of services.report_submit."""
        return report_of(self.cleaned_data)


def report_of(cleaned: dict) -> dict:
    """The report's fields of what ReportForm holds (services.report_submit's `report`)."""
    return {
        name: cleaned.get(name)
        for name in ("summary", "outcomes", "agreements", "actual_return_date", "actual_spending")
    }
