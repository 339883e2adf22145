"""Read queries shared by views, the API, the admin and reports."""

from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import Organization, Person, Substitution, User


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


def person_list_for(user, *, search: str = "", passport: str = "") -> QuerySet:
    """The travellers `user` may see, searched by name, pinyin, position or whole passport number.

    `passport`: "expired", "expiring" (within six months), "missing" (no number or expiry) or "".
    """
    people = scope_for_user(Person.objects.select_related("organization"), user)
    today = timezone.localdate()
    if passport == "expired":
        people = people.filter(passport_expiry__lt=today)
    elif passport == "expiring":
        people = people.filter(passport_expiry__gte=today, passport_expiry__lt=today + timedelta(days=183))
    elif passport == "missing":
        people = people.filter(Q(passport_number="") | Q(passport_expiry__isnull=True))
    if search:
        people = people.filter(
            Q(full_name__icontains=search)
            | Q(pinyin_name__icontains=search)
            | Q(position__icontains=search)
            | Q(passport_number__iexact=search.replace(" ", ""))
        )
    return people.order_by("full_name", "pk")


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
