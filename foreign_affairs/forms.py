"""Form plumbing shared by every area: Bootstrap classes and accessible error wiring."""

from django import forms
from django.core.exceptions import ValidationError


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


def run_service(form, call):
    """Run a service and return its result; its validation errors go onto the form (result None)."""
    try:
        return call()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None
