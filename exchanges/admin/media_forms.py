"""The back office's form of a foreign journalist's interview request: the office's arrangements (the
journalist's own request is never edited by the office), checked again and saved by
exchanges.services.media.media_request_update."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.utils.translation import gettext_lazy as _

from foreign_affairs.admin_pages import DateInput

from ..models import MediaRequest
from ..services.media import OFFICE_FIELDS
from .activity_forms import ServiceModelForm
from .common_activities import office_staff, staff_label


class ArrangementsForm(ServiceModelForm):
    """Whom and what the journalist sees, when, with which escort of the office, and the activity the
    interview belongs to."""

    class Meta:
        model = MediaRequest
        fields = OFFICE_FIELDS
        widgets = {
            "arranged_interviewees": forms.Textarea(attrs={"rows": 3}),
            "arranged_sites": forms.Textarea(attrs={"rows": 3}),
            "office_note": forms.Textarea(attrs={"rows": 3}),
            "activity": AutocompleteSelect(MediaRequest._meta.get_field("activity"), admin.site),
        }
        help_texts = {
            "arranged_interviewees": _("Names and positions, one per line."),
            "escort": _("A member of the office who accompanies the journalist."),
            "activity": _("Type a reference or words of a title."),
            "office_note": _("For the office only: the journalist never reads it."),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "arrangements")
        super().__init__(*args, **kwargs)
        self.fields["arranged_on"].widget = DateInput()
        escort = self.fields["escort"]
        escort.queryset = office_staff()
        escort.label_from_instance = staff_label
