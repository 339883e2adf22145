"""Change requests (变更申请): one form per kind, each giving the proposal services.changes.PROPOSAL_FIELDS
names, and the reason. The service checks the proposal against the registry (a change that changes
nothing, an expired passport, a closing date before the registration) and its refusals come back beside
the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.forms import PortalForm

from ..services.changes import PROPOSAL_FIELDS
from ..workflow import ChangeKind


class ChangeForm(PortalForm):
    """The common part: the optional reason. Subclasses add the proposal's fields and `kind`."""

    kind: str = ""

    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything the office should know to approve the change."),
    )

    def __init__(self, data=None, *, organisation, **kwargs):
        self.organisation = organisation
        super().__init__(data, initial=self.initial_for(organisation), **kwargs)
        # The reason last, after the proposal.
        self.order_fields([*PROPOSAL_FIELDS[self.kind], "reason"])

    def initial_for(self, organisation) -> dict:
        return {}

    def proposal(self) -> dict:
        proposed = {}
        for field in PROPOSAL_FIELDS[self.kind]:
            value = self.cleaned_data.get(field)
            proposed[field] = value.isoformat() if hasattr(value, "isoformat") else value
        return proposed


class ChiefRepresentativeForm(ChangeForm):
    kind = ChangeKind.CHIEF_REPRESENTATIVE

    full_name = forms.CharField(
        label=_("Full name"), max_length=100, help_text=_("As written in the passport.")
    )
    passport_number = forms.CharField(label=_("Passport number"), max_length=20)
    passport_expiry = forms.DateField(label=_("Passport expiry date"), help_text=_("YYYY-MM-DD"))
    position = forms.CharField(
        label=_("Position"),
        max_length=100,
        required=False,
        help_text=_("The title in the parent organisation, e.g. “Chief Representative, China”."),
    )


class AddressForm(ChangeForm):
    kind = ChangeKind.ADDRESS

    address = forms.CharField(
        label=_("New address in Henan"),
        max_length=300,
        help_text=_("Street, number, building and room, as on the lease."),
    )
    ftz_area = forms.ChoiceField(label=_("Free trade zone area"), choices=FTZArea.choices)

    def initial_for(self, organisation) -> dict:
        return {"ftz_area": organisation.ftz_area}


class NameForm(ChangeForm):
    kind = ChangeKind.NAME

    name = forms.CharField(label=_("Name (original)"), max_length=200)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200)

    def initial_for(self, organisation) -> dict:
        return {"name": organisation.name, "name_zh": organisation.name_zh}


class StaffForm(ChangeForm):
    kind = ChangeKind.STAFF

    staff_foreign = forms.IntegerField(label=_("Foreign staff"), min_value=0, max_value=100000)
    staff_local = forms.IntegerField(label=_("Local staff"), min_value=0, max_value=100000)

    def initial_for(self, organisation) -> dict:
        return {"staff_foreign": organisation.staff_foreign, "staff_local": organisation.staff_local}


class ClosureForm(ChangeForm):
    """Closing the office (注销): the last day, a reason, and a confirmation that it cannot be undone."""

    kind = ChangeKind.CLOSURE

    closing_on = forms.DateField(
        label=_("Last day of the office"),
        help_text=_("The day the office stops working in Henan."),
        error_messages={"required": _("Give the last day of the office.")},
    )
    confirm = forms.BooleanField(
        label=_("We understand that closing the office cannot be undone."),
        error_messages={"required": _("Confirm that you want to close the office.")},
    )

    reason = forms.CharField(
        label=_("Why the office closes"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the office closes.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["closing_on", "reason", "confirm"])


FORMS = {form.kind: form for form in (ChiefRepresentativeForm, AddressForm, NameForm, StaffForm, ClosureForm)}
