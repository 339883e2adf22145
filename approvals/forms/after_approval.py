"""Forms of what follows approval: handing out a passport and recording its return, the public notices'
search and objections."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.models import Person
from foreign_affairs.forms import PortalForm, add_service_errors
from foreign_affairs.privacy import access

from ..models import DisclosureKind, PassportHandover
from ..services.custody import OFFICIAL_PASSPORTS, passport_return


class HandOutForm(PortalForm):
    """The liaison records that a member's official passport leaves custody for the trip."""

    person = forms.ModelChoiceField(
        label=_("Whose passport"),
        queryset=Person.objects.none(),
        empty_label=_("Choose a member"),
        help_text=_("Only members with an official passport are listed; ordinary passports are not kept."),
    )
    handed_to = forms.CharField(
        label=_("Handed to"),
        required=False,
        max_length=100,
        help_text=_("Leave empty when the traveller takes it in person."),
    )
    notes = forms.CharField(label=_("Notes (optional)"), required=False, max_length=200)

    def __init__(self, *args, application, request, **kwargs):
        """The choices name each passport whole for whoever may see it so (the liaison), and showing the
        form records the look (privacy.access; the page's list of members has recorded it already)."""
        kwargs.setdefault("auto_id", "id_handout_%s")
        super().__init__(*args, **kwargs)
        out = PassportHandover.objects.filter(returned_at__isnull=True).values("person")
        people = (
            Person.objects.filter(delegations__application=application, passport_type__in=OFFICIAL_PASSPORTS)
            .exclude(pk__in=out)
            .exclude(passport_number="")
            .order_by("full_name", "pk")
        )
        field = self.fields["person"]
        field.queryset = people
        field.label_from_instance = lambda person: (
            f"{person.full_name} · {person.get_passport_type_display()} "
            f"{access.passport_number_shown(request, person, case=application.reference)}"
        )

    @property
    def has_choices(self) -> bool:
        return self.fields["person"].queryset.exists()


class ReturnForm(PortalForm):
    """The day a handed-out passport came back into custody (today unless it came back earlier). The date
    picker allows the days from the hand-out to today; services.passport_return checks them again."""

    returned_on = forms.DateField(
        label=_("Date the passport came back"),
        widget=forms.DateInput,
        help_text=_(
            "The day the passport was handed back into custody: today, or an earlier day if it came back "
            "before you record it. Format: YYYY-MM-DD."
        ),
        error_messages={
            "required": _("Enter the date the passport came back."),
            "invalid": _("Enter the date as YYYY-MM-DD, for example 2026-11-26."),
        },
    )

    def __init__(self, *args, handover: PassportHandover | None = None, **kwargs):
        """With a `handover`, the picker starts on its hand-out day; without (several passports at once,
        from the office's ledger), the service checks each passport's day."""
        kwargs.setdefault("auto_id", "id_return_%s")
        today = timezone.localdate()
        kwargs.setdefault("initial", {"returned_on": today})
        super().__init__(*args, **kwargs)
        self.fields["returned_on"].widget.attrs["max"] = today.isoformat()
        if handover is not None:
            self.fields["returned_on"].widget.attrs["min"] = timezone.localdate(
                handover.handed_out_at
            ).isoformat()

    def clean_returned_on(self):
        returned_on = self.cleaned_data["returned_on"]
        if returned_on > timezone.localdate():
            raise forms.ValidationError(
                _("The return date cannot be in the future. Enter the day the passport came back.")
            )
        return returned_on

    def record(self, *, handover: PassportHandover, actor) -> PassportHandover | None:
        """services.passport_return on the day given (the form must be valid). A day the service refuses
        goes beside the date (None); PermissionDenied, and a passport someone else recorded a moment ago
        (a ValidationError of no field), are the caller's to report."""
        try:
            return passport_return(
                handover=handover, actor=actor, returned_on=self.cleaned_data["returned_on"]
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            add_service_errors(self, error, default_field="returned_on")
            return None


class NoticeFilterForm(PortalForm):
    """The public notices' search and kind filter; the values stay in the URL."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("An organisation's name or a reference such as HNFA-2026-000123."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of notice"),
        required=False,
        choices=[("", _("All notices")), *DisclosureKind.choices],
    )


class ObjectionForm(PortalForm):
    """An objection anyone files against an open public notice."""

    text = forms.CharField(
        label=_("Your objection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": "2000"}),
        help_text=_("What is wrong with this trip or report, and how you know it. At most 2000 characters."),
        error_messages={"required": _("Write what you object to.")},
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact = forms.CharField(
        label=_("Phone or e-mail (optional)"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
        help_text=_("Only if you want the office to be able to ask you about your objection."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_objection_%s")
        super().__init__(*args, **kwargs)
