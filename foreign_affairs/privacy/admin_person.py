"""A person's rights in the back office: "Export personal data" (the ZIP of privacy.person_data) and "Erase
on request" (the duties that prevent it, or the request's reason and a confirmation), on the person's page.

    class PersonAdmin(PersonPrivacyAdminMixin, admin.ModelAdmin): ...

Office staff with the permissions privacy.export_person_data and privacy.erase_person (accounts.roles).
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import person_data

EXPORT_PERMISSION = "privacy.export_person_data"
ERASE_PERMISSION = "privacy.erase_person"


def may_export(user) -> bool:
    return user.is_active and user.is_office_staff and user.has_perm(EXPORT_PERMISSION)


def may_erase(user) -> bool:
    return user.is_active and user.is_office_staff and user.has_perm(ERASE_PERMISSION)


class EraseForm(forms.Form):
    reason = forms.CharField(
        label=_("The person's request"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "When and how the person asked (e.g. “letter of 3 March 2026, reference 12”). "
            "Do not write their name: the audit log keeps this text."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I confirm that the person asked for the erasure and that it cannot be undone."),
    )


def zip_response(person, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{person_data.export_filename(person)}"'
    response["Cache-Control"] = "no-store"
    return response


class PersonPrivacyAdminMixin:
    """Adds the export and erasure pages to the person's admin, and their links to its change form."""

    change_form_template = "admin/privacy/person_change_form.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/personal-data/",
                self.admin_site.admin_view(self.personal_data_export_view),
                name="{}_{}_personal_data_export".format(*info),
            ),
            path(
                "<path:object_id>/erase/",
                self.admin_site.admin_view(self.personal_data_erase_view),
                name="{}_{}_personal_data_erase".format(*info),
            ),
            *super().get_urls(),
        ]

    def _privacy_url(self, name: str, pk) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_personal_data_{name}", args=[pk])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context.update(
                personal_data_export_url=self._privacy_url("export", obj.pk)
                if may_export(request.user)
                else "",
                personal_data_erase_url=self._privacy_url("erase", obj.pk) if may_erase(request.user) else "",
                access_history_url=(
                    f"{reverse('admin:privacy_personaldataaccess_changelist')}?person__id__exact={obj.pk}"
                    if request.user.has_perm("privacy.view_personaldataaccess")
                    else ""
                ),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _person(self, request, object_id, allowed):
        if not allowed(request.user):
            raise PermissionDenied
        person = self.get_object(request, unquote(object_id))
        if person is None:
            raise Http404(gettext("There is no such person."))
        return person

    def personal_data_export_view(self, request, object_id):
        person = self._person(request, object_id, may_export)
        return zip_response(person, person_data.export(person, actor=request.user, request=request))

    def personal_data_erase_view(self, request, object_id):
        person = self._person(request, object_id, may_erase)
        duties = person_data.duties(person)
        form = EraseForm(request.POST if request.method == "POST" and not duties else None)
        if request.method == "POST" and not duties and form.is_valid():
            pk = person.pk
            try:
                person_data.erase(person, actor=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                duties = list(error.messages)
            else:
                messages.success(
                    request, gettext("Person #%(pk)s is erased: nothing about them is kept.") % {"pk": pk}
                )
                return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Erase on request"),
            "person": person,
            "duties": duties,
            "form": None if duties else form,
            "change_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[person.pk]
            ),
            "export_url": self._privacy_url("export", person.pk) if may_export(request.user) else "",
        }
        return TemplateResponse(request, "admin/privacy/person_erase.html", context)
