"""Forms of safety alerts: the officer's compose form (back office) and the one-click answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from foreign_affairs.security.countries import destination_choices

from ..models import Answer, SafetyAlert


class AlertComposeForm(forms.ModelForm):
    """What the officer writes; services.alerts.alert_create checks it again and saves it."""

    country = forms.ChoiceField(label=_("Country"), choices=())

    class Meta:
        model = SafetyAlert
        fields = ["country", "city", "title", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Choose a country")), *destination_choices()]
        self.fields["city"].help_text = _("Leave empty to reach everyone in the whole country.")
        self.fields["message"].help_text = _(
            "What has happened and what to do. Each person gets it with two buttons: “safe” and “need help”."
        )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[(Answer.SAFE, _("I am safe")), (Answer.NEED_HELP, _("I need help"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose “I am safe” or “I need help”.")},
    )
