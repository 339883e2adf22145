"""The registry of friendship cities in the back office, and a pair's page.

The list shows every pair with its health badge (health.annotate's level, the reasons on hover), the figures
behind it (last exchange, exchanges in three years, active projects, next renewal), the quietest first, in a
fixed number of queries: the office sees at a glance which relationships are going quiet. The page is
read-only: the health box with every reason, the agreements (recorded with their document), the cooperation
projects of area 3 (linked by reference, unlinked), the pair's activities and the timeline. Its forms call
exchanges.services.cities, which check the role, lock the row and audit; officers act, leaders and managers
read. The fields change on a page of their own; officers also register a pair ("add").
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, F, IntegerField, Value, When
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs.admin_pages import (
    OfficePageAdmin,
    badge,
    days_late,
    form_error_messages,
    labelled,
    overdue_badge,
    short_date,
)
from foreign_affairs.admin_queue import REFUSALS, report_refusal
from foreign_affairs.security.countries import country_name
from projects import selectors as project_selectors

from .. import health, selectors
from ..health import HEALTH_TONES, Health
from ..models import FriendshipCity
from ..services import cities as services
from .city_filters import (
    CITY_SEARCH_HELP,
    CountryFilter,
    HealthFilter,
    HenanCityFilter,
    KindFilter,
    city_search_q,
)
from .city_forms import AgreementForm, CityForm, ProjectLinkForm
from .city_pages import (
    activity_rows,
    agreement_rows,
    city_timeline,
    health_tag,
    object_audit_url,
    project_rows,
)

# Dormant first, then those needing attention: the list's default order and the badge column's.
HEALTH_RANK = Case(
    When(health=Health.DORMANT, then=Value(0)),
    When(health=Health.ATTENTION, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


@admin.register(FriendshipCity)
class FriendshipCityAdmin(OfficePageAdmin):
    list_display = [
        "health_label",
        "henan_label",
        "foreign_label",
        "country_label",
        "kind_label",
        "established",
        "last_exchange_label",
        "exchanges_label",
        "projects_label",
        "renewal_label",
    ]
    list_display_links = ["foreign_label"]
    list_filter = [HealthFilter, KindFilter, CountryFilter, HenanCityFilter]
    # Turns the search box on (and the autocomplete of the activities' friendship city); the search itself
    # is search_filter.
    search_fields = ["henan_name_zh", "foreign_name_zh"]
    search_q = staticmethod(city_search_q)
    search_help_text = CITY_SEARCH_HELP
    change_list_template = "admin/exchanges/friendshipcity/change_list.html"
    change_form_template = "admin/exchanges/friendshipcity/change_form.html"
    form_page_template = "admin/projects/form_page.html"  # the pair's fields in sections
    fields = ["henan_name_zh"]
    readonly_fields = ["henan_name_zh"]
    queue_title = _("Friendship cities and the health of each relationship")
    transitions = {}
    comment_session_key = "exchanges-city-%s"
    agreement_session_key = "exchanges-city-agreement-%s"
    not_found = _("There is no such friendship city.")

    def get_queryset(self, request):
        return selectors.cities_with_health(request.user).annotate(health_rank=HEALTH_RANK)

    def has_add_permission(self, request):
        return self.may_act(request)

    def get_ordering(self, request):
        # The quietest first: dormant, then needing attention, the longest without an exchange first (names
        # of annotations, which the admin's `ordering` attribute cannot hold).
        quiet_since = F("health_since").asc(nulls_last=True)
        return ["health_rank", quiet_since, "henan_name_en", "foreign_name_en", "pk"]

    def subject(self, city) -> str:
        return str(city)

    def view_on_site(self, city):
        """The public page exists only for the pairs shown on the public site."""
        return city.get_absolute_url() if city.public else None

    # Columns

    def _assessment(self, city):
        if not hasattr(city, "_assessment"):
            city._assessment = health.assess_annotated(city, timezone.localdate())
        return city._assessment

    @admin.display(description=_("health"), ordering="health_rank")
    def health_label(self, city):
        assessment = self._assessment(city)
        return format_html(
            '<a href="{}#health" class="city-health" title="{}" data-reasons="{}">{}</a>',
            reverse("admin:exchanges_friendshipcity_change", args=[city.pk]),
            "\n".join(assessment.reasons),
            len(assessment.reasons),
            health_tag(city.health),
        )

    @admin.display(description=_("Henan city"), ordering="henan_name_zh")
    def henan_label(self, city):
        return city.henan_name

    @admin.display(description=_("foreign city"), ordering="foreign_name_zh")
    def foreign_label(self, city):
        return city.foreign_name

    @admin.display(description=_("country"), ordering="country")
    def country_label(self, city):
        return country_name(city.country.code) if city.country else self.empty_value_display

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, city):
        return city.get_kind_display()

    @admin.display(description=_("established"), ordering="established_on")
    def established(self, city):
        return short_date(city.established_on)

    @admin.display(description=_("last exchange"), ordering=F("last_exchange").asc(nulls_first=True))
    def last_exchange_label(self, city):
        if city.last_exchange is None:
            return format_html('<span class="app-muted">{}</span>', gettext("none yet"))
        return short_date(city.last_exchange)

    @admin.display(description=_("exchanges in 3 years"), ordering="exchanges_3y")
    def exchanges_label(self, city):
        return city.exchanges_3y

    @admin.display(description=_("active projects"), ordering="active_projects")
    def projects_label(self, city):
        return city.active_projects

    @admin.display(description=_("next renewal"), ordering=F("next_renewal").asc(nulls_last=True))
    def renewal_label(self, city):
        if city.next_renewal is None:
            return self.empty_value_display
        day = format_html('<span class="queue-due">{}</span>', short_date(city.next_renewal))
        late = days_late(city.next_renewal)
        if late:
            return format_html("{} {}", day, overdue_badge(late))
        if city.next_renewal <= timezone.localdate() + timedelta(days=health.renewal_warning_days()):
            return format_html("{} {}", day, badge("queue-rule-warning", gettext("soon"), renewal="soon"))
        return day

    # The list

    def changelist_view(self, request, extra_context=None):
        context = {
            "add_url": self._url("add") if self.has_add_permission(request) else "",
            "presets": self.presets(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def presets(self, request) -> list[dict]:
        """All pairs and each health level, with their counts (one query), as tabs above the list."""
        counts = dict(
            selectors.cities_with_health(request.user)
            .order_by()
            .values_list("health")
            .annotate(total=Count("pk"))
        )
        base = self._url("changelist")
        chosen = request.GET.get("health", "")
        rows = [("", gettext("All pairs"), sum(counts.values()))]
        rows += [
            (level, Health(level).label, counts.get(level, 0))
            for level in (Health.DORMANT, Health.ATTENTION, Health.ACTIVE)
        ]
        return [
            {
                "label": label,
                "count": count,
                "url": f"{base}?health={level}" if level else base,
                "current": chosen == level,
                "key": level or "all",
                "tone": HEALTH_TONES[Health(level)] if level else "",
            }
            for level, label, count in rows
        ]

    # A pair registered, its fields changed

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = CityForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            city = self.run_form_service(
                request,
                form,
                lambda: services.city_create(actor=request.user, data=form.service_data(changed_only=False)),
            )
            if city:
                messages.success(request, gettext("%(pair)s is registered.") % {"pair": city})
                return redirect(self._url("change", city.pk))
            if city is False:
                return redirect(self._url("changelist"))
        return self.render_form_page(
            request,
            form,
            title=_("Register a friendship city"),
            intro=_(
                "A formal friendship city or a friendly exchange relationship of a Henan city or of the province. "
                "Record its agreements on the pair's page once it is registered."
            ),
            submit=_("Register the pair"),
            cancel_url=self._url("changelist"),
        )

    def edit_view(self, request, object_id):
        city = self._acting_object(request, object_id)
        back = self._url("change", city.pk, request=request)
        form = CityForm(request.POST or None, instance=city)
        if request.method == "POST" and form.is_valid():
            data = form.service_data(changed_only=True)
            changed = self.run_form_service(
                request, form, lambda: services.city_update(city=city, actor=request.user, data=data)
            )
            if changed is not None:
                if changed and data:
                    messages.success(request, gettext("The friendship city is saved."))
                elif changed:
                    messages.info(request, gettext("Nothing was changed."))
                return redirect(back)
        intro = _("Officers keep the registry.")
        if city.public:
            intro = _("This pair is shown on the public site: what you save here shows on its page at once.")
        return self.render_form_page(
            request,
            form,
            obj=city,
            title=gettext("Change %(pair)s") % {"pair": city},
            intro=intro,
            submit=_("Save the friendship city"),
            cancel_url=back,
        )

    # The page

    def page_context(self, request, city) -> dict:
        officer = self.may_act(request)
        assessment = selectors.city_assessment(city)
        return {
            "city": city,
            "crumb": str(city),
            "assessment": assessment,
            "reasons_text": "\n".join(assessment.reasons),
            "health_tag": health_tag(assessment.level),
            "country": country_name(city.country.code) if city.country else "",
            "agreements": agreement_rows(city),
            "projects": project_rows(city),
            "activities": activity_rows(selectors.activities_for(request.user).filter(friendship_city=city)),
            "events": city_timeline(city),
            "public_url": city.get_absolute_url() if city.public else "",
            "edit_url": self._url("edit", city.pk, request=request) if officer else "",
            "agreement_form": self.kept_agreement_form(request, city) if officer else None,
            "project_form": ProjectLinkForm() if officer else None,
            "urls": {name: self._url(name, city.pk, request=request) for name in ("agreement", "project")},
            "audit_url": object_audit_url(city),
        }

    def kept_agreement_form(self, request, city):
        """The agreement form, with what the officer typed and the errors after a refusal (the file itself
        cannot be kept: the browser sends it again only when chosen again)."""
        kept = request.session.pop(self.agreement_session_key % city.pk, None)
        if not kept:
            return AgreementForm()
        form = AgreementForm(kept["data"])
        form.is_valid()
        for field, errors in kept.get("errors", {}).items():
            form.add_error(field if field in form.fields else None, errors)
        return form

    def admin_views(self) -> list[tuple]:
        return [
            ("<path:object_id>/edit/", self.edit_view, "edit"),
            ("<path:object_id>/agreement/", self.agreement_view, "agreement"),
            ("<path:object_id>/project/", self.project_view, "project"),
        ]

    # The forms' views: each calls one service and comes back to the page

    def agreement_view(self, request, object_id):
        city = self._acting_object(request, object_id)
        if request.method != "POST":
            return self._back(request, city, "agreements")
        form = AgreementForm(request.POST, request.FILES)
        errors = {}
        if form.is_valid():
            try:
                agreement = services.agreement_add(
                    city=city,
                    actor=request.user,
                    data=form.service_data(),
                    uploaded_file=form.cleaned_data["document"],
                )
            except ValidationError as error:
                # A refused file (validate_upload's single message) belongs beside the file field.
                errors = error.message_dict if hasattr(error, "error_dict") else {"document": error.messages}
            except REFUSALS as error:
                report_refusal(request, error)
                return self._back(request, city, "agreements")
            else:
                messages.success(
                    request, gettext("The agreement “%(title)s” is recorded.") % {"title": agreement.title}
                )
                return self._back(request, city, "agreements")
        if errors or form.errors:
            shown = AgreementForm(request.POST)
            shown.is_valid()
            for field, messages_ in errors.items():
                shown.add_error(field if field in shown.fields else None, messages_)
            messages.error(
                request,
                gettext("The agreement is not recorded: %(errors)s")
                % {"errors": " ".join(form_error_messages(shown))},
            )
            request.session[self.agreement_session_key % city.pk] = {
                "data": {key: value for key, value in request.POST.items() if key.startswith("agreement-")},
                "errors": errors,
            }
        return self._back(request, city, "agreements")

    def project_view(self, request, object_id):
        """A cooperation project linked by its reference, or unlinked."""
        city = self._acting_object(request, object_id)
        if request.method != "POST":
            return self._back(request, city, "projects")
        if request.POST.get("action") == "unlink":
            project = city.projects.filter(pk=request.POST.get("project") or None).first()
            if project is None:
                messages.warning(request, gettext("That project is no longer linked to the pair."))
                return self._back(request, city, "projects")
            linked = False
        else:
            form = ProjectLinkForm(request.POST)
            if not form.is_valid():
                messages.error(request, " ".join(form_error_messages(form)))
                return self._back(request, city, "projects")
            reference = form.cleaned_data["reference"].strip()
            project = (
                project_selectors.project_list_for(request.user)
                .prefetch_related(None)
                .filter(reference__iexact=reference)
                .first()
            )
            if project is None:
                messages.error(
                    request,
                    gettext("No cooperation project has the reference “%(reference)s”.")
                    % {"reference": reference},
                )
                return self._back(request, city, "projects")
            if city.projects.filter(pk=project.pk).exists():
                messages.info(
                    request,
                    gettext("%(reference)s is linked to the pair already.")
                    % {"reference": project.reference},
                )
                return self._back(request, city, "projects")
            linked = True
        try:
            services.project_link(city=city, actor=request.user, project=project, linked=linked)
        except REFUSALS as error:
            report_refusal(
                request, labelled(error, FriendshipCity) if isinstance(error, ValidationError) else error
            )
        else:
            done = (
                gettext("%(reference)s is linked to the pair.")
                if linked
                else gettext("%(reference)s is no longer linked to the pair.")
            )
            messages.success(request, done % {"reference": project.reference})
        return self._back(request, city, "projects")
