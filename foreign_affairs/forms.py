"""Form plumbing shared by every area: Bootstrap classes and accessible error wiring, a service's
refusals on the form, and the comment of a state change."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PortalFormMixin:
    """Gives widgets Bootstrap classes, marks invalid fields and ties hints and errors to inputs.

    Fields render through templates/django/forms/field.html (label above, hint, error beside the
    field); templates/includes/form_errors.html shows the summary at the top of the form.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            elif isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                css = ""
            else:
                css = "form-control"
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"
            if css:
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if field.help_text:
                widget.attrs["aria-describedby"] = f"{self._id_for(name)}_hint"

    def _id_for(self, name: str) -> str:
        return self[name].auto_id or self.add_prefix(name)

    def full_clean(self):
        super().full_clean()
        # Errors are known only now; mark the widgets again so the re-rendered form shows them.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"
                ids = widget.attrs.get("aria-describedby", "").split()
                error_id = f"{self._id_for(name)}_error"
                if error_id not in ids:
                    widget.attrs["aria-describedby"] = " ".join([*ids, error_id])


class PortalForm(PortalFormMixin, forms.Form):
    pass


class PortalModelForm(PortalFormMixin, forms.ModelForm):
    pass


def add_service_errors(form, error: ValidationError, *, default_field: str | None = None) -> None:
    """A service's ValidationError on the form: each message beside its field, the others at the top
    (or beside `default_field`)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else default_field, errors)
    else:
        form.add_error(default_field, error)


def run_service(form, call):
    """Run a service and return its result; its validation errors go onto the form (result None)."""
    try:
        return call()
    except ValidationError as error:
        add_service_errors(form, error)
        return None


class TransitionForm(PortalForm):
    """The comment (or reason) of a state change; required where the workflow or a destructive step asks."""

    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, required: bool = False, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["comment"]
        field.required = required
        if label:
            field.label = label
        if required:
            field.error_messages["required"] = _("Say why, so that everyone involved knows.")


def transition_form(name: str, info, data=None) -> TransitionForm:
    """The comment form of transition `name` (foreign_affairs.fsm.TransitionInfo `info`): a required
    reason where the workflow asks for one or the step is destructive, an optional comment otherwise."""
    required = info.comment == "required" or info.destructive
    return TransitionForm(
        data,
        required=required,
        label=_("Reason") if required else _("Comment (optional)"),
        auto_id=f"id_{name}_%s",
    )
