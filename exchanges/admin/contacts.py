"""Overseas-Chinese contacts (侨领) in the back office: personal data for office staff only.

The list shows the reference, the name, the country, the association, the role and the consent — never a
phone, an e-mail or a WeChat — and is not logged. Every display of a contact's page (and of the page that
changes it) logs one look through services.contacts.contact_view, for every office role, and the page shows
the contact's own access log. Officers register and change contacts, export one person's data as JSON and
erase a person on request (with the request as reason): Django's own delete leads to that erasure rather
than around it. Leaders and managers read. The whole access log has a read-only list of its own
(contact_access.py).
"""

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs.admin_pages import OfficePageAdmin, autocomplete_response, short_date, timeline
from foreign_affairs.admin_queue import REFUSALS, is_officer, report_refusal
from foreign_affairs.security.countries import country_name

from .. import selectors
from ..models import AccessDoor, OverseasContact
from ..services import contacts as services
from . import contact_access  # noqa: F401  (registers the access log's list)
from .city_pages import activity_rows, object_audit_url
from .contact_filters import CONTACT_SEARCH_HELP, ConsentFilter, ContactCountryFilter, contact_search_q
from .contact_forms import ContactForm, EraseForm, activity_label

# The latest looks shown on the contact's page; the whole log is a link away.
ACCESSES_SHOWN = 20


@admin.register(OverseasContact)
class OverseasContactAdmin(OfficePageAdmin):
    list_display = ["reference", "name_label", "country_label", "association", "role", "consent_label"]
    list_display_links = ["reference"]
    list_filter = [ContactCountryFilter, ConsentFilter]
    search_fields = ["reference"]  # turns the search box on; the search itself is search_filter
    search_q = staticmethod(contact_search_q)
    search_help_text = CONTACT_SEARCH_HELP
    ordering = ["country", "name_latin", "name_zh", "pk"]
    change_list_template = "admin/exchanges/overseascontact/change_list.html"
    change_form_template = "admin/exchanges/overseascontact/change_form.html"
    form_page_template = "admin/projects/form_page.html"  # the contact's fields in sections
    erase_template = "admin/exchanges/overseascontact/erase.html"
    fields = ["reference"]
    readonly_fields = ["reference"]
    queue_title = _("Overseas-Chinese contacts")
    transitions = {}
    comment_session_key = "exchanges-contact-%s"
    not_found = _("There is no such overseas-Chinese contact.")

    def get_queryset(self, request):
        return selectors.contacts_for(request.user)

    def has_view_permission(self, request, obj=None):
        return request.user.is_office_staff and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return self.may_act(request)

    def has_delete_permission(self, request, obj=None):
        return False  # erased on the person's request instead (erase_view), never deleted without a reason

    # Columns: nothing to reach the person by

    @admin.display(description=_("name"), ordering="name_latin")
    def name_label(self, contact):
        if contact.name_zh and contact.name_latin:
            return format_html('{} <span class="app-muted">{}</span>', contact.name_zh, contact.name_latin)
        return contact.name_zh or contact.name_latin

    @admin.display(description=_("country of residence"), ordering="country")
    def country_label(self, contact):
        return country_name(contact.country.code) if contact.country else self.empty_value_display

    @admin.display(description=_("consent"), ordering="consent_on")
    def consent_label(self, contact):
        if not contact.consent_recorded:
            return format_html(
                '<span class="queue-badge queue-rule-warning" data-consent="no">{}</span>',
                gettext("Consent not recorded"),
            )
        return format_html(
            '<span data-consent="yes">{}</span> <span class="app-muted">{}</span>',
            gettext("Yes"),
            short_date(contact.consent_on),
        )

    def changelist_view(self, request, extra_context=None):
        context = {
            "add_url": self._url("add") if self.has_add_permission(request) else "",
            "access_log_url": reverse("admin:exchanges_contactaccess_changelist"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    # Registered, changed

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ContactForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            contact = self.run_form_service(
                request,
                form,
                lambda: services.contact_create(
                    actor=request.user, data=form.service_data(changed_only=False)
                ),
            )
            if contact:
                messages.success(
                    request, gettext("%(reference)s is registered.") % {"reference": contact.reference}
                )
                return redirect(self._url("change", contact.pk))
            if contact is False:
                return redirect(self._url("changelist"))
        return self.render_form_page(
            request,
            form,
            title=_("Register an overseas-Chinese contact"),
            intro=_(
                "Personal data: office staff read it, and every look at the contact's details is logged. Register "
                "only what the office needs to stay in touch, with the person's consent."
            ),
            submit=_("Register the contact"),
            cancel_url=self._url("changelist"),
        )

    def edit_view(self, request, object_id):
        contact = self._acting_object(request, object_id)
        back = self._url("change", contact.pk, request=request)
        form = ContactForm(request.POST or None, instance=contact)
        if request.method == "POST" and form.is_valid():
            data = form.service_data(changed_only=True)
            changed = self.run_form_service(
                request, form, lambda: services.contact_update(contact=contact, actor=request.user, data=data)
            )
            if changed is not None:
                if changed and data:
                    messages.success(request, gettext("The contact is saved."))
                elif changed:
                    messages.info(request, gettext("Nothing was changed."))
                return redirect(back)
        # The form shows the contact's details: a look like any other.
        services.contact_view(contact=contact, actor=request.user, door=AccessDoor.PAGE)
        return self.render_form_page(
            request,
            form,
            obj=contact,
            title=gettext("Change %(reference)s") % {"reference": contact.reference},
            intro=_(
                "Officers keep the registry. Opening this page is logged as a look at the contact's details."
            ),
            submit=_("Save the contact"),
            cancel_url=back,
        )

    # The page: every display is a logged look

    def page_context(self, request, contact) -> dict:
        services.contact_view(contact=contact, actor=request.user, door=AccessDoor.PAGE)
        officer = self.may_act(request)
        accesses = contact.accesses.select_related("viewer").order_by("-at", "-pk")
        shown = list(accesses[: ACCESSES_SHOWN + 1])
        log_url = (
            f"{reverse('admin:exchanges_contactaccess_changelist')}?{urlencode({'q': contact.reference})}"
        )
        return {
            "contact": contact,
            "crumb": contact.reference,
            "country": country_name(contact.country.code) if contact.country else "",
            "activities": activity_rows(
                selectors.activities_for(request.user).filter(overseas_contacts=contact)
            ),
            "accesses": shown[:ACCESSES_SHOWN],
            "more_accesses": len(shown) > ACCESSES_SHOWN,
            "access_log_url": log_url,
            "events": timeline(contact),
            "edit_url": self._url("edit", contact.pk, request=request) if officer else "",
            "export_url": self._url("export", contact.pk) if officer else "",
            "erase_url": self._url("erase", contact.pk) if officer else "",
            "audit_url": object_audit_url(contact),
        }

    def admin_views(self) -> list[tuple]:
        return [
            ("activities/", self.activity_search_view, "activities"),
            ("<path:object_id>/edit/", self.edit_view, "edit"),
            ("<path:object_id>/export/", self.export_view, "export"),
            ("<path:object_id>/erase/", self.erase_view, "erase"),
        ]

    # On the person's request

    def export_view(self, request, object_id):
        """Everything held about the person, as a JSON file (POST: the export is logged and audited)."""
        contact = self._acting_object(request, object_id)
        if request.method != "POST":
            return self._back(request, contact)
        try:
            data = services.contact_export(contact=contact, actor=request.user)
        except REFUSALS as error:
            report_refusal(request, error)
            return self._back(request, contact)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{contact.reference}-personal-data.json"'
        response["Cache-Control"] = "no-store"
        return response

    def erase_view(self, request, object_id):
        """The confirmation asking for the person's request; POST erases through the service and goes back to
        the list. The page names the person as the list does (no contact details: no look is logged)."""
        contact = self._acting_object(request, object_id)
        form = EraseForm(request.POST or None, contact=contact)
        if request.method == "POST" and form.is_valid():
            try:
                reference = services.contact_erase(contact=contact, actor=request.user, reason=form.reason())
            except ValidationError as error:
                form.add_error(None, error.messages)
            except REFUSALS as error:
                report_refusal(request, error)
                return self._back(request, contact)
            else:
                messages.success(
                    request,
                    gettext(
                        "%(reference)s is erased. The access log and the audit log keep its reference only."
                    )
                    % {"reference": reference},
                )
                return redirect(self._url("changelist"))
        context = {
            **self.admin_site.each_context(request),
            **self.wide_pages,
            "title": gettext("Erase %(reference)s on the person's request")
            % {"reference": contact.reference},
            "opts": self.opts,
            "original": contact,
            "contact": contact,
            "country": country_name(contact.country.code) if contact.country else "",
            "form": form,
            "cancel_url": self._url("change", contact.pk),
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.erase_template, context)

    def delete_view(self, request, object_id, extra_context=None):
        """Django's own delete would leave no reason behind: it leads to the erasure instead."""
        contact = self._acting_object(request, object_id)
        return redirect(self._url("erase", contact.pk))

    # The form's autocomplete

    def activity_search_view(self, request):
        """The activities whose reference or titles hold the term, for the contact form's exchanges
        (select2's JSON)."""
        if not is_officer(request.user):
            raise PermissionDenied
        term = request.GET.get("term", "").strip()[:100]
        found = selectors.activities_for(request.user).order_by("-starts_on", "-pk")
        if term:
            found = found.filter(
                Q(reference__iexact=term) | Q(title_zh__icontains=term) | Q(title_en__icontains=term)
            )
        return autocomplete_response(request, found, activity_label)
