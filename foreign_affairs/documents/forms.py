from django import forms
from django.utils.translation import gettext_lazy as _

from foreign_affairs.forms import PortalForm

from .models import DocumentKind
from .validators import ACCEPT_ATTRIBUTE


class DocumentUploadForm(PortalForm):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Optional; the file name is used when empty."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
