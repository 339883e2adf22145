"""Pages of the overseas sites and the staff stationed there (境外机构和人员备案), under /safety/.

Enterprise users see their own organisation's sites and stationed staff (another organisation's answers
404); its foreign-affairs liaison registers, changes, closes and ends them. Office staff see every
organisation's (with an organisation filter); officers may correct any. Every write goes through
overseas_safety.services.sites; its refusals come back beside the fields (ValidationError) or as a plain
refusal page (PermissionDenied, 403).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foreign_affairs.accounts.selectors import scope_for_user
from foreign_affairs.forms import add_service_errors
from foreign_affairs.page_actions import problem, refusal_message

from .. import selectors
from ..forms.sites import (
    CloseSiteForm,
    EndStationingForm,
    SiteFilter,
    SiteForm,
    StationingFilter,
    StationingForm,
)
from ..models import Site, Stationing
from ..selectors import period_of, with_stationed_now
from ..services import sites as services

PAGE_SIZE = 20
HOME = ("overseas_safety:site_list", gettext_lazy("Overseas sites"))


# Helpers ---------------------------------------------------------------------------------------------------


def _explain(request, title: str, message: str, *, status: int = 403, back=None, back_label: str = ""):
    return problem(
        request,
        title,
        message,
        status=status,
        back=back,
        back_label=back_label,
        home=reverse(HOME[0]),
        home_label=HOME[1],
    )


def _refused(request, error, *, back=None, back_label: str = ""):
    return _explain(
        request,
        _("You are not allowed to do this"),
        refusal_message(error),
        back=back,
        back_label=back_label,
    )


def _may_register(user) -> bool:
    """The liaison of a registered organisation registers its sites and stationed staff (officers correct
    them; they do not register for an enterprise)."""
    return user.organization is not None and services.may_keep(user, user.organization.pk)


def _not_registering(request):
    if request.user.is_office_staff:
        message = _(
            "Enterprises register their overseas sites and stationed staff through their foreign-affairs "
            "liaison. Officers correct them on their pages."
        )
    else:
        message = _(
            "Your organisation's foreign-affairs liaison registers its overseas sites and stationed staff. "
            "Ask the liaison to add what is missing."
        )
    return _explain(request, _("You cannot register overseas sites"), message)


def _get_site(request, pk) -> Site:
    return get_object_or_404(scope_for_user(Site.objects.select_related("organization"), request.user), pk=pk)


def _get_stationing(request, pk) -> Stationing:
    return get_object_or_404(selectors.stationing_list_for(request.user), pk=pk)


# Sites -----------------------------------------------------------------------------------------------------


@login_required
def site_list(request):
    user = request.user
    sites = with_stationed_now(selectors.site_list_for(user))
    filters = SiteFilter(request.GET or None, queryset=sites, request=request)
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "overseas_safety/sites/site_list.html",
        {
            "filters": filters.form,
            "page": page,
            "filtered": filters.filtered,
            "can_register": _may_register(user),
            "today": timezone.localdate(),
        },
    )


def _site_form_page(request, form, site, *, status: int = 200):
    return render(
        request, "overseas_safety/sites/site_form.html", {"form": form, "site": site}, status=status
    )


@login_required
def site_create(request):
    user = request.user
    if not _may_register(user):
        return _not_registering(request)
    form = SiteForm(request.POST if request.method == "POST" else None)
    if request.method != "POST":
        return _site_form_page(request, form, None)
    if form.is_valid():
        try:
            site = services.site_create(actor=user, organization=user.organization, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            return _refused(request, error)
        else:
            messages.success(
                request,
                _("The site “%(name)s” was registered. Add the staff stationed there.") % {"name": site.name},
            )
            return redirect(site)
    return _site_form_page(request, form, None, status=400)


@login_required
def site_detail(request, pk):
    site = _get_site(request, pk)
    today = timezone.localdate()
    rows = list(site.stationings.select_related("person").order_by("-starts_on", "person__full_name", "pk"))
    grouped = {"current": [], "upcoming": [], "past": []}
    for stationing in rows:
        grouped[period_of(stationing, today)].append(stationing)
    return render(
        request,
        "overseas_safety/sites/site_detail.html",
        {
            "site": site,
            "is_open": site.closed_on is None,
            "can_keep": services.may_keep(request.user, site.organization_id),
            # Staff are added by the organisation's liaison (officers correct what is registered).
            "can_add": _may_register(request.user) and request.user.organization.pk == site.organization_id,
            "current": grouped["current"],
            "upcoming": grouped["upcoming"],
            "past": grouped["past"],
        },
    )


@login_required
def site_edit(request, pk):
    site = _get_site(request, pk)
    back = {"back": site.get_absolute_url(), "back_label": site.name}
    if not services.may_keep(request.user, site.organization_id):
        return _refused(
            request, PermissionDenied(_("Only the organisation's liaison changes its sites.")), **back
        )
    if request.method != "POST":
        return _site_form_page(request, SiteForm(site=site), site)
    form = SiteForm(request.POST, site=site)
    if form.is_valid():
        try:
            services.site_update(site=site, actor=request.user, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            return _refused(request, error, **back)
        else:
            messages.success(request, _("The changes to “%(name)s” were saved.") % {"name": site.name})
            return redirect(site)
    return _site_form_page(request, form, site, status=400)


@login_required
def site_close(request, pk):
    """Close the site on a day (its staff still there leave on that day), or reopen a closed one."""
    site = _get_site(request, pk)
    back = {"back": site.get_absolute_url(), "back_label": site.name}
    if not services.may_keep(request.user, site.organization_id):
        return _refused(
            request, PermissionDenied(_("Only the organisation's liaison closes its sites.")), **back
        )
    running = Stationing.objects.on(timezone.localdate()).filter(site=site).count()
    form = CloseSiteForm(
        request.POST if request.method == "POST" else None, initial={"closed_on": timezone.localdate()}
    )
    if request.method == "POST":
        try:
            if "reopen" in request.POST:
                services.site_update(site=site, actor=request.user, data={"closed_on": None})
                messages.success(request, _("“%(name)s” is open again.") % {"name": site.name})
                return redirect(site)
            if form.is_valid():
                services.site_close(site=site, actor=request.user, closed_on=form.cleaned_data["closed_on"])
                messages.success(request, _("“%(name)s” was closed.") % {"name": site.name})
                return redirect(site)
        except ValidationError as error:
            add_service_errors(form, error, default_field="closed_on")
        except PermissionDenied as error:
            return _refused(request, error, **back)
    return render(
        request,
        "overseas_safety/sites/site_close.html",
        {"form": form, "site": site, "running": running},
        status=400 if form.is_bound else 200,
    )


# Stationed staff ---------------------------------------------------------------------------------------------


@login_required
def stationing_list(request):
    user = request.user
    filters = StationingFilter(
        request.GET or None, queryset=selectors.stationing_list_for(user), request=request
    )
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    organization = user.organization
    return render(
        request,
        "overseas_safety/sites/stationing_list.html",
        {
            "filters": filters.form,
            "page": page,
            "rows": [
                {
                    "stationing": stationing,
                    "period": period_of(stationing, today),
                    "can_keep": services.may_keep(user, stationing.site.organization_id),
                }
                for stationing in page.object_list
            ],
            "filtered": filters.filtered,
            "can_register": _may_register(user),
            "has_sites": organization is not None and Site.objects.filter(organization=organization).exists(),
        },
    )


def _stationing_form_page(request, form, stationing, *, status: int = 200):
    return render(
        request,
        "overseas_safety/sites/stationing_form.html",
        {"form": form, "stationing": stationing},
        status=status,
    )


@login_required
def stationing_create(request):
    user = request.user
    if not _may_register(user):
        return _not_registering(request)
    organization = user.organization
    if request.method != "POST":
        initial = {"starts_on": timezone.localdate()}
        site = request.GET.get("site", "")
        if site.isdigit() and Site.objects.filter(pk=site, organization=organization).exists():
            initial["site"] = int(site)
        person = request.GET.get("person", "")
        if person.isdigit():
            initial["person"] = int(person)
        return _stationing_form_page(
            request, StationingForm(organization=organization, initial=initial), None
        )
    form = StationingForm(request.POST, organization=organization)
    if form.is_valid():
        try:
            stationing = services.stationing_create(actor=user, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            return _refused(request, error)
        else:
            messages.success(
                request,
                _("%(name)s is registered as stationed at “%(site)s”.")
                % {"name": stationing.person.full_name, "site": stationing.site.name},
            )
            return redirect(stationing.site)
    return _stationing_form_page(request, form, None, status=400)


@login_required
def stationing_edit(request, pk):
    stationing = _get_stationing(request, pk)
    site = stationing.site
    back = {"back": site.get_absolute_url(), "back_label": site.name}
    if not services.may_keep(request.user, site.organization_id):
        return _refused(
            request,
            PermissionDenied(_("Only the organisation's liaison changes its stationed staff.")),
            **back,
        )
    organization = site.organization
    if request.method != "POST":
        return _stationing_form_page(
            request, StationingForm(organization=organization, stationing=stationing), stationing
        )
    form = StationingForm(request.POST, organization=organization, stationing=stationing)
    if form.is_valid():
        try:
            stationing = services.stationing_update(
                stationing=stationing, actor=request.user, data=form.service_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            return _refused(request, error, **back)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(stationing.site)
    return _stationing_form_page(request, form, stationing, status=400)


@login_required
def stationing_end(request, pk):
    stationing = _get_stationing(request, pk)
    site = stationing.site
    back = {"back": site.get_absolute_url(), "back_label": site.name}
    if not services.may_keep(request.user, site.organization_id):
        return _refused(
            request,
            PermissionDenied(_("Only the organisation's liaison changes its stationed staff.")),
            **back,
        )
    form = EndStationingForm(
        request.POST if request.method == "POST" else None,
        initial={"ends_on": stationing.ends_on or timezone.localdate()},
    )
    if form.is_valid():
        try:
            services.stationing_end(
                stationing=stationing, actor=request.user, ends_on=form.cleaned_data["ends_on"]
            )
        except ValidationError as error:
            add_service_errors(form, error, default_field="ends_on")
        except PermissionDenied as error:
            return _refused(request, error, **back)
        else:
            messages.success(
                request,
                _("%(name)s left “%(site)s”; the stationing is kept in the site's history.")
                % {"name": stationing.person.full_name, "site": site.name},
            )
            return redirect(site)
    return render(
        request,
        "overseas_safety/sites/stationing_end.html",
        {"form": form, "stationing": stationing},
        status=400 if form.is_bound else 200,
    )


urlpatterns = [
    path("sites/", site_list, name="site_list"),
    path("sites/new/", site_create, name="site_create"),
    path("sites/<int:pk>/", site_detail, name="site_detail"),
    path("sites/<int:pk>/edit/", site_edit, name="site_edit"),
    path("sites/<int:pk>/close/", site_close, name="site_close"),
    path("stationed/", stationing_list, name="stationing_list"),
    path("stationed/new/", stationing_create, name="stationing_create"),
    path("stationed/<int:pk>/edit/", stationing_edit, name="stationing_edit"),
    path("stationed/<int:pk>/end/", stationing_end, name="stationing_end"),
]
