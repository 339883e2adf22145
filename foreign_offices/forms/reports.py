"""The annual report (年度报告) as the organisation files it, and files it again when it was returned;
services.annual checks the window, the year and the confirmations."""

from django import forms
from django.utils.translation import gettext_lazy as _

from foreign_affairs.forms import PortalForm

FIELDS = ("activities", "staff_foreign", "staff_local", "address_confirmed", "representative_confirmed")


class ReportForm(PortalForm):
    activities = forms.CharField(
        label=_("Activities of the year"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What the office did in the year: events, visits, projects and cooperation with partners in "
            "Henan, in a few paragraphs."
        ),
        error_messages={"required": _("Describe the office's activities of the year.")},
    )
    staff_foreign = forms.IntegerField(
        label=_("Foreign staff"),
        min_value=0,
        max_value=100000,
        help_text=_("On 31 December of the year."),
    )
    staff_local = forms.IntegerField(
        label=_("Local staff"),
        min_value=0,
        max_value=100000,
        help_text=_("Chinese employees, on 31 December of the year."),
    )
    # The confirmations are checked by the service, which explains what to do instead of ticking them.
    address_confirmed = forms.BooleanField(
        label=_("The address above is our current address"), required=False
    )
    representative_confirmed = forms.BooleanField(
        label=_("The chief representative above is our current chief representative"), required=False
    )

    @classmethod
    def for_organisation(cls, organisation, data=None) -> "ReportForm":
        """A new report, the staff numbers prefilled from the registry."""
        return cls(
            data,
            initial={"staff_foreign": organisation.staff_foreign, "staff_local": organisation.staff_local},
        )

    @classmethod
    def for_report(cls, report, data=None) -> "ReportForm":
        """A returned report, to correct and file again (the confirmations are given again)."""
        return cls(
            data,
            initial={
                "activities": report.activities,
                "staff_foreign": report.staff_foreign,
                "staff_local": report.staff_local,
            },
        )

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in FIELDS}
