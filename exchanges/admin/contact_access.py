"""The whole access log of overseas-Chinese contacts in the back office: who looked at whose details, when
and through which door (the back-office page, the API, an export). Read-only: the log is written by
services.contacts.contact_view and nothing else; it names a contact by reference, which stays after an
erasure."""

from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs.admin_queue import TermSearchMixin

from ..models import ContactAccess
from .contact_filters import ACCESS_SEARCH_HELP, ViewerFilter, access_search_q


@admin.register(ContactAccess)
class ContactAccessAdmin(TermSearchMixin, admin.ModelAdmin):
    list_display = ["at_label", "reference_label", "viewer_label", "door"]
    list_display_links = None
    list_filter = ["door", ViewerFilter]
    list_select_related = ["viewer"]
    date_hierarchy = "at"
    search_fields = ["reference"]  # turns the search box on; the search itself is search_filter
    search_help_text = ACCESS_SEARCH_HELP
    ordering = ["-at", "-pk"]
    list_per_page = 100
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    empty_value_display = "—"
    change_list_template = "admin/exchanges/contactaccess/change_list.html"

    def search_filter(self, term: str):
        return access_search_q(term)

    def has_view_permission(self, request, obj=None):
        # Whoever reads the contacts reviews who read them (office staff only).
        user = request.user
        return user.is_office_staff and (
            super().has_view_permission(request, obj) or user.has_perm("exchanges.view_overseascontact")
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request,
            {
                "title": _("Who looked at overseas-Chinese contacts"),
                "is_nav_sidebar_enabled": False,
                **(extra_context or {}),
            },
        )

    @admin.display(description=_("at"), ordering="at")
    def at_label(self, access):
        return format_html(
            '<time datetime="{}">{}</time>',
            access.at.isoformat(),
            date_format(timezone.localtime(access.at), "DATETIME_FORMAT"),
        )

    @admin.display(description=_("contact's reference"), ordering="reference")
    def reference_label(self, access):
        if access.contact_id is None:
            return format_html(
                '{} <span class="app-muted" data-erased>{}</span>', access.reference, gettext("(erased)")
            )
        return access.reference

    @admin.display(description=_("viewed by"), ordering="viewer__last_name")
    def viewer_label(self, access):
        viewer = access.viewer
        name = viewer.get_full_name()
        if not name:
            return viewer.username
        return format_html('{} <span class="app-muted">{}</span>', name, viewer.username)
