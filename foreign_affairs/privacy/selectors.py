"""Read queries on the access records, shared by the back office, the organisations' page and the API.

Who reads what: office staff holding `privacy.view_personaldataaccess` read every record (a person's
access history, the unusual-access report); the staff of an organisation read the looks that accounts of
the office took at their organisation's people, nothing else; everyone else reads nothing.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from foreign_affairs.accounts.roles import OFFICE_ROLES

from .models import PersonalDataAccess

VIEW_PERMISSION = "privacy.view_personaldataaccess"
# settings.PRIVACY_UNUSUAL_PEOPLE_PER_DAY unless set: an account that looked at this many different people
# in one day is listed in the unusual-access report.
UNUSUAL_PEOPLE_PER_DAY = 20
# The unusual-access report covers the last 30 days unless asked otherwise, and at most a year at once.
UNUSUAL_DEFAULT_DAYS = 30
UNUSUAL_MAX_DAYS = 366


def reads_all_access(user) -> bool:
    """Whether `user` is office staff with the permission to read every access record."""
    return bool(
        user is not None and user.is_authenticated and user.is_office_staff and user.has_perm(VIEW_PERMISSION)
    )


def reads_own_organization_access(user) -> bool:
    """Whether `user` belongs to an organisation (and so reads the office's looks at its people)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and not user.is_office_staff
        and user.organization is not None
    )


def office_accounts() -> QuerySet:
    """The ids of the office's accounts: superusers and holders of an office role. Deactivated ones
    included, so that a look stays the office's after its officer left."""
    return (
        get_user_model().objects.filter(Q(is_superuser=True) | Q(groups__name__in=OFFICE_ROLES)).values("pk")
    )


def _records() -> QuerySet:
    return PersonalDataAccess.objects.select_related("user", "person", "organization").order_by("-at", "-pk")


def office_looks_at(organization_id: int) -> QuerySet:
    """The looks office accounts took at the people of `organization_id`, newest first."""
    return _records().filter(organization_id=organization_id, user__in=office_accounts())


def access_list_for(user) -> QuerySet:
    """The access records `user` may read, newest first (see the module's docstring)."""
    if reads_all_access(user):
        return _records()
    if reads_own_organization_access(user):
        return office_looks_at(user.organization.pk)
    return PersonalDataAccess.objects.none()


def person_access_history(person_id: int) -> QuerySet:
    """Every look at one person's data, newest first (office staff)."""
    return _records().filter(person_id=person_id)


# Days ------------------------------------------------------------------------------------------------------


def day_start(day: date) -> datetime:
    """Midnight starting `day` in the office's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def in_days(records: QuerySet, first: date | None = None, last: date | None = None) -> QuerySet:
    """The records of the days `first` to `last` (both included, the office's time zone): a range on `at`,
    so that its index serves."""
    if first is not None:
        records = records.filter(at__gte=day_start(first))
    if last is not None and last < date.max:
        records = records.filter(at__lt=day_start(last + timedelta(days=1)))
    return records


def in_month(records: QuerySet, month: date) -> QuerySet:
    """The records of the calendar month of `month`."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return in_days(records, first, following - timedelta(days=1))


# Unusual access --------------------------------------------------------------------------------------------


def unusual_threshold() -> int:
    return max(int(getattr(settings, "PRIVACY_UNUSUAL_PEOPLE_PER_DAY", UNUSUAL_PEOPLE_PER_DAY)), 1)


def default_period(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return today - timedelta(days=UNUSUAL_DEFAULT_DAYS - 1), today


def unusual_access(first: date, last: date, *, threshold: int | None = None) -> QuerySet:
    """The accounts that looked at `threshold` (settings.PRIVACY_UNUSUAL_PEOPLE_PER_DAY) or more different
    people in one day of `first` to `last`: one row (a dict) per account and day, computed in the database
    (GROUP BY account and day in the office's time zone, COUNT DISTINCT person), the latest day first and
    the busiest account first within a day. Each row: day, user, user__username, user__first_name,
    user__last_name, people (different people looked at), looks (records), first_at, last_at."""
    threshold = threshold or unusual_threshold()
    records = in_days(
        PersonalDataAccess.objects.filter(user__isnull=False, person__isnull=False), first, last
    )
    return (
        records.annotate(day=TruncDate("at", tzinfo=timezone.get_default_timezone()))
        .values("day", "user", "user__username", "user__first_name", "user__last_name")
        .annotate(
            people=Count("person", distinct=True),
            looks=Count("pk"),
            first_at=Min("at"),
            last_at=Max("at"),
        )
        .filter(people__gte=threshold)
        .order_by("-day", "-people", "user")
    )


def account_name(row: dict) -> str:
    """The name of the account of an unusual-access row, as accounts.User.get_full_name writes it."""
    User = get_user_model()
    user = User(
        username=row["user__username"], first_name=row["user__first_name"], last_name=row["user__last_name"]
    )
    return str(user)
