"""Enterprise pages: the organisation, its travellers, and the user's own profile."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.forms import run_service
from foreign_affairs.privacy import access

from . import services
from .filters import PersonFilter
from .forms import OrganizationContactForm, PersonForm, ProfileForm
from .models import Membership, Organization, Person, User
from .roles import Role
from .selectors import person_list_for, scope_for_user


def _own_organization(request):
    organization = request.user.organization
    if organization is None:
        raise Http404(_("Your account does not belong to an organisation."))
    return organization


@login_required
def person_list(request):
    filters = PersonFilter(request.GET or None, queryset=person_list_for(request.user), request=request)
    page = Paginator(filters.qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/person_list.html",
        {
            "filters": filters.form,
            "page": page,
            "filtered": filters.filtered,
            "can_add": request.user.organization is not None and request.user.has_perm("accounts.add_person"),
        },
    )


@login_required
def person_detail(request, pk):
    person = get_object_or_404(
        scope_for_user(Person.objects.select_related("organization"), request.user), pk=pk
    )
    return render(
        request,
        "accounts/person_detail.html",
        {
            "person": person,
            "passport_number": access.passport_number_shown(request, person),
            "can_change": request.user.has_perm("accounts.change_person"),
            "history": AuditEvent.objects.timeline_for(person),
        },
    )


@login_required
def person_create(request):
    organization = _own_organization(request)
    if not request.user.has_perm("accounts.add_person"):
        raise PermissionDenied
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = run_service(
            form,
            lambda: services.person_create(
                organization=organization, actor=request.user, **form.cleaned_data
            ),
        )
        if person is not None:
            messages.success(request, _("%(name)s was added.") % {"name": person.full_name})
            return redirect(person)
    return render(request, "accounts/person_form.html", {"form": form, "person": None})


@login_required
def person_update(request, pk):
    person = get_object_or_404(scope_for_user(Person.objects.all(), request.user), pk=pk)
    if not request.user.has_perm("accounts.change_person"):
        raise PermissionDenied
    form = PersonForm(request.POST or None, instance=Person.objects.get(pk=person.pk))
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form, lambda: services.person_update(person=person, actor=request.user, data=form.cleaned_data)
        )
    ):
        messages.success(request, _("The changes were saved."))
        return redirect(person)
    if not form.is_bound:
        access.passport_number_shown(request, person)  # the form shows the number whole in its input
    return render(request, "accounts/person_form.html", {"form": form, "person": person})


@login_required
def organization_detail(request):
    organization = _own_organization(request)
    is_liaison = request.user.has_role(Role.LIAISON)
    members = (
        Membership.objects.filter(organization=organization).select_related("user").order_by("user__username")
        if is_liaison
        else Membership.objects.none()
    )
    return render(
        request,
        "accounts/organization_detail.html",
        {
            "organization": organization,
            "members": members,
            "can_change": is_liaison and request.user.has_perm("accounts.change_organization"),
        },
    )


@login_required
def organization_update(request):
    organization = _own_organization(request)
    if not (request.user.has_role(Role.LIAISON) and request.user.has_perm("accounts.change_organization")):
        raise PermissionDenied
    form = OrganizationContactForm(
        request.POST or None, instance=Organization.objects.get(pk=organization.pk)
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            lambda: services.organization_update(
                organization=organization, actor=request.user, data=form.cleaned_data
            ),
        )
    ):
        messages.success(request, _("The organisation's details were saved."))
        return redirect("accounts:organization")
    return render(request, "accounts/organization_form.html", {"form": form, "organization": organization})


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, instance=User.objects.get(pk=user.pk))
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(form, lambda: services.user_update_profile(user=user, data=form.cleaned_data))
    ):
        messages.success(request, _("Your profile was saved."))
        response = redirect("accounts:profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )
        return response
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_POST
def sign_out_everywhere(request):
    """End every session of the user — on other devices too — and this one."""
    request.user.end_sessions()
    logout(request)
    messages.success(request, _("You were signed out on every device."))
    return redirect("login")
