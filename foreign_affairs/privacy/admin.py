"""Back office of personal information: the access records (read only, for everyone: nobody adds, changes
or deletes one), a person's or an account's access history (the list filtered on them, titled so), and the
unusual-access report (accounts that looked at many different people in one day), with its CSV.

Office staff read them with `privacy.view_personaldataaccess` (given to the office roles); superusers
always."""

import csv
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.models import Person, User
from foreign_affairs.reports.exporters.cells import text_cell

from . import selectors
from .filters import PeriodForm
from .models import PersonalDataAccess

UNUSUAL_PAGE = 100


def access_history_url(person_id: int) -> str:
    """The back office's list of the looks at one person's data: their access history (accounts' Person
    page links to it)."""
    url = reverse("admin:privacy_personaldataaccess_changelist")
    return f"{url}?{urlencode({'person__id__exact': person_id})}"


class WhoFilter(admin.SimpleListFilter):
    """An office account (the office's staff are few), or every organisation's staff at once. Any account
    through ?user__id__exact= (the unusual-access report links so)."""

    title = _("who")
    parameter_name = "user__id__exact"
    ORGANIZATIONS = "organizations"

    def lookups(self, request, model_admin):
        office = User.objects.filter(pk__in=selectors.office_accounts()).order_by("last_name", "first_name")
        return [
            *((str(user.pk), str(user)) for user in office),
            (self.ORGANIZATIONS, _("Staff of the organisations")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.ORGANIZATIONS:
            return queryset.filter(user__isnull=False).exclude(user__in=selectors.office_accounts())
        if value and value.isdigit() and len(value) < 19:
            return queryset.filter(user_id=int(value))
        return queryset


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """Read only: an access record is evidence, so there is nothing to add, change or delete here."""

    change_list_template = "privacy/admin/access_change_list.html"
    list_display = ["at", "user", "whose", "organization", "seen", "door", "case"]
    list_filter = ["seen", "door", WhoFilter, "organization", ("at", admin.DateFieldListFilter)]
    list_select_related = ["user", "person", "organization"]
    search_fields = ["^case"]
    search_help_text = _("The case's reference, or its beginning.")
    show_full_result_count = False
    actions = None
    fields = ["at", "user", "person", "organization", "seen", "door", "case", "path"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return selectors.reads_all_access(request.user)

    def has_module_permission(self, request):
        return selectors.reads_all_access(request.user)

    @admin.display(description=_("whose"), ordering="person__full_name")
    def whose(self, obj):
        if obj.person_id is None:
            return "—"
        return format_html('<a href="{}">{}</a>', access_history_url(obj.person_id), obj.person)

    def changelist_view(self, request, extra_context=None):
        extra = {"unusual_url": reverse("admin:privacy_personaldataaccess_unusual"), **(extra_context or {})}
        title = self._history_title(request)
        if title:
            extra["title"] = title
        return super().changelist_view(request, extra_context=extra)

    def _history_title(self, request) -> str:
        """A person's (or an account's) access history says whose it is."""
        person_id = request.GET.get("person__id__exact", "")
        if person_id.isdigit() and len(person_id) < 19:
            person = Person.objects.select_related("organization").filter(pk=int(person_id)).first()
            if person is not None:
                return gettext("Access history of %(person)s (%(organization)s)") % {
                    "person": person.full_name,
                    "organization": person.organization,
                }
        user_id = request.GET.get("user__id__exact", "")
        if user_id.isdigit() and len(user_id) < 19:
            user = User.objects.filter(pk=int(user_id)).first()
            if user is not None:
                return gettext("Personal data looked at by %(user)s") % {"user": user}
        return ""

    # The unusual-access report

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("unusual/", view(self.unusual_view), name="privacy_personaldataaccess_unusual"),
            path("unusual/csv/", view(self.unusual_csv_view), name="privacy_personaldataaccess_unusual_csv"),
            *super().get_urls(),
        ]

    def _unusual_rows(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = PeriodForm(request.GET or None)
        first, last = form.period()
        return form, first, last, selectors.unusual_access(first, last)

    def unusual_view(self, request):
        form, first, last, rows = self._unusual_rows(request)
        page = Paginator(rows, UNUSUAL_PAGE).get_page(request.GET.get("page"))
        changelist = reverse("admin:privacy_personaldataaccess_changelist")
        for row in page.object_list:
            row["name"] = selectors.account_name(row)
            start = selectors.day_start(row["day"])
            row["records_url"] = f"{changelist}?" + urlencode(
                {
                    "user__id__exact": row["user"],
                    "at__gte": start.isoformat(sep=" "),
                    "at__lt": (start + timedelta(days=1)).isoformat(sep=" "),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Unusual access"),
            "form": form,
            "page": page,
            "threshold": selectors.unusual_threshold(),
            "period": f"{date_format(first, 'DATE_FORMAT')} – {date_format(last, 'DATE_FORMAT')}",
            "csv_url": reverse("admin:privacy_personaldataaccess_unusual_csv")
            + "?"
            + urlencode({"date_from": first.isoformat(), "date_to": last.isoformat()}),
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "privacy/admin/unusual.html", context)

    def unusual_csv_view(self, request):
        """The report as CSV (UTF-8 with a byte-order mark, as the reports' exports): the accounts' names and
        counts, no personal data of the people looked at."""
        _form, first, last, rows = self._unusual_rows(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="unusual-access-{first}-{last}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        office = timezone.get_default_timezone()
        writer.writerow(
            [
                gettext("Day"),
                gettext("Account"),
                gettext("Name"),
                gettext("Different people"),
                gettext("Records"),
                gettext("First look"),
                gettext("Last look"),
            ]
        )
        for row in rows.iterator():
            writer.writerow(
                [
                    row["day"].isoformat(),
                    text_cell(row["user__username"]),
                    text_cell(selectors.account_name(row)),
                    row["people"],
                    row["looks"],
                    timezone.localtime(row["first_at"], office).isoformat(),
                    timezone.localtime(row["last_at"], office).isoformat(),
                ]
            )
        return response


# The back office of retention rules and of a person's data (export, erasure) is registered in
# admin_retention.py and admin_person.py, imported here.
from . import admin_retention  # noqa: E402, F401 (the retention rules, the dry run and "Purge now")
