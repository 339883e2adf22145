"""Read queries shared by views, the API, the admin and reports."""

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import Organization, Person, Substitution, User
from .roles import Role


def scope_for_user(queryset: QuerySet, user) -> QuerySet:
    """Narrow any queryset to the rows `user` may see.

    Office staff (and superusers) see everything; enterprise users see their own organisation's rows;
    everyone else sees nothing. A model states how its rows reach an organisation in its
    `organization_lookup` attribute ("organization", "pk", "application__organization", ...); a
    model without one is refused rather than shown.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_office_staff:
        return queryset
    lookup = getattr(queryset.model, "organization_lookup", None)
    if lookup is None:
        raise ImproperlyConfigured(
            f"{queryset.model.__name__} has no organization_lookup; it cannot be scoped."
        )
    organization = user.organization
    if organization is None:
        return queryset.none()
    return queryset.filter(**{lookup: organization.pk})


def person_list_for(user) -> QuerySet:
    """The travellers `user` may see, by name (accounts.filters narrows them)."""
    return scope_for_user(Person.objects.select_related("organization"), user).order_by("full_name", "pk")


def organization_list_for(user, *, search: str = "", ftz_area: str = "") -> QuerySet:
    organizations = scope_for_user(Organization.objects.all(), user).annotate(
        people_count=Count("people", distinct=True), member_count=Count("memberships", distinct=True)
    )
    if search:
        organizations = organizations.filter(
            Q(name_zh__icontains=search) | Q(name_en__icontains=search) | Q(uscc__iexact=search.strip())
        )
    if ftz_area:
        organizations = organizations.filter(ftz_area=ftz_area)
    return organizations.order_by("name_zh")


def office_users(role: str) -> QuerySet:
    """The active accounts holding an office role."""
    return User.objects.filter(groups__name=role, is_active=True)


def organization_users(organization_id: int, *, liaisons_only: bool = False) -> QuerySet:
    """The active accounts of an organisation (or only its foreign-affairs liaisons)."""
    people = User.objects.filter(membership__organization_id=organization_id, is_active=True)
    if liaisons_only:
        people = people.filter(membership__is_liaison=True)
    return people


def with_substitutes(users) -> list[User]:
    """The recipients, and whoever stands in for one of them today."""
    users = list(users)
    today = timezone.localdate()
    substitutes = User.objects.filter(
        pk__in=Substitution.objects.filter(
            principal__in=users, starts_on__lte=today, ends_on__gte=today
        ).values("substitute")
    )
    return list({user.pk: user for user in [*users, *substitutes]}.values())


def assigned_officers(application) -> list[User]:
    """The officers who answer for an application of any area: its assigned officer, or every officer
    while nobody (active) is assigned; with whoever stands in for them today."""
    if application.assigned_officer_id:
        assigned = User.objects.filter(pk=application.assigned_officer_id, is_active=True)
        if assigned.exists():
            return with_substitutes(assigned)
    return with_substitutes(office_users(Role.OFFICER))


def liaisons_of(application) -> list[User]:
    """The active foreign-affairs liaisons of the organisation of an application of any area."""
    return list(organization_users(application.organization_id, liaisons_only=True))


def author_and_liaisons(application) -> list[User]:
    """The active accounts of the organisation that hear of an application of any area: its author and
    the liaisons."""
    condition = Q(membership__is_liaison=True)
    if application.created_by_id:
        condition |= Q(pk=application.created_by_id)
    return list(organization_users(application.organization_id).filter(condition))
